"""The verdict corpus, overlays on what the signer saw beside the page's own content. Two wrong verdicts:

- a later signature's stamp was judged against the page content alone (the signed page rendered without any
  annotation), so that Decree 30's seal may lie over the leader's stamp. Every signed annotation under it was
  taken for empty paper: a second signature, or even an empty unsigned signature field with any appearance,
  drawn opaquely over a signed form field's value ("100 000 DONG" covered by "900 000 DONG") or a signed
  comment left the first signature TOTAL_PASSED. Now only the stamps of signatures really signed before are
  left out, and only for the stamp of a real later signature, as its signer signed it;
- an annotation flagged NoRotate on a turned page (/Rotate) was placed by its /Rect turned with the page, but
  readers keep it upright, its upper-left corner where the page puts it (ISO 32000-2, 12.5.3): its rectangle
  lay on empty paper, its appearance on the signed words, and the certification passed. A NoZoom annotation,
  which keeps its size when the page is zoomed out, is judged wherever it can then reach.

Each case: the ETSI EN 319 102-1 indication of the document and of each signature; CLI, API and the ETSI
report agree (`assert_case`)."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import MDPPerm

from kyso.signing.images import seal_png, signature_png
from kyso.signing.pdf import Appearance, sign_pdf
from kyso.signing.verify import verify_bytes

from . import corpus_attacks as A
from . import corpus_pdf as P
from . import corpus_pdf_variants as V
from .test_verdict_corpus import INDET, PASSED, SIG_CONSTRAINTS, assert_case

N = generic.NameObject
FIELD_RECT = (320, 400, 560, 440)       # a signed form value or comment, on otherwise empty paper
OVER_FIELD = (300, 380, 580, 460)       # a later stamp over it
STAMP_RECT = (330, 60, 530, 140)        # the first signature's visible stamp
SEAL_RECT = (280, 40, 397, 157)         # over the left third of that stamp (Decree 30), else empty paper
EMPTY_RECT = (350, 250, 550, 330)       # empty paper
PRINT, NOZOOM, NOROTATE = 1 << 2, 1 << 3, 1 << 4
# on a page turned 90° (270°): empty paper once turned with the page, the signed words where a NoRotate
# annotation stands upright from the upper-left corner of its rectangle
OFF_WORDS_90 = (72, 500, 472, 690)
OFF_WORDS_270 = (340, 700, 440, 760)
EMPTY_BOTH_90 = (72, 100, 172, 150)     # empty paper either way
ABOVE_WORDS = (60, 745, 200, 790)       # empty paper above the signed words (a NoZoom box grows over them)
CORNER = (420, 60, 520, 110)            # nothing to its right or below it


def _value_signed(k):
    """Sig1 signs a form whose text field shows "100 000 DONG" (its appearance stream) on empty paper."""
    return k.pdf.sign(P.fill_field(P.base_pdf(FIELD_RECT), b"100 000 DONG"))


def _comment_signed(k):
    """Sig1 signs a page with a comment (FreeText, its own appearance) on empty paper."""
    return k.pdf.sign(A.add_markup(P.base_pdf(), FIELD_RECT, "/FreeText"))


def _stamp_signed(k):
    return k.pdf.sign(P.base_pdf(), visible_rect=STAMP_RECT)


def _move_field(data: bytes, name: str, rect) -> bytes:
    """The widget of signature field `name` moved to `rect` after it was signed (its appearance unchanged)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    for ref in w.root["/AcroForm"]["/Fields"]:
        fld = ref.get_object()
        if fld.get("/T") == name:
            fld[N("/Rect")] = P._num(*rect)
            w.update_container(fld)
    return P._write(w)


def _annotated(k, rect, flags, rotate=0):
    """Certified P=3 (annotations permitted), then an opaque FreeText with flags `flags` at `rect`."""
    return A.add_markup(k.pdf.sign(P.base_pdf(rotate=rotate), certify=MDPPerm.ANNOTATE), rect, "/FreeText",
                        flags=flags)


CASES = [
    # a later signature's stamp over signed annotations
    ("sneaky-signature-over-field-value", lambda k: k.pdf.sign(_value_signed(k), "Sig2", visible_rect=OVER_FIELD),
     INDET, SIG_CONSTRAINTS, "a second, valid signature whose stamp lies over the signed field value",
     [INDET, PASSED]),
    ("sneaky-signature-over-comment", lambda k: k.pdf.sign(_comment_signed(k), "Sig2", visible_rect=OVER_FIELD),
     INDET, SIG_CONSTRAINTS, "a second signature whose stamp lies over a signed comment", [INDET, PASSED]),
    ("sneaky-unsigned-field-over-value", lambda k: V.sneaky_field(_value_signed(k), OVER_FIELD, b"900 000 DONG"),
     INDET, SIG_CONSTRAINTS, "an empty, unsigned signature field whose appearance covers the signed field value",
     [INDET]),
    ("sneaky-unsigned-field-over-stamp", lambda k: V.sneaky_field(_stamp_signed(k), SEAL_RECT), INDET,
     SIG_CONSTRAINTS, "an unsigned signature field over the first signature's stamp: no stamp of a signature",
     [INDET]),
    ("sneaky-stamp-moved-over-stamp", lambda k: _move_field(k.pdf.sign(_stamp_signed(k), "Sig2",
                                                                       visible_rect=EMPTY_RECT), "Sig2", SEAL_RECT),
     INDET, SIG_CONSTRAINTS, "a second signature's stamp moved over the first one's after it was signed: not the "
     "stamp its signer signed", [INDET, INDET]),
    # controls: a later stamp on empty paper, or over an earlier signature's stamp only
    ("pdf-signature-stamp-on-empty-paper", lambda k: k.pdf.sign(_value_signed(k), "Sig2", visible_rect=EMPTY_RECT),
     PASSED, None, "a second signature's stamp beside the signed field value, on empty paper", [PASSED, PASSED]),
    ("pdf-seal-over-signature-stamp", lambda k: k.pdf.sign(_stamp_signed(k), "Sig2", visible_rect=SEAL_RECT),
     PASSED, None, "a second signature's stamp over the left third of the first one's (Decree 30)",
     [PASSED, PASSED]),
    # NoRotate and NoZoom annotations (certified P=3: annotations permitted)
    ("evil-norotate-on-turned-page-p3", lambda k: _annotated(k, OFF_WORDS_90, PRINT | NOROTATE, 90), INDET,
     SIG_CONSTRAINTS, "/Rotate 90: a NoRotate FreeText whose turned rectangle is empty paper, standing upright "
     "over the signed words", [INDET]),
    ("evil-norotate-on-page-turned-270-p3", lambda k: _annotated(k, OFF_WORDS_270, PRINT | NOROTATE, 270), INDET,
     SIG_CONSTRAINTS, "the same on a page turned 270°", [INDET]),
    ("evil-nozoom-above-words-p3", lambda k: _annotated(k, ABOVE_WORDS, PRINT | NOZOOM), INDET, SIG_CONSTRAINTS,
     "a NoZoom FreeText above the signed words: zoomed out, it keeps its size and covers them", [INDET]),
    ("pdf-rotating-annotation-on-turned-page-p3", lambda k: _annotated(k, OFF_WORDS_90, PRINT, 90), PASSED, None,
     "the same FreeText without NoRotate turns with the page: empty paper", [PASSED]),
    ("pdf-norotate-on-empty-paper-p3", lambda k: _annotated(k, EMPTY_BOTH_90, PRINT | NOROTATE, 90), PASSED, None,
     "/Rotate 90: a NoRotate FreeText on empty paper, turned or upright", [PASSED]),
    ("pdf-norotate-unturned-page-p3", lambda k: _annotated(k, P.BLANK_RECT, PRINT | NOROTATE), PASSED, None,
     "a NoRotate FreeText on empty paper of a page that is not turned", [PASSED]),
    ("pdf-nozoom-corner-p3", lambda k: _annotated(k, CORNER, PRINT | NOZOOM | NOROTATE), PASSED, None,
     "a NoZoom, NoRotate FreeText with only empty paper to its right and below it", [PASSED]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_overlays_on_signed_annotations(kit, case, tmp_path, capsys):
    name, build, indication, sub, reason, each = case
    cli = assert_case(build(kit), f"{name}.pdf", indication, sub, reason, tmp_path, capsys)
    assert [s["indication"] for s in cli["signatures"]] == each, (name, cli["signatures"])
    first = cli["signatures"][0]        # the reason is the shadow rule, not some other change
    assert ("coverage.shadow" in [c["code"] for c in first["checks"]]) == (indication == INDET), (name, first)


def test_decree30_seal_over_the_leaders_stamp_passes(make, chain, one_page_pdf):
    """Kyso's own Decree 30 appearance: the organisation's seal over the left third of the leader's stamp."""
    leader, leader_key = make("person", key_spec="rsa2048")
    org, org_key = make("organization", key_spec="rsa2048")
    signed = sign_pdf(one_page_pdf, leader_key, leader.certificate, chain=chain[:-1], level="B-T",
                      appearance=Appearance(kind="leader", caption="KT.", on_behalf_of="Giám đốc",
                                            title="Phó Giám đốc", name="Nguyễn Văn An",
                                            signature_image=signature_png("An")))
    signed = sign_pdf(signed, org_key, org.certificate, chain=chain[:-1], level="B-T",
                      appearance=Appearance(kind="organization", organization="BHXH quận Ba Đình",
                                            seal_image=seal_png("BHXH quận Ba Đình")))
    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert [s.indication for s in report.signatures] == ["TOTAL_PASSED", "TOTAL_PASSED"]
