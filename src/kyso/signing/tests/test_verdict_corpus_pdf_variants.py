"""The verdict corpus, PDF variants: attacks of the PDF-Insecurity classes (incremental saving, signature
wrapping, universal signature forgery, shadow attacks, certification attacks: evil annotation and sneaky
signature) in forms the first two corpus modules do not build. Each case: the ETSI EN 319 102-1 indication and
sub-indication, a one-line reason; CLI, API and the ETSI report must agree (`assert_case`)."""

from __future__ import annotations

import hashlib

import pytest
from pyhanko.sign.fields import MDPPerm

from kyso.signing.timestamps import KysoTimeStamper

from . import corpus_attacks as A
from . import corpus_cms as C
from . import corpus_pdf as P
from . import corpus_pdf_variants as V
from .test_verdict_corpus import FAILED, FORMAT, INDET, PASSED, SIG_CONSTRAINTS, assert_built_case

def _signed(k, base=None, **kw):
    return k.pdf.sign(base if base is not None else P.base_pdf(), **kw)


def _p(k, level, base=None, **kw):
    return _signed(k, base, certify=level, **kw)


def _no_ap(rect):
    return V.base_field_without_appearance(rect)


def _pkcs7_sha1(k):
    """adbe.pkcs7.sha1 as ISO 32000-1 12.8.3.3 defines it: the SHA-1 digest of the byte ranges encapsulated
    in the SignedData."""
    return A.hand_sign(P.base_pdf(), k.cert, k.key, k.chain, subfilter="/adbe.pkcs7.sha1",
                       cms=lambda m: C.attached(k.cert, k.key, k.chain, content=hashlib.sha1(m).digest()))


CASES = [
    # incremental saving: cross-reference tricks
    ("isa-hybrid-xrefstm", lambda k: V.hybrid_xrefstm(_signed(k)), INDET, SIG_CONSTRAINTS,
     "a hybrid update: the table adds nothing, its /XRefStm stream redefines the page content"),
    ("isa-generation-bumped", lambda k: V.generation_bumped(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the page content redefined as generation 1 (readers ignoring generations show it)"),
    ("isa-content-freed", lambda k: V.content_freed(_signed(k)), INDET, SIG_CONSTRAINTS,
     "an update that only frees the page content object: the page goes blank"),
    ("isa-duplicate-xref-entry", lambda k: V.duplicate_entry(_signed(k)), INDET, SIG_CONSTRAINTS,
     "one table lists the content twice, at its signed offset and at a forged one"),
    ("isa-mislabelled-xref-entry", lambda k: V.mislabelled_entry(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the content's entry points at an object that calls itself by another number"),
    ("isa-prev-loop", lambda k: V.prev_loop(_signed(k)), INDET, SIG_CONSTRAINTS,
     "an update redefining the content whose /Prev points at itself"),
    ("isa-no-eof", lambda k: V.no_eof(_signed(k)), INDET, SIG_CONSTRAINTS,
     "a complete update redefining the content, without %%EOF"),
    # objects redefined only in an object stream
    ("isa-objstm-font-encoding", lambda k: V.font_in_objstm(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the font redefined in an object stream: its /Differences draw '1' as '9'"),
    ("isa-objstm-catalog-open-action", lambda k: V.catalog_in_objstm(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the catalogue redefined in an object stream with a JavaScript /OpenAction"),
    ("swa-sig-dict-in-objstm", lambda k: V.sig_dict_in_objstm(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the signature dictionary redefined only in an object stream, its /Reason changed"),
    ("swa-sig-value-repointed", lambda k: V.sig_value_repointed(_signed(k)), FAILED, FORMAT,
     "the field's /V re-pointed at a copy of the signature dictionary with another /Reason: the dictionary "
     "shown is not the one its /ByteRange covers"),
    # a signature dictionary its /ByteRange does not cover
    ("usf-duplicate-signature", lambda k: V.duplicate_signature(_signed(k)), FAILED, FORMAT,
     "a second field whose dictionary copies the first one's /ByteRange and /Contents (not covered itself)"),
    ("usf-duplicate-signature-objstm", lambda k: V.duplicate_signature(_signed(k), objstm=True), FAILED, FORMAT,
     "the same, the copied dictionary stored in an object stream"),
    # /Contents, /Filter, /SubFilter
    ("pdf-contents-odd-hex", lambda k: V.contents_edit(_signed(k), "odd"), PASSED, None,
     "/Contents with an odd number of digits (ISO 32000-1 7.3.4.3: the last is 0): the same value"),
    ("usf-contents-odd-nonzero", lambda k: V.contents_edit(_signed(k), "odd-nonzero"), FAILED, FORMAT,
     "/Contents with an odd number of digits ending in 3: a byte after the DER signature"),
    ("usf-contents-non-hex", lambda k: V.contents_edit(_signed(k), "non-hex"), FAILED, FORMAT,
     "/Contents with a character that is no hexadecimal digit"),
    ("usf-contents-literal", lambda k: V.contents_edit(_signed(k), "literal"), FAILED, FORMAT,
     "/Contents as a literal string in the /ByteRange gap"),
    ("pdf-filter-unknown-handler", lambda k: A.hand_sign(P.base_pdf(), k.cert, k.key, k.chain,
                                                          filter_="/Kyso.Unknown"), PASSED, None,
     "/Filter names a handler nobody has: it is only the preferred one (ISO 32000-2 12.8.1)"),
    ("usf-subfilter-pkcs7-sha1", _pkcs7_sha1, FAILED, FORMAT,
     "a genuine adbe.pkcs7.sha1 signature (SHA-1 of the document signed): deprecated by ISO 32000-2, no PAdES "
     "sub-filter, not verified"),
    # JavaScript and actions added after signing
    ("js-open-action", lambda k: V.add_javascript(_signed(k), "open-action"), INDET, SIG_CONSTRAINTS,
     "a JavaScript /OpenAction added to the catalogue"),
    ("js-names-tree", lambda k: V.add_javascript(_signed(k), "names"), INDET, SIG_CONSTRAINTS,
     "a document-level JavaScript name tree added"),
    ("js-page-open-p3", lambda k: V.add_javascript(_p(k, MDPPerm.ANNOTATE), "page"), INDET, SIG_CONSTRAINTS,
     "a page open action (/AA /O) added under P=3"),
    ("js-link-p3", lambda k: V.annotation_with_action(_p(k, MDPPerm.ANNOTATE), P.BLANK_RECT, "javascript"), INDET,
     SIG_CONSTRAINTS, "P=3: a link in an empty area whose action runs JavaScript"),
    ("js-link-set-ocg-p3", lambda k: V.annotation_with_action(_p(k, MDPPerm.ANNOTATE, A.base_ocg()), P.BLANK_RECT,
                                                              "set-ocg"), INDET, SIG_CONSTRAINTS,
     "P=3: a link whose page-visible action turns the hidden layer on (SetOCGState)"),
    ("pdf-link-uri-p3", lambda k: V.annotation_with_action(_p(k, MDPPerm.ANNOTATE), P.BLANK_RECT, "uri"), PASSED,
     None, "P=3: a link to a web page in an empty area is a permitted annotation"),
    ("js-link-action-swapped-p3", lambda k: V.swap_link_action(_p(k, MDPPerm.ANNOTATE, V.annotation_with_action(
        P.base_pdf(), P.BLANK_RECT, "uri"))), INDET, SIG_CONSTRAINTS,
     "P=3: a link signed with a web address whose action is changed to JavaScript"),
    ("js-field-keystroke-p2", lambda k: V.field_action(_p(k, MDPPerm.FILL_FORMS, P.base_pdf(P.BLANK_RECT))), INDET,
     SIG_CONSTRAINTS, "P=2: a keystroke JavaScript added to a form field"),
    ("js-hidden-sig-field-p1", lambda k: V.hidden_sig_field_with_script(_p(k, MDPPerm.NO_CHANGES)), INDET,
     SIG_CONSTRAINTS, "P=1: an invisible empty signature field (harmless in itself) whose widget runs JavaScript"),
    ("xfa-added-p2", lambda k: V.xfa_added(_p(k, MDPPerm.FILL_FORMS, P.base_pdf(P.BLANK_RECT))), INDET,
     SIG_CONSTRAINTS, "P=2: an XFA form added to /AcroForm (XFA readers show it instead of the pages)"),
    # certification attacks: sneaky signature, evil annotation
    ("sneaky-unsigned-field-p2", lambda k: V.sneaky_field(_p(k, MDPPerm.FILL_FORMS), P.BLANK_RECT), INDET,
     SIG_CONSTRAINTS, "P=2: a new unsigned signature field whose appearance shows other words"),
    ("sneaky-signed-over-text-p2", lambda k: k.pdf.sign(_p(k, MDPPerm.FILL_FORMS), "Sig2",
                                                        visible_rect=P.TEXT_RECT), INDET, SIG_CONSTRAINTS,
     "P=2: a second signature whose visible stamp lies over the signed words"),
    ("sneaky-visible-doc-timestamp-p1", lambda k: V.visible_doc_timestamp(_p(k, MDPPerm.NO_CHANGES), P.BLANK_RECT,
                                                                          KysoTimeStamper()), INDET,
     SIG_CONSTRAINTS, "P=1: a document time-stamp with a visible appearance (only invisible ones are LTA)"),
    ("evil-redact-p3", lambda k: V.markup_with_states(_p(k, MDPPerm.ANNOTATE), P.TEXT_RECT, "/Redact"), INDET,
     SIG_CONSTRAINTS, "P=3: a Redact annotation with /OverlayText over the signed words"),
    ("evil-rollover-only-p3", lambda k: V.markup_with_states(_p(k, MDPPerm.ANNOTATE), P.TEXT_RECT, "/Square",
                                                             ("/R",)), INDET, SIG_CONSTRAINTS,
     "P=3: an annotation over signed words with only a rollover appearance"),
    ("evil-annotation-moved-p3", lambda k: V.move_annotation(_p(k, MDPPerm.ANNOTATE, A.add_markup(
        P.base_pdf(), P.BLANK_RECT, "/FreeText")), P.TEXT_RECT), INDET, SIG_CONSTRAINTS,
     "P=3: a comment signed in an empty area, moved over the signed words (only its /Rect changes)"),
    # shadow: a field filled without appearance, optional content usage
    ("shadow-fill-no-appearance", lambda k: V.fill_without_appearance(_signed(k, _no_ap(P.TEXT_RECT))), INDET,
     SIG_CONSTRAINTS, "a field over signed words, signed without appearance, given a value: readers draw it"),
    ("shadow-fill-no-appearance-p2", lambda k: V.fill_without_appearance(
        _p(k, MDPPerm.FILL_FORMS, _no_ap(P.TEXT_RECT))), INDET, SIG_CONSTRAINTS,
     "the same under P=2: form filling is permitted, covering signed words is not"),
    ("pdf-fill-no-appearance-blank", lambda k: V.fill_without_appearance(_signed(k, _no_ap(P.BLANK_RECT)),
                                                                         "Da nhan"), PASSED, None,
     "a field in an empty area, signed without appearance, filled: permitted form filling"),
    ("pdf-fill-drops-appearance", lambda k: V.fill_without_appearance(_signed(k, P.base_pdf(P.BLANK_RECT))), INDET,
     SIG_CONSTRAINTS, "filling that deletes the field's signed appearance stream is no form filling"),
    ("shadow-ocg-usage-on", lambda k: V.ocg_usage_on(_signed(k, A.base_ocg())), INDET, SIG_CONSTRAINTS,
     "only the hidden layer's own dictionary changes (/Usage /View ON)"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_pdf_variant_corpus(kit, case, tmp_path, capsys):
    assert_built_case(case, kit, "pdf", tmp_path, capsys)
