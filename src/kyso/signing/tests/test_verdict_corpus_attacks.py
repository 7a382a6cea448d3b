"""The verdict corpus, second part: attack and malformation variants built by hand and with independent tools
(plain pyHanko, endesive, a CMS made with asn1crypto + cryptography, xmlsec1, signxml). Each case: the
indication and sub-indication ETSI EN 319 102-1 gives and a one-line reason; CLI and API must agree."""

from __future__ import annotations

import io
import re

import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec

from kyso.signing.timestamps import KysoTimeStamper

from . import corpus_attacks as A
from . import corpus_cms as C
from . import corpus_endesive as E
from . import corpus_pdf as P
from . import corpus_xml as X
from .helpers import foreign_ca
from .test_verdict_corpus import (FAILED, FORMAT, INDET, PASSED, SIG_CONSTRAINTS, assert_built_case,
                                  assert_refused)

CRYPTO = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"


def _signed(k, base=None, field=False, **kw):
    return k.pdf.sign(base if base is not None else P.base_pdf(P.TEXT_RECT if field else None), **kw)


def _hand(k, **kw):
    return A.hand_sign(P.base_pdf(), k.cert, k.key, k.chain, **kw)


def _p3(k, base=None):
    return _signed(k, base, certify=MDPPerm.ANNOTATE)


def _doc_timestamp(data: bytes) -> bytes:
    """A document time-stamp (Kyso's TSA) appended by plain pyHanko: an LTA update."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    return PdfTimeStamper(KysoTimeStamper(), field_name="TS1").timestamp_pdf(w, "sha256").getvalue()


def _cert_entry_mismatch(k):
    """/Cert names the victim's certificate; the CMS is signed by a stranger's key and certificate."""
    _ca, cert, key = foreign_ca()
    victim = generic.ByteStringObject(k.cert.public_bytes(serialization.Encoding.DER))
    return A.hand_sign(P.base_pdf(), cert, key, extra={generic.NameObject("/Cert"): victim})


def _endesive(k):
    return E.sign(P.base_pdf(), k.cert, k.key, k.chain)


def _prev_skips(k):
    unsigned = P.base_pdf()
    return A.isa_prev_skips_signature(unsigned, k.pdf.sign(unsigned))


def _lock_p1_then_fill(k):
    w_spec = SigFieldSpec(sig_field_name="Sig1", doc_mdp_update_value=MDPPerm.NO_CHANGES,
                          field_mdp_spec=FieldMDPSpec(action=FieldMDPAction.INCLUDE, fields=["Khac"]))
    w = IncrementalPdfFileWriter(io.BytesIO(P.base_pdf(P.BLANK_RECT)))
    meta = signers.PdfSignatureMetadata(field_name="Sig1")
    signed = signers.sign_pdf(w, meta, signer=k.pdf.pyhanko, new_field_spec=w_spec).getvalue()
    return P.fill_field(signed, b"Ok")


def _contents_empty(k):
    """/Contents <> with the rest of the gap blank (the ByteRange unchanged)."""
    data = _signed(k)
    m = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", data)
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
    ("shadow-new-text-field", lambda k: A.add_text_field(_signed(k, field=True), P.TEXT_RECT), INDET,
     SIG_CONSTRAINTS, "a new text field with an opaque value added over the signed words"),
    ("pdf-new-text-field-blank", lambda k: A.add_text_field(_signed(k, field=True), P.BLANK_RECT), INDET,
     SIG_CONSTRAINTS, "adding a new (non-signature) form field is no form filling (ISO 32000-2, 12.8.2.2)"),
    ("pdf-p3-page-added", lambda k: A.add_page(_p3(k)), INDET, SIG_CONSTRAINTS,
     "a page added after signing: no DocMDP level permits it"),
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
    ("usf-cert-entry-mismatch", _cert_entry_mismatch, INDET, "NO_CERTIFICATE_CHAIN_FOUND",
     "/Cert names a trusted certificate, the CMS is a stranger's: the CMS signer is judged, /Cert is ignored"),
    # DocMDP / FieldMDP both ways
    ("pdf-p1-document-timestamp", lambda k: _doc_timestamp(_signed(k, certify=MDPPerm.NO_CHANGES)), PASSED, None,
     "certified P=1, then a document time-stamp (an LTA update, permitted at every level)"),
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


@pytest.mark.parametrize("case", PDF_ATTACKS, ids=[c[0] for c in PDF_ATTACKS])
def test_pdf_attack_corpus(kit, case, tmp_path, capsys):
    assert_built_case(case, kit, "pdf", tmp_path, capsys)


@pytest.mark.parametrize("case", ENDESIVE_CASES, ids=[c[0] for c in ENDESIVE_CASES])
def test_endesive_pdf_corpus(rsa_kit, case, tmp_path, capsys):
    assert_built_case(case, rsa_kit, "pdf", tmp_path, capsys)


# ---- XML ---------------------------------------------------------------------------------------------------

def _xml_foreign_key_victim_cert(k):
    """The attacker signs with his own key and puts the victim's certificate in KeyInfo (not signed)."""
    _ca, _cert, key = foreign_ca()
    return X.with_certificate(X.xmlsec_sign(k.tmp, X.template(key_info=False), _cert, key), k.cert)


def _xml_key_info(k, inner: bytes):
    return k.xmlsec(X.template(key_info=False)).replace(b"</Signature>", b"<KeyInfo>" + inner + b"</KeyInfo></Signature>")


def _xml_second_signature(k, *, broken: bool):
    signed = k.xmlsec()
    sig = signed[signed.index(b"<Signature"):signed.index(b"</Signature>") + len(b"</Signature>")]
    second = X.flip_signature_value(sig) if broken else sig
    return signed.replace(b"<MaThuTuc>", second.replace(b"<Signature", b"<Signature Id=\"s2\"", 1) + b"<MaThuTuc>", 1)


def _xml_nested_signature(k):
    signed = k.xmlsec()
    sig = signed[signed.index(b"<Signature"):signed.index(b"</Signature>") + len(b"</Signature>")]
    return signed.replace(sig, b"").replace(b"</Ten>", sig + b"</Ten>", 1)


FILTER2 = ('<Transform Algorithm="http://www.w3.org/2002/06/xmldsig-filter2"><XPath '
           'xmlns="http://www.w3.org/2002/06/xmldsig-filter2" Filter="subtract">//*[local-name()="MucLuong"]</XPath>'
           '</Transform>')
XPATH_REBOUND = ('<Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><XPath '
                 'xmlns:ds="http://kyso.vss.gov.vn/hoso/1">not(ancestor-or-self::ds:Signature)</XPath></Transform>')
RETRIEVE = b'<RetrievalMethod URI="%s" Type="http://www.w3.org/2000/09/xmldsig#rawX509Certificate"/>'

XML_ATTACKS = [
    ("xml-comment-in-signed-text", lambda k: k.xmlsec().replace(b"<MucLuong>8500000", b"<MucLuong>85<!---->00000"),
     INDET, SIG_CONSTRAINTS, "a comment added inside a signed value after signing (exc-c14n drops comments, a "
     "reader taking the first text node sees 85)"),
    ("xml-comment-outside-values", lambda k: k.xmlsec().replace(b"<MaThuTuc>", b"<!-- ghi chu --><MaThuTuc>"),
     PASSED, None, "a comment between elements: no value changes (exc-c14n without comments)"),
    ("xml-second-signature-broken", lambda k: _xml_second_signature(k, broken=True), FAILED, "SIG_CRYPTO_FAILURE",
     "a forged Signature element inserted first after signing (and the original no longer matches)"),
    ("xml-signature-nested", _xml_nested_signature, INDET, SIG_CONSTRAINTS,
     "the signature moved into a child element (still enveloped, digest intact): not a child of the root"),
    ("xml-retrieval-method-only", lambda k: _xml_key_info(k, RETRIEVE % b"http://127.0.0.1:9/cert.der"), INDET,
     "NO_SIGNING_CERTIFICATE_FOUND", "KeyInfo names the certificate by a RetrievalMethod URL (never fetched)"),
    ("xml-retrieval-method-file", lambda k: _xml_key_info(k, RETRIEVE % b"file:///etc/ssl/certs/ca-certificates.crt"),
     INDET, "NO_SIGNING_CERTIFICATE_FOUND", "KeyInfo's RetrievalMethod names a local file (never read)"),
    ("xml-foreign-key-victim-certificate", _xml_foreign_key_victim_cert, FAILED, "SIG_CRYPTO_FAILURE",
     "signed with another key, the victim's certificate put in KeyInfo"),
    ("xml-xpath-filter2", lambda k: k.xmlsec(X.template(transforms=X.ENVELOPED + FILTER2 + X.EXC_C14N)), FAILED,
     FORMAT, "an XPath Filter 2.0 transform subtracting a signed value (refused)"),
    ("xml-xpath-ds-rebound", lambda k: k.xmlsec(X.template(transforms=X.ENVELOPED + XPATH_REBOUND + X.EXC_C14N)),
     FAILED, FORMAT, "the enveloped XPath with ds bound to another namespace (excludes other elements)"),
    ("xml-utf16be-no-bom", lambda k: X.reencode(k.xmlsec(), "utf-16-be", bom=False, declared="UTF-16"), PASSED,
     None, "UTF-16BE without a byte-order mark, recognised from '<?'"),
    ("xml-utf32-bom", lambda k: b"\xff\xfe\x00\x00" + k.xmlsec().decode().replace('encoding="UTF-8"', 'encoding="UTF-32"', 1)
     .encode("utf-32-le"), PASSED, None, "UTF-32LE with a byte-order mark"),
]


@pytest.mark.parametrize("case", XML_ATTACKS, ids=[c[0] for c in XML_ATTACKS])
def test_xml_attack_corpus(rsa_kit, case, tmp_path, capsys):
    assert_built_case(case, rsa_kit, "xml", tmp_path, capsys)


@pytest.mark.parametrize("data", [
    "<?xml version=\"1.0\" encoding=\"cp037\"?><HoSo/>".encode("cp037"),
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE h [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     '<h>&x;<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/></h>').encode("utf-16-be"),
], ids=["ebcdic", "utf16be-dtd-no-bom"])
def test_refused_xml_is_a_clean_exit_3(data, db, tmp_path, capsys):
    """EBCDIC is no encoding Kyso reads, a DTD is refused before parsing: exit 3 with a message, no traceback,
    HTTP 400 — never a verdict from a half-read file."""
    assert_refused(data, tmp_path, capsys)


# ---- CMS by hand (asn1crypto + cryptography) -----------------------------------------------------------------

def _cms_two_signers(k, *, second_broken: bool):
    content = b"Quyet dinh so 15/QD-BHXH"
    first = C.signer_info(k.cert, k.key, content)
    second = C.signer_info(k.cert, k.key, content)
    if second_broken:
        sig = bytearray(second["signature"].native)
        sig[-1] ^= 1
        second["signature"] = bytes(sig)
    return C.signed_data([first, second], [k.cert, *k.chain], content=content)


CMS_ATTACKS = [
    ("cms-hand", lambda k: C.attached(k.cert, k.key, k.chain), PASSED, None, "CMS written with asn1crypto"),
    ("cms-hand-no-signed-attributes", lambda k: C.attached(k.cert, k.key, k.chain, signed_attrs=False), PASSED,
     None, "a SignerInfo without signed attributes (the signature over the content itself, RFC 5652 5.4)"),
    ("cms-hand-no-signer-certificate", lambda k: C.attached(k.cert, k.key, k.chain, certs=list(k.chain)), INDET,
     "NO_SIGNING_CERTIFICATE_FOUND", "the chain is there, the signer's certificate is not"),
    ("cms-no-message-digest", lambda k: C.attached(k.cert, k.key, k.chain, drop=("message_digest",)), FAILED,
     FORMAT, "signed attributes without messageDigest (RFC 5652, 5.3)"),
    ("cms-content-type-mismatch", lambda k: C.attached(k.cert, k.key, k.chain, content_type="signed_data"), FAILED,
     FORMAT, "the contentType attribute is not the eContentType (RFC 5652, 11.1)"),
    ("cms-no-content-type", lambda k: C.attached(k.cert, k.key, k.chain, drop=("content_type",)), FAILED, FORMAT,
     "signed attributes without contentType (RFC 5652, 5.3)"),
    ("cms-md5", lambda k: C.attached(k.cert, k.key, k.chain, md="md5"), INDET, CRYPTO, "digest MD5"),
    ("cms-sha1-signature-sha256-digest", lambda k: C.attached(k.cert, k.key, k.chain, sig_md="sha1"), INDET, CRYPTO,
     "digestAlgorithm SHA-256, the signature over the attributes sha1WithRSAEncryption"),
    ("cms-signature-algorithm-lies", lambda k: C.attached(k.cert, k.key, k.chain, sig_alg="sha512_rsa"), FAILED,
     "SIG_CRYPTO_FAILURE", "signed with SHA-256, declared sha512WithRSAEncryption"),
    ("cms-second-signer-broken", lambda k: _cms_two_signers(k, second_broken=True), FAILED, "SIG_CRYPTO_FAILURE",
     "two SignerInfos, the second one's signature does not verify"),
    ("cms-two-signers", lambda k: _cms_two_signers(k, second_broken=False), PASSED, None,
     "two SignerInfos, both valid"),
]


@pytest.mark.parametrize("case", CMS_ATTACKS, ids=[c[0] for c in CMS_ATTACKS])
def test_cms_attack_corpus(rsa_kit, case, tmp_path, capsys):
    assert_built_case(case, rsa_kit, "p7s", tmp_path, capsys)


XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"


def _xades_props(signing_time="2026-01-01T00:00:00Z", unsigned=""):
    return (f'<Object><xades:QualifyingProperties xmlns:xades="{XADES_NS}" Target="#sig"><xades:SignedProperties '
            f'Id="sp"><xades:SignedSignatureProperties><xades:SigningTime>{signing_time}</xades:SigningTime>'
            f'</xades:SignedSignatureProperties></xades:SignedProperties>{unsigned}</xades:QualifyingProperties>'
            '</Object>')


def _xml_unreferenced_signed_properties(k):
    """QualifyingProperties whose SignedProperties no Reference covers (anybody may rewrite them)."""
    tpl = X.template().replace(b"<Signature xmlns=", b'<Signature Id="sig" xmlns=').replace(
        b"</KeyInfo></Signature>", b"</KeyInfo>" + _xades_props().encode() + b"</Signature>")
    return k.xmlsec(tpl)


def _xml_broken_timestamp(k):
    """A XAdES-T whose EncapsulatedTimeStamp is no time-stamp token (unsigned properties: added after signing)."""
    signed = X.signxml_sign(k.cert, k.key, xades=True)
    prefix = b"xades:" if b"<xades:SignedProperties" in signed else b""
    ts = (b"<%sUnsignedProperties><%sUnsignedSignatureProperties><%sSignatureTimeStamp><%sEncapsulatedTimeStamp>"
          b"MIIBAgMEBQY=</%sEncapsulatedTimeStamp></%sSignatureTimeStamp></%sUnsignedSignatureProperties>"
          b"</%sUnsignedProperties>") % ((prefix,) * 8)
    return signed.replace(b"</%sSignedProperties>" % prefix, b"</%sSignedProperties>" % prefix + ts, 1)


XADES_ATTACKS = [
    ("xml-xades-signed-properties-unreferenced", _xml_unreferenced_signed_properties, FAILED, FORMAT,
     "XAdES SignedProperties that no Reference covers (EN 319 132-1 requires it signed)"),
    ("xml-xades-timestamp-garbage", _xml_broken_timestamp, FAILED, FORMAT,
     "a signature time-stamp that is no time-stamp token"),
]


@pytest.mark.parametrize("case", XADES_ATTACKS, ids=[c[0] for c in XADES_ATTACKS])
def test_xades_attack_corpus(rsa_kit, case, tmp_path, capsys):
    assert_built_case(case, rsa_kit, "xml", tmp_path, capsys)
