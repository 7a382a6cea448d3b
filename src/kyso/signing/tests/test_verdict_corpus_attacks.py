"""The verdict corpus, second part: attack and malformation variants built by hand and with independent tools
(plain pyHanko, endesive, a CMS made with asn1crypto + cryptography, xmlsec1, signxml). Each case: the
indication and sub-indication ETSI EN 319 102-1 gives and a one-line reason; CLI and API must agree."""

from __future__ import annotations

import pytest
from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec

from . import corpus_attacks as A
from . import corpus_cms as C
from . import corpus_endesive as E
from . import corpus_pdf as P
from .test_verdict_corpus import FAILED, FORMAT, INDET, PASSED, SIG_CONSTRAINTS, Kit, RsaKit, assert_case

CRYPTO = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"


def _signed(k, base=None, **kw):
    return k.pdf.sign(base if base is not None else P.base_pdf(), **kw)


def _hand(k, **kw):
    return A.hand_sign(P.base_pdf(), k.cert, k.key, k.chain, **kw)


def _p3(k, base=None):
    return _signed(k, base, certify=MDPPerm.ANNOTATE)


def _endesive(k):
    return E.sign(P.base_pdf(), k.cert, k.key, k.chain)


def _prev_skips(k):
    unsigned = P.base_pdf()
    return A.isa_prev_skips_signature(unsigned, k.pdf.sign(unsigned))


def _lock_p1_then_fill(k):
    w_spec = SigFieldSpec(sig_field_name="Sig1", doc_mdp_update_value=MDPPerm.NO_CHANGES,
                          field_mdp_spec=FieldMDPSpec(action=FieldMDPAction.INCLUDE, fields=["Khac"]))
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    import io

    w = IncrementalPdfFileWriter(io.BytesIO(P.base_pdf(P.BLANK_RECT)))
    meta = signers.PdfSignatureMetadata(field_name="Sig1")
    signed = signers.sign_pdf(w, meta, signer=k.pdf.pyhanko, new_field_spec=w_spec).getvalue()
    return P.fill_field(signed, b"Ok")


def _contents_empty(k):
    """/Contents <> with the rest of the gap blank (the ByteRange unchanged)."""
    data = _signed(k)
    m = __import__("re").search(rb"/Contents\s*<([0-9a-fA-F]+)>", data)
    return data[:m.start()] + b"/Contents <>".ljust(m.end() - m.start()) + data[m.end():]


def _fieldmdp(k, action, fields, fill):
    lock = FieldMDPSpec(action=action, fields=fields)
    return P.fill_field(k.pdf.sign(P.base_pdf(P.BLANK_RECT), lock=lock), fill)


PDF_ATTACKS = [
    # incremental saving
    ("isa-xref-stream-content", lambda k: A.isa_xref_stream(_signed(k)), INDET, SIG_CONSTRAINTS,
     "a complete update with a cross-reference stream redefines the page content"),
    ("isa-object-stream-page", lambda k: A.isa_object_stream(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the page dictionary redefined inside an object stream (compressed) after signing"),
    ("isa-object-stream-no-xref", lambda k: A.isa_object_stream(_signed(k), xref="none"), INDET, SIG_CONSTRAINTS,
     "an object stream appended without a cross-reference section"),
    ("isa-second-trailer", lambda k: A.isa_second_trailer(_signed(k)), INDET, SIG_CONSTRAINTS,
     "a new object and a second trailer whose startxref points at the signed revision"),
    ("isa-xref-without-startxref", lambda k: A.isa_table_without_startxref(_signed(k)), INDET, SIG_CONSTRAINTS,
     "objects, xref table and trailer appended without startxref/%%EOF (recovered by readers)"),
    ("isa-prev-skips-signature", _prev_skips, INDET, SIG_CONSTRAINTS,
     "a later update whose /Prev skips the signed revision and redefines the content"),
    ("isa-root-repointed", lambda k: A.isa_root_repointed(_signed(k, A.with_spare_catalog(P.base_pdf()))), INDET,
     SIG_CONSTRAINTS, "a complete update re-points the trailer's /Root at a catalogue signed but never shown"),
    # shadow attacks
    ("shadow-ocg-on", lambda k: A.ocg_switched_on(_signed(k, A.base_ocg())), INDET, SIG_CONSTRAINTS,
     "optional content hidden when signed is switched ON in /OCProperties after signing"),
    ("shadow-ocg-config-in-place", lambda k: A.ocg_switched_on(_signed(k, A.base_ocg()), in_place=True), INDET,
     SIG_CONSTRAINTS, "only the (indirect) default OC configuration is changed to show the hidden layer"),
    ("shadow-ocg-on-p3", lambda k: A.ocg_switched_on(_p3(k, A.base_ocg())), INDET, SIG_CONSTRAINTS,
     "P=3 permits annotations, not turning on hidden optional content"),
    ("pdf-ocg-visible-untouched", lambda k: _signed(k, A.base_ocg(on=True)), PASSED, None,
     "optional content that was visible when signed, no change"),
    ("shadow-need-appearances", lambda k: A.need_appearances(_signed(k, A.base_field_value())), INDET,
     SIG_CONSTRAINTS, "/NeedAppearances set after signing: readers draw a field's value over signed words"),
    ("shadow-need-appearances-p2", lambda k: A.need_appearances(
        _signed(k, A.base_field_value(), certify=MDPPerm.FILL_FORMS)), INDET, SIG_CONSTRAINTS,
     "/NeedAppearances under P=2: form filling is permitted, redrawing a field over signed words is not"),
    ("shadow-freetext-p3", lambda k: A.add_markup(_p3(k), P.TEXT_RECT, "/FreeText"), INDET, SIG_CONSTRAINTS,
     "a FreeText annotation with an opaque appearance over signed words (P=3)"),
    ("shadow-freetext-no-ap-p3", lambda k: A.add_markup(_p3(k), P.TEXT_RECT, "/FreeText", ap=False), INDET,
     SIG_CONSTRAINTS, "a FreeText without appearance stream (the reader draws /Contents) over signed words"),
    ("shadow-stamp-p3", lambda k: A.add_markup(_p3(k), P.TEXT_RECT, "/Stamp"), INDET, SIG_CONSTRAINTS,
     "a Stamp annotation over signed words (P=3)"),
    ("shadow-square-fill-no-ap-p3", lambda k: A.add_markup(_p3(k), P.TEXT_RECT, "/Square", ap=False), INDET,
     SIG_CONSTRAINTS, "a Square annotation with a white fill (/IC) and no appearance over signed words"),
    ("pdf-freetext-blank-p3", lambda k: A.add_markup(_p3(k), P.BLANK_RECT, "/FreeText"), PASSED, None,
     "a FreeText in an empty area is a permitted annotation under P=3"),
    ("shadow-unhide-annotation-p3", lambda k: A.unhide_annotation(_p3(k, A.add_markup(
        P.base_pdf(), P.TEXT_RECT, "/FreeText", flags=2))), INDET, SIG_CONSTRAINTS,
     "an annotation signed hidden (/F 2) over signed words is made visible"),
    ("shadow-checkbox-state", lambda k: A.tick_checkbox(_signed(k, A.base_checkbox())), INDET, SIG_CONSTRAINTS,
     "a checkbox over signed words switched to a state whose appearance is opaque other words"),
    ("shadow-nested-xobject", lambda k: A.replace_nested_xobject(_signed(k, A.base_nested_xobject())), INDET,
     SIG_CONSTRAINTS, "only a form XObject nested in a field's appearance is redefined after signing"),
    ("shadow-xobject-repointed", lambda k: A.xobject_repointed(_signed(k, A.base_xobject_page())), INDET,
     SIG_CONSTRAINTS, "XObject reuse: the page's /X1 re-pointed at a signed but unused XObject"),
    ("shadow-xobject-redefined", lambda k: A.xobject_redefined(_signed(k, A.base_xobject_page())), INDET,
     SIG_CONSTRAINTS, "the XObject the page draws is redefined after signing"),
    ("shadow-contents-array-extended", lambda k: A.contents_array_extended(
        _signed(k, A.base_xobject_page(array=True))), INDET, SIG_CONSTRAINTS,
     "the page's indirect /Contents array gets one more stream"),
    ("shadow-contents-direct-array", lambda k: A.contents_direct_array(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the page's /Contents becomes an array with one more stream"),
    # signature wrapping
    ("swa-signed-part-moved", lambda k: A.swa_moved(_signed(k)), FAILED, FORMAT,
     "signature wrapping: the second signed part moved, forged objects in its place"),
    ("swa-sig-dict-redefined", lambda k: A.swa_sig_redefined(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the signature dictionary redefined in a later update together with new page content"),
    ("swa-second-byterange", lambda k: A.swa_sig_redefined(_signed(k), second_range=True), INDET, SIG_CONSTRAINTS,
     "a redefined signature dictionary with a second /ByteRange"),
    # universal signature forgery, by hand (the hash is right: only the form is wrong)
    ("pdf-hand-signed", lambda k: _hand(k), PASSED, None, "a signature dictionary and CMS written by hand"),
    ("usf-no-filter", lambda k: _hand(k, filter_=None), FAILED, FORMAT, "a signature dictionary without /Filter"),
    ("usf-contents-empty", _contents_empty, FAILED, FORMAT,
     "/Contents holds no bytes"),
    ("usf-byterange-negative", lambda k: _hand(k, byte_range=lambda a, b, c, d, n: (0, b, c, -d)), FAILED, FORMAT,
     "/ByteRange with a negative length"),
    ("usf-byterange-overlapping", lambda k: _hand(k, byte_range=lambda a, b, c, d, n: (0, b, b - 10, d + c - b + 10)),
     FAILED, FORMAT, "/ByteRange whose second part overlaps the first"),
    ("usf-byterange-partial", lambda k: _hand(k, byte_range=lambda a, b, c, d, n: (0, b, c, 0)), FAILED, FORMAT,
     "/ByteRange [0 a b 0]: the signature does not cover the rest of its own revision"),
    ("usf-byterange-past-eof", lambda k: _hand(k, byte_range=lambda a, b, c, d, n: (0, b, c, d + 5000)), FAILED,
     FORMAT, "/ByteRange beyond the end of the file"),
    ("usf-subfilter-sha1-detached", lambda k: _hand(k, subfilter="/adbe.pkcs7.sha1"), FAILED, FORMAT,
     "/SubFilter adbe.pkcs7.sha1 over a detached CMS signature (the sub-filter wants the SHA-1 encapsulated)"),
    ("usf-subfilter-x509", lambda k: _hand(k, subfilter="/adbe.x509.rsa_sha1"), FAILED, FORMAT,
     "/SubFilter adbe.x509.rsa_sha1 (a PKCS#1 value, not CMS; withdrawn in PDF 2.0) over a CMS"),
    ("usf-cms-no-certificate", lambda k: _hand(k, certs=[]), INDET, "NO_SIGNING_CERTIFICATE_FOUND",
     "the CMS in /Contents carries no certificate"),
    ("usf-cms-no-message-digest", lambda k: _hand(k, drop=("message_digest",)), FAILED, FORMAT,
     "signed attributes without messageDigest (RFC 5652, 5.3)"),
    ("usf-cms-content-type-mismatch", lambda k: _hand(k, content_type="signed_data"), FAILED, FORMAT,
     "the contentType attribute is not the eContentType (RFC 5652, 11.1)"),
    ("usf-cms-sha1-signature", lambda k: _hand(k, sig_md="sha1"), INDET, CRYPTO,
     "digestAlgorithm SHA-256 but the signature over the attributes is ecdsa-with-SHA1"),
    # DocMDP / FieldMDP both ways
    ("pdf-p1-then-signed", lambda k: A.hand_sign(_signed(k, certify=MDPPerm.NO_CHANGES), k.cert, k.key, k.chain,
                                                  name="Sig2"), INDET, SIG_CONSTRAINTS,
     "certified P=1 by pyHanko, then signed by hand (pyHanko refuses to): not even a signature may be added"),
    ("pdf-p3-fill-blank-field", lambda k: P.fill_field(_p3(k, P.base_pdf(P.BLANK_RECT)), b"Da nhan"), PASSED, None,
     "P=3 permits form filling"),
    ("pdf-p3-page-content", lambda k: P.replace_page_content(_p3(k)), INDET, SIG_CONSTRAINTS,
     "P=3 does not permit changing the page content"),
    ("pdf-p2-page-content", lambda k: P.replace_page_content(_signed(k, certify=MDPPerm.FILL_FORMS)), INDET,
     SIG_CONSTRAINTS, "P=2 does not permit changing the page content"),
    ("pdf-lock-p1-then-fill", _lock_p1_then_fill, INDET, SIG_CONSTRAINTS,
     "an approval signature whose field /Lock says P=1: form filling is not permitted"),
    ("pdf-fieldmdp-all-then-fill", lambda k: _fieldmdp(k, FieldMDPAction.ALL, None, b"x"), INDET, SIG_CONSTRAINTS,
     "FieldMDP /All locks every field"),
    ("pdf-fieldmdp-exclude-then-fill", lambda k: _fieldmdp(k, FieldMDPAction.EXCLUDE, ["Ghi chu"], b"x"), PASSED,
     None, "FieldMDP /Exclude [Ghi chu]: that field may be filled"),
    ("pdf-fieldmdp-exclude-other-then-fill", lambda k: _fieldmdp(k, FieldMDPAction.EXCLUDE, ["Khac"], b"x"), INDET,
     SIG_CONSTRAINTS, "FieldMDP /Exclude [Khac]: every other field, this one too, is locked"),
]


# endesive declares rsaEncryption as the signature algorithm whatever the key: it signs with RSA keys only
ENDESIVE_CASES = [
    ("endesive-pdf", lambda k: _endesive(k), PASSED, None, "signed by endesive (its own incremental writer)"),
    ("endesive-pdf-tampered", lambda k: P.flip_signed_byte(_endesive(k)), FAILED, "HASH_FAILURE",
     "endesive-signed, the signed words changed"),
    ("endesive-pdf-content-update", lambda k: P.replace_page_content(_endesive(k)), INDET, SIG_CONSTRAINTS,
     "endesive-signed, then an incremental update replaces the page content"),
    ("endesive-pdf-annotation", lambda k: P.add_annotation(_endesive(k), P.BLANK_RECT), INDET, SIG_CONSTRAINTS,
     "endesive-signed (approval), then an annotation is added"),
    ("endesive-pdf-isa-no-xref", lambda k: P.appended_without_xref(_endesive(k)), INDET, SIG_CONSTRAINTS,
     "endesive-signed, then objects appended without a cross-reference section"),
    ("endesive-then-pyhanko", lambda k: k.pdf.sign(_endesive(k), "Sig2"), PASSED, None,
     "signed by endesive, then by pyHanko"),
    ("pyhanko-then-endesive", lambda k: E.sign(_signed(k), k.cert, k.key, k.chain, field="Sig2"), PASSED, None,
     "signed by pyHanko, then by endesive"),
]


@pytest.fixture
def kit(make, chain):
    return Kit(make, chain)


@pytest.mark.parametrize("case", PDF_ATTACKS, ids=[c[0] for c in PDF_ATTACKS])
def test_pdf_attack_corpus(kit, case, tmp_path, capsys):
    name, build, indication, sub, reason = case
    assert_case(build(kit), f"{name}.pdf", indication, sub, reason, tmp_path, capsys)


@pytest.fixture
def rsa_kit(make, chain, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    return RsaKit(make, chain, work)


@pytest.mark.parametrize("case", ENDESIVE_CASES, ids=[c[0] for c in ENDESIVE_CASES])
def test_endesive_pdf_corpus(rsa_kit, case, tmp_path, capsys):
    name, build, indication, sub, reason = case
    assert_case(build(rsa_kit), f"{name}.pdf", indication, sub, reason, tmp_path, capsys)
