"""Kyso's verdicts on documents signed elsewhere (xmlsec1, plain pyHanko, openssl cms) and on broken
ones: tampered, wrong key, untrusted, expired, revoked — each with the right ETSI sub-indication."""

import io
import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from lxml import etree

from kyso.core.context import acting_as
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import DS, sign_xml

from .helpers import expired_person_cert, foreign_ca, key_pem, pem, person_cert, run

TEMPLATE = b"""<?xml version="1.0" encoding="UTF-8"?>
<HoSo xmlns="http://kyso.vss.gov.vn/hoso/1"><MaThuTuc>600</MaThuTuc><Ten>C\xc3\xb4ng ty A</Ten>
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>
<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
<Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>
<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo>
<SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature></HoSo>
"""


def test_xml_signed_by_xmlsec1_is_judged_valid(make, chain, tmp_path):
    issued, key = make("person", key_spec="rsa2048")
    (tmp_path / "tpl.xml").write_bytes(TEMPLATE)
    (tmp_path / "key.pem").write_bytes(key_pem(key.private_key()))
    (tmp_path / "cert.pem").write_bytes(pem(issued.certificate))
    result = run("xmlsec1", "--sign", "--privkey-pem", f"{tmp_path / 'key.pem'},{tmp_path / 'cert.pem'}",
                 "--output", tmp_path / "out.xml", tmp_path / "tpl.xml")
    assert result.returncode == 0, result.stderr
    report = verify_bytes((tmp_path / "out.xml").read_bytes())
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].kind == "XMLDSig"


def test_xml_signed_by_xmlsec1_over_the_root_id_is_whole(make, chain, tmp_path):
    """A reference to the root element by its Id (URI="#…") covers the whole document too."""
    issued, key = make("person", key_spec="rsa2048")
    tpl = TEMPLATE.replace(b'<HoSo xmlns="http://kyso.vss.gov.vn/hoso/1">',
                           b'<HoSo xmlns="http://kyso.vss.gov.vn/hoso/1" Id="hoso-1">').replace(
        b'<Reference URI="">', b'<Reference URI="#hoso-1">')
    (tmp_path / "tpl.xml").write_bytes(tpl)
    (tmp_path / "key.pem").write_bytes(key_pem(key.private_key()))
    (tmp_path / "cert.pem").write_bytes(pem(issued.certificate))
    result = run("xmlsec1", "--sign", "--id-attr:Id", "http://kyso.vss.gov.vn/hoso/1:HoSo",
                 "--privkey-pem", f"{tmp_path / 'key.pem'},{tmp_path / 'cert.pem'}",
                 "--output", tmp_path / "out.xml", tmp_path / "tpl.xml")
    assert result.returncode == 0, result.stderr
    signed = (tmp_path / "out.xml").read_bytes()
    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert "coverage.whole" in [c.code for c in report.signatures[0].checks]
    # the same Id moved onto a child element: only part of the document is signed
    moved = signed.replace(b' Id="hoso-1"', b"", 1).replace(b"<MaThuTuc>", b'<MaThuTuc Id="hoso-1">', 1)
    report = verify_bytes(moved)
    assert report.indication != "TOTAL_PASSED" and "coverage.partial" in report.codes, report.to_dict()
    # a decoy carrying the same Id in another namespace (signxml matches any namespace) is refused
    decoy = signed.replace(b"<MaThuTuc>", b'<MaThuTuc xmlns:x="urn:x" x:Id="hoso-1">', 1)
    assert verify_bytes(decoy).indication != "TOTAL_PASSED"


def test_pdf_signed_by_plain_pyhanko_is_judged_valid(make, chain, one_page_pdf):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata

    from kyso.signing.keys import to_asn1

    issued, key = make("person", key_spec="rsa2048")
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives import serialization

    der = key.private_key().private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption())
    simple = signers.SimpleSigner(signing_cert=to_asn1(issued.certificate),
                                  signing_key=asn1_keys.PrivateKeyInfo.load(der),
                                  cert_registry=__import__("pyhanko_certvalidator.registry", fromlist=["x"])
                                  .SimpleCertificateStore.from_certs([to_asn1(chain[0])]))
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(one_page_pdf)),
                           PdfSignatureMetadata(field_name="Sig"), signer=simple)
    report = verify_bytes(out.getvalue())
    assert report.indication == "TOTAL_PASSED", report.to_dict()


def test_openssl_cms_attached_signature_is_judged_valid(make, chain, tmp_path):
    issued, key = make("person", key_spec="rsa2048")
    (tmp_path / "doc.txt").write_text("Quyết định số 15/QĐ-BHXH", encoding="utf-8")
    (tmp_path / "key.pem").write_bytes(key_pem(key.private_key()))
    (tmp_path / "cert.pem").write_bytes(pem(issued.certificate))
    (tmp_path / "chain.pem").write_bytes(pem(chain[0]))
    result = run("openssl", "cms", "-sign", "-binary", "-nodetach", "-in", tmp_path / "doc.txt", "-signer",
                 tmp_path / "cert.pem", "-inkey", tmp_path / "key.pem", "-certfile", tmp_path / "chain.pem",
                 "-outform", "DER", "-out", tmp_path / "doc.p7s")
    assert result.returncode == 0, result.stderr
    report = verify_bytes((tmp_path / "doc.p7s").read_bytes())
    assert report.format == "cms"
    assert report.indication == "TOTAL_PASSED", report.to_dict()

    # Detached: the content is not in the file -> INDETERMINATE, SIGNED_DATA_NOT_FOUND.
    run("openssl", "cms", "-sign", "-binary", "-in", tmp_path / "doc.txt", "-signer", tmp_path / "cert.pem",
        "-inkey", tmp_path / "key.pem", "-outform", "DER", "-out", tmp_path / "det.p7s")
    detached = verify_bytes((tmp_path / "det.p7s").read_bytes())
    assert (detached.indication, detached.sub_indication) == ("INDETERMINATE", "SIGNED_DATA_NOT_FOUND")


def test_tampered_xml_fails_with_hash_failure(signer, dossier_xml):
    issued, key = signer
    signed = sign_xml(dossier_xml, key, issued.certificate)
    tampered = signed.replace(b"8500000", b"9500000")
    report = verify_bytes(tampered)
    assert (report.indication, report.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE")
    assert "integrity.digest" in report.codes
    assert any("thay đổi" in m or "changed" in m for m in report.messages)


def test_tampered_pdf_fails(signer, one_page_pdf):
    from kyso.signing.pdf import sign_pdf

    issued, key = signer
    signed = bytearray(sign_pdf(one_page_pdf, key, issued.certificate, level="B-B"))
    i = signed.find(b"Tj", 2000)
    signed[i - 3] ^= 0x01  # flip a bit inside a signed text operator
    report = verify_bytes(bytes(signed))
    assert report.indication == "TOTAL_FAILED"
    assert report.sub_indication == "HASH_FAILURE"


def test_wrong_key_fails_with_sig_crypto_failure(make, dossier_xml):
    a, a_key = make("person", key_spec="rsa2048")
    b, _ = make("person", key_spec="rsa2048")
    signed = sign_xml(dossier_xml, a_key, a.certificate)
    import base64

    from cryptography.hazmat.primitives import serialization

    a_b64 = base64.b64encode(a.certificate.public_bytes(serialization.Encoding.DER))
    b_b64 = base64.b64encode(b.certificate.public_bytes(serialization.Encoding.DER))
    root = etree.fromstring(signed)
    cert_el = root.find(f".//{{{DS}}}X509Certificate")
    assert "".join(cert_el.text.split()).encode() == a_b64
    cert_el.text = b_b64.decode()
    report = verify_bytes(etree.tostring(root))
    assert (report.indication, report.sub_indication) == ("TOTAL_FAILED", "SIG_CRYPTO_FAILURE"), report.to_dict()


def test_untrusted_root_is_indeterminate_no_chain(pki, dossier_xml):
    _ca, cert, key = foreign_ca()
    from kyso.pki.keystore import SoftwareKey

    signed = sign_xml(dossier_xml, SoftwareKey("foreign", key), cert)
    report = verify_bytes(signed)
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")

    # Trusting that root (as an agency would trust a licensed public CA) makes it valid -- but revocation
    # data for that CA is not available offline, so the verdict stays honest: INDETERMINATE, TRY_LATER.
    from kyso.signing.trust import default_trust

    report = verify_bytes(signed, trust=default_trust().with_extra([_ca]))
    assert report.signatures[0].indication in ("TOTAL_PASSED", "INDETERMINATE")
    assert report.sub_indication != "NO_CERTIFICATE_CHAIN_FOUND"


def test_expired_certificate_without_timestamp_is_out_of_bounds(pki, dossier_xml):
    from kyso.pki.keystore import SoftwareKey

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = expired_person_cert(key.public_key())
    signed = sign_xml(dossier_xml, SoftwareKey("expired", key), cert)
    report = verify_bytes(signed)
    assert report.indication == "INDETERMINATE"
    assert report.sub_indication == "OUT_OF_BOUNDS_NO_POE"


def test_revoked_certificate_is_refused(signer, dossier_xml, one_page_pdf):
    from kyso.pki.revocation import revoke
    from kyso.signing.pdf import sign_pdf

    issued, key = signer
    xml_signed = sign_xml(dossier_xml, key, issued.certificate)
    pdf_signed = sign_pdf(one_page_pdf, key, issued.certificate, level="B-B")
    with acting_as(label="test"), transaction.atomic():
        revoke(issued.serial, "keyCompromise")
    for doc in (xml_signed, pdf_signed):
        report = verify_bytes(doc)
        # no timestamp: nothing proves the signature existed before the revocation
        assert (report.indication, report.sub_indication) == ("INDETERMINATE", "REVOKED_NO_POE"), report.to_dict()
        assert "certificate.revoked" in report.codes


def test_timestamp_before_revocation_keeps_the_signature_valid(signer, dossier_xml, one_page_pdf):
    """B-T: the timestamp proves the signature existed before the revocation (POE)."""
    from kyso.pki.revocation import revoke

    from kyso.signing.pdf import sign_pdf

    issued, key = signer
    signed = [sign_xml(dossier_xml, key, issued.certificate, level="B-T"),
              sign_pdf(one_page_pdf, key, issued.certificate, level="B-T")]
    time.sleep(2.1)     # beyond the validator's one-second tolerance: every CRL below is newer than the timestamp
    with acting_as(label="test"), transaction.atomic():
        revoke(issued.serial, "superseded")
    from kyso.pki import crl
    from kyso.pki.models import CertificateAuthority
    for ca in CertificateAuthority.objects.all():   # the root's CRL too (it vouches for the issuing CA)
        crl.current(ca.name, force=True)
    for doc in signed:
        report = verify_bytes(doc)
        assert report.signatures[0].timestamp_time is not None
        assert report.indication == "TOTAL_PASSED", report.to_dict()


@pytest.mark.parametrize("data,code", [
    (b"", "signing.input.empty"),
    (b"hello world", "signing.input.unknown_format"),
])
def test_garbage_is_refused_with_a_code(pki, data, code):
    from kyso.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        verify_bytes(data)
    assert exc.value.code == code


def test_unsigned_documents_are_indeterminate(pki, dossier_xml, one_page_pdf):
    """No signature to validate: EN 319 102-1 gives SIGNED_DATA_NOT_FOUND, an INDETERMINATE sub-indication."""
    for doc in (dossier_xml, one_page_pdf):
        report = verify_bytes(doc)
        assert report.indication == "INDETERMINATE"
        assert report.sub_indication == "SIGNED_DATA_NOT_FOUND"
        assert "document.no_signature" in report.codes


def test_pdf_signed_with_a_key_that_is_not_the_certificates(make, one_page_pdf):
    """The key signs, but the embedded certificate carries another public key: SIG_CRYPTO_FAILURE."""
    from kyso.signing.pdf import sign_pdf

    a, a_key = make("person", key_spec="rsa2048")
    b, _b_key = make("person", key_spec="rsa2048")
    signed = sign_pdf(one_page_pdf, a_key, b.certificate, level="B-B")
    report = verify_bytes(signed)
    assert (report.indication, report.sub_indication) == ("TOTAL_FAILED", "SIG_CRYPTO_FAILURE"), report.to_dict()
    assert "integrity.signature" in report.codes


@pytest.mark.parametrize("fmt,level,sub", [
    ("pdf", "B-B", "OUT_OF_BOUNDS_NO_POE"),        # nothing proves when it was signed
    ("pdf", "B-T", "OUT_OF_BOUNDS_NOT_REVOKED"),   # the timestamp proves it was signed after the expiry
    ("xml", "B-T", "OUT_OF_BOUNDS_NOT_REVOKED"),
])
def test_expired_certificate(pki, one_page_pdf, dossier_xml, fmt, level, sub):
    from kyso.pki.keystore import SoftwareKey
    from kyso.signing.pdf import sign_pdf

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sign = sign_pdf if fmt == "pdf" else sign_xml
    signed = sign(one_page_pdf if fmt == "pdf" else dossier_xml, SoftwareKey("expired", key),
                  expired_person_cert(key.public_key()), level=level)
    report = verify_bytes(signed)
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", sub), report.to_dict()
    assert "certificate.expired" in report.codes


def test_signed_after_revocation_with_timestamp_fails_revoked(signer, dossier_xml, one_page_pdf):
    """Revoked first, signed afterwards: the timestamp proves it — TOTAL_FAILED / REVOKED."""
    from kyso.pki.revocation import revoke
    from kyso.signing.pdf import sign_pdf

    issued, key = signer
    with acting_as(label="test"), transaction.atomic():
        revoke(issued.serial, "keyCompromise")
    time.sleep(1.1)     # one-second resolution of CRL dates and timestamps: sign in a later second
    for doc in (sign_xml(dossier_xml, key, issued.certificate, level="B-T"),
                sign_pdf(one_page_pdf, key, issued.certificate, level="B-T")):
        report = verify_bytes(doc)
        assert (report.indication, report.sub_indication) == ("TOTAL_FAILED", "REVOKED"), report.to_dict()


def test_openssl_cms_with_changed_content_fails_with_hash_failure(make, chain, tmp_path):
    from .helpers import key_pem, pem, run

    issued, key = make("person", key_spec="rsa2048")
    (tmp_path / "c.pem").write_bytes(pem(issued.certificate))
    (tmp_path / "k.pem").write_bytes(key_pem(key.private_key()))
    (tmp_path / "doc.txt").write_bytes("Tờ khai 600 — mức lương 8.500.000 đồng".encode())
    res = run("openssl", "cms", "-sign", "-binary", "-nodetach", "-md", "sha256", "-outform", "DER",
              "-in", tmp_path / "doc.txt", "-signer", tmp_path / "c.pem", "-inkey", tmp_path / "k.pem",
              "-out", tmp_path / "doc.p7m")
    assert res.returncode == 0, res.stderr
    der = (tmp_path / "doc.p7m").read_bytes()
    tampered = der.replace("8.500.000".encode(), "9.500.000".encode())
    assert tampered != der
    report = verify_bytes(tampered)
    assert (report.indication, report.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE"), report.to_dict()


NON_REPUDIATION_ONLY = (False, True, False, False, False, False, False, False, False)
ENCIPHERMENT_ONLY = (False, False, True, False, False, False, False, False, False)


@pytest.mark.parametrize("fmt", ["pdf", "xml"])
@pytest.mark.parametrize("usage,expected", [
    (NON_REPUDIATION_ONLY, ("TOTAL_PASSED", None)),                 # either usage is enough, in every format
    (ENCIPHERMENT_ONLY, ("INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE")),     # a certificate constraint
], ids=["non-repudiation", "encipherment"])
def test_key_usage_of_the_signing_certificate(pki, one_page_pdf, dossier_xml, fmt, usage, expected):
    from kyso.pki.keystore import SoftwareKey
    from kyso.signing.pdf import sign_pdf

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = person_cert(key.public_key(), usage=usage)
    sign = sign_pdf if fmt == "pdf" else sign_xml
    signed = sign(one_page_pdf if fmt == "pdf" else dossier_xml, SoftwareKey("ku", key), cert, level="B-B")
    report = verify_bytes(signed)
    assert (report.indication, report.sub_indication) == expected, report.to_dict()
    assert ("certificate.key_usage" in report.codes) == (usage == ENCIPHERMENT_ONLY)
