"""The verdict corpus, fifth part: the unsigned parts of an XML signature. Kyso refused a forged dossier in a
ds:Object or in KeyInfo but looked nowhere else a signature leaves unsigned: a forged <HoSo> appended inside
ds:SignatureValue (after its base64 text; the base64 checks read only the first text node), free text between
the signature's parts, a foreign attribute, a key name, an unknown XMLDSig element in KeyInfo, and — in XAdES —
a forged <HoSo> inside xades:UnsignedSignatureProperties or directly in xades:QualifyingProperties (any child
of an Object's QualifyingProperties was taken as XAdES) were all TOTAL_PASSED, while a reader searching the file
(//MucLuong, the signature moved first in the root) reads the forgery. They are now INDETERMINATE /
SIG_CONSTRAINTS_FAILURE, as for a forged dossier in a ds:Object; a value split by an element is no base64 value
(TOTAL_FAILED / FORMAT_FAILURE, as one split by an instruction). Thousands of decoy certificates before the
signer's in KeyInfo made signxml's full check run once per certificate (minutes, with inclusive C14N): the
signer's key is now found on SignedInfo canonicalised once, and a KeyInfo with more certificates than Kyso reads
is refused at once (TOTAL_FAILED / FORMAT_FAILURE). Kyso's own XAdES B-T and B-LT and xmlsec1's signatures still
pass. Each case: the indication and sub-indication ETSI EN 319 102-1 gives, CLI and API agreeing."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree

from kyso.signing.verify import verify_bytes
from kyso.signing.xml import sign_xml
from kyso.signing.xmlverify import MAX_KEY_INFO_CERTIFICATES

from . import corpus_xml as X
from .helpers import foreign_ca
from .test_verdict_corpus import FAILED, FORMAT, INDET, PASSED, SIG_CONSTRAINTS, assert_built_case
from .test_verdict_corpus_xml_cms_variants import Kit, _vietnamese_reasons, _xmlsec_id

DS = X.DS
XADES = "http://uri.etsi.org/01903/v1.3.2#"
HOSO = "http://kyso.vss.gov.vn/hoso/1"
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
INCLUSIVE = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
FORGED = f'<HoSo xmlns="{HOSO}"><MucLuong>1</MucLuong><NguoiNhan>Ke Gian</NguoiNhan></HoSo>'


@pytest.fixture
def kit(make, chain, work):
    return Kit(make, chain, work)


def _forged():
    return etree.fromstring(FORGED)


def _first(root) -> bytes:
    """The signature moved to be the root's first child (no white space around it: the digest still holds), so
    that a reader's first //MucLuong is the one inside the signature."""
    sig = root.find(f"{{{DS}}}Signature")
    root.remove(sig)
    root.insert(0, sig)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _in_signature_value(signed: bytes, *, split: bool = False) -> bytes:
    root = etree.fromstring(signed)
    value = root.find(f".//{{{DS}}}SignatureValue")
    forged = _forged()
    if split:
        text = value.text
        value.text, forged.tail = text[:100], text[100:]
    value.append(forged)
    return _first(root)


def _b64(cert) -> bytes:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER))


def _key_info_referenced(k, key_name: str) -> bytes:
    """KeyInfo signed (a reference by its Id) and holding a key name."""
    ref = (f'<Reference URI="#ki"><Transforms><Transform Algorithm="{EXC}"/></Transforms>'
           f'<DigestMethod Algorithm="{X.SHA256}"/><DigestValue/></Reference>')
    tpl = X.template(extra_refs=ref).replace(b"<KeyInfo>", f'<KeyInfo Id="ki"><KeyName>{key_name}</KeyName>'.encode())
    return _xmlsec_id(k, tpl, f"Id={DS}:KeyInfo")


# ---- XAdES: Kyso's own signatures, and what is put in their unsigned properties after signing --------------

def _kyso(k, level: str) -> bytes:
    return sign_xml(X.template(key_info=False).split(b"<Signature", 1)[0] + b"</HoSo>\n", k.key_handle, k.cert,
                    chain=k.chain[:-1], level=level)


def _qualifying(root):
    return root.find(f".//{{{XADES}}}QualifyingProperties")


def _unsigned_signature_properties(root):
    qp = _qualifying(root)
    unsigned = qp.find(f"{{{XADES}}}UnsignedProperties")
    if unsigned is None:
        unsigned = etree.SubElement(qp, f"{{{XADES}}}UnsignedProperties")
    usp = unsigned.find(f"{{{XADES}}}UnsignedSignatureProperties")
    return usp if usp is not None else etree.SubElement(unsigned, f"{{{XADES}}}UnsignedSignatureProperties")


def _xades_added(k, level: str, add) -> bytes:
    root = etree.fromstring(_kyso(k, level))
    add(root)
    return _first(root)


def _in_certificate_values(root):
    values = _unsigned_signature_properties(root).find(f"{{{XADES}}}CertificateValues")
    etree.SubElement(values, f"{{{XADES}}}OtherCertificate").append(_forged())


def _unsigned_data_object_properties(root):
    unsigned = _qualifying(root).find(f"{{{XADES}}}UnsignedProperties")
    prop = etree.SubElement(etree.SubElement(unsigned, f"{{{XADES}}}UnsignedDataObjectProperties"),
                            f"{{{XADES}}}UnsignedDataObjectProperty")
    prop.append(_forged())


def _text_in_unsigned_properties(root):
    usp = _unsigned_signature_properties(root)
    usp[0].tail = "Muc luong: 1 dong"


# ---- decoy certificates -----------------------------------------------------------------------------------

def _decoys(k, count: int) -> bytes:
    """xmlsec1's signature with SignedInfo canonicalised by inclusive C14N (signxml's path, not the quick
    check), `count` copies of a certificate of another CA before the signer's in X509Data."""
    tpl = X.template().replace(f'<CanonicalizationMethod Algorithm="{EXC}"/>'.encode(),
                               f'<CanonicalizationMethod Algorithm="{INCLUSIVE}"/>'.encode())
    _ca, decoy, _key = foreign_ca()
    signed = k.xmlsec(tpl)
    return signed.replace(b"<X509Data>", b"<X509Data>" + b"<X509Certificate>%s</X509Certificate>" % _b64(decoy)
                          * count, 1)


UNSIGNED_PARTS = [
    # controls
    ("xml-xmlsec1-control", lambda k: k.xmlsec(), PASSED, None, "xmlsec1's enveloped signature, untouched"),
    ("xml-signature-moved-first", lambda k: _first(etree.fromstring(k.xmlsec())), PASSED, None,
     "the same signature moved to be the root's first child (nothing added)"),
    ("xml-key-name-empty", lambda k: k.xmlsec(X.template().replace(b"<KeyInfo>", b"<KeyInfo><KeyName/>")), PASSED,
     None, "an empty KeyName in KeyInfo (xmlsec1's templates)"),
    ("xml-key-name-signed", lambda k: _key_info_referenced(k, "Nguyen Van Ky"), PASSED, None,
     "a key name in a KeyInfo the signature references: signed"),
    ("xml-subject-name-issuer-serial", lambda k: k.xmlsec().replace(b"<X509Data>", (
        b"<X509Data><X509SubjectName>CN=Nguyen Van Ky</X509SubjectName><X509IssuerSerial><X509IssuerName>CN=Khac"
        b"</X509IssuerName><X509SerialNumber>12345</X509SerialNumber></X509IssuerSerial>"), 1), PASSED, None,
     "X509SubjectName and X509IssuerSerial beside the certificate (.NET writes them; unsigned hints)"),
    ("xml-comment-between-signature-parts", lambda k: k.xmlsec().replace(b"</SignedInfo>", b"</SignedInfo><!-- x -->"),
     PASSED, None, "a comment between SignedInfo and SignatureValue (no text)"),
    # A: SignatureValue and the signature's own text and attributes
    ("xml-signature-value-forged-dossier", lambda k: _in_signature_value(k.xmlsec()), INDET, SIG_CONSTRAINTS,
     "a forged dossier appended inside SignatureValue after its base64 text, the signature moved first"),
    ("xml-signature-value-split-by-element", lambda k: _in_signature_value(k.xmlsec(), split=True), FAILED, FORMAT,
     "the same element in the middle of the value: no base64 value (as one split by an instruction)"),
    ("xml-text-between-signature-parts", lambda k: k.xmlsec().replace(b"</SignedInfo>",
                                                                      b"</SignedInfo>Muc luong: 1 dong"),
     INDET, SIG_CONSTRAINTS, "free text between SignedInfo and SignatureValue"),
    ("xml-text-after-key-info", lambda k: k.xmlsec().replace(b"</KeyInfo>", b"</KeyInfo>Muc luong: 1 dong"),
     INDET, SIG_CONSTRAINTS, "free text after KeyInfo, directly in the Signature"),
    ("xml-signature-value-foreign-attribute", lambda k: k.xmlsec().replace(
        b"<SignatureValue>", f'<SignatureValue xmlns:h="{HOSO}" h:MucLuong="1">'.encode()), INDET, SIG_CONSTRAINTS,
     "an attribute of the dossier's namespace on SignatureValue"),
    ("xml-signature-value-unknown-attribute", lambda k: k.xmlsec().replace(
        b"<SignatureValue>", b'<SignatureValue MucLuong="1">'), INDET, SIG_CONSTRAINTS,
     "an attribute XMLDSig does not give SignatureValue"),
    ("xml-signature-unknown-attribute", lambda k: k.xmlsec().replace(
        f'<Signature xmlns="{DS}">'.encode(), f'<Signature xmlns="{DS}" MucLuong="1">'.encode()), INDET,
     SIG_CONSTRAINTS, "an attribute XMLDSig does not give Signature"),
    # A: KeyInfo
    ("xml-key-name-unsigned-text", lambda k: k.xmlsec().replace(b"<KeyInfo>", b"<KeyInfo><KeyName>Khoa ky so"
                                                                              b"</KeyName>"), PASSED, None,
     "a key name (XMLDSig's free-text hint) in an unsigned KeyInfo, as real signers write it"),
    ("xml-key-name-with-an-element", lambda k: k.xmlsec().replace(b"<KeyInfo>", b"<KeyInfo><KeyName>k<HoSo>1</HoSo>"
                                                                                b"</KeyName>"), INDET, SIG_CONSTRAINTS,
     "an element inside a key name"),
    ("xml-key-info-unknown-xmldsig-element", lambda k: k.xmlsec().replace(b"<KeyInfo>", b"<KeyInfo><MucLuong>1"
                                                                                        b"</MucLuong>"),
     INDET, SIG_CONSTRAINTS, "an element of the XMLDSig namespace XMLDSig does not define, in KeyInfo"),
    ("xml-key-info-text", lambda k: k.xmlsec().replace(b"<KeyInfo>", b"<KeyInfo>Muc luong: 1 dong"), INDET,
     SIG_CONSTRAINTS, "free text directly in KeyInfo"),
    ("xml-x509-data-text", lambda k: k.xmlsec().replace(b"<X509Data>", b"<X509Data>Muc luong: 1 dong", 1), INDET,
     SIG_CONSTRAINTS, "free text directly in X509Data"),
    ("xml-certificate-holds-forged-dossier", lambda k: k.xmlsec().replace(
        b"</X509Certificate>", FORGED.encode() + b"</X509Certificate>", 1), INDET, SIG_CONSTRAINTS,
     "a forged dossier inside X509Certificate, after the certificate's base64 text"),
    ("xml-x509-data-forged-dossier", lambda k: k.xmlsec().replace(b"</X509Data>", FORGED.encode() + b"</X509Data>", 1),
     INDET, SIG_CONSTRAINTS, "a forged dossier in X509Data after the certificate"),
    # B: XAdES unsigned properties
    ("xades-b-t-control", lambda k: _kyso(k, "B-T"), PASSED, None, "Kyso's own XAdES B-T"),
    ("xades-b-lt-control", lambda k: _kyso(k, "B-LT"), PASSED, None, "Kyso's own XAdES B-LT"),
    ("xades-b-lt-moved-first", lambda k: _xades_added(k, "B-LT", lambda root: None), PASSED, None,
     "Kyso's own XAdES B-LT, the signature moved to be the root's first child"),
    ("xades-forged-dossier-in-unsigned-signature-properties", lambda k: _xades_added(
        k, "B-B", lambda root: _unsigned_signature_properties(root).append(_forged())), INDET, SIG_CONSTRAINTS,
     "a forged dossier in UnsignedSignatureProperties of Kyso's XAdES B-B"),
    ("xades-b-t-forged-dossier-in-unsigned-signature-properties", lambda k: _xades_added(
        k, "B-T", lambda root: _unsigned_signature_properties(root).append(_forged())), INDET, SIG_CONSTRAINTS,
     "the same beside the signature time-stamp of a B-T"),
    ("xades-forged-dossier-in-qualifying-properties", lambda k: _xades_added(
        k, "B-B", lambda root: _qualifying(root).append(_forged())), INDET, SIG_CONSTRAINTS,
     "a forged dossier directly in QualifyingProperties"),
    ("xades-forged-dossier-in-certificate-values", lambda k: _xades_added(k, "B-LT", _in_certificate_values),
     INDET, SIG_CONSTRAINTS, "a forged dossier in an OtherCertificate of a B-LT's CertificateValues"),
    ("xades-unsigned-data-object-properties", lambda k: _xades_added(k, "B-T", _unsigned_data_object_properties),
     INDET, SIG_CONSTRAINTS, "an UnsignedDataObjectProperty holding a forged dossier"),
    ("xades-text-in-unsigned-properties", lambda k: _xades_added(k, "B-T", _text_in_unsigned_properties), INDET,
     SIG_CONSTRAINTS, "free text beside the signature time-stamp"),
    # C: decoy certificates
    ("xml-decoy-certificates-few-hundred", lambda k: _decoys(k, 300), PASSED, None,
     "300 copies of another CA's certificate before the signer's, inclusive C14N: the signer's is found"),
    ("xml-decoy-certificates-absurd", lambda k: _decoys(k, MAX_KEY_INFO_CERTIFICATES), FAILED, FORMAT,
     "more certificates in KeyInfo than Kyso reads: refused before any is tried"),
]


@pytest.mark.parametrize("case", UNSIGNED_PARTS, ids=[c[0] for c in UNSIGNED_PARTS])
def test_unsigned_parts_corpus(kit, case, tmp_path, capsys):
    _vietnamese_reasons(assert_built_case(case, kit, "xml", tmp_path, capsys))


def test_the_forged_dossier_is_what_a_reader_finds_first(kit):
    """The forgeries above are the ones a reader takes: the first //MucLuong is the forged value."""
    for data in (_in_signature_value(kit.xmlsec()),
                 _xades_added(kit, "B-B", lambda root: _unsigned_signature_properties(root).append(_forged()))):
        assert etree.fromstring(data).xpath("//h:MucLuong/text()", namespaces={"h": HOSO})[0] == "1"


def test_an_absurd_certificate_count_is_refused_before_any_is_read(kit):
    report = verify_bytes(_decoys(kit, MAX_KEY_INFO_CERTIFICATES))
    sig = report.signatures[0]
    assert [c.code for c in sig.checks] == ["format.key_info_certificates"], sig.to_dict()
    assert sig.signer == ""


def test_the_unsigned_content_is_named_for_the_it_center(kit):
    sig = verify_bytes(_in_signature_value(kit.xmlsec())).signatures[0]
    failed = [c for c in sig.checks if c.ok is False]
    assert [c.code for c in failed] == ["coverage.unsigned_content"]
    assert failed[0].detail == f"Signature/SignatureValue/{{{HOSO}}}HoSo"
