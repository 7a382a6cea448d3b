"""The verdict corpus: documents signed by independent tools and edited by hand, each with the indication and
sub-indication ETSI EN 319 102-1 gives and a one-line reason. Every case goes through `kyso verify --json`
and `POST /api/v1/verify`, which must agree with each other and with the expectation."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import pytest
from asn1crypto import cms as asn1_cms, crl as asn1_crl
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from lxml import etree
from pyhanko.sign.fields import MDPPerm
from rest_framework.test import APIClient

from . import corpus_malformed as M
from .etsi_check import assert_schema_shaped, expected_indications, indications
from . import corpus_pdf as P
from . import corpus_xml as X
from .helpers import foreign_ca, key_pem, pem, run

PASSED, FAILED, INDET = "TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"
SIG_CONSTRAINTS, FORMAT = "SIG_CONSTRAINTS_FAILURE", "FORMAT_FAILURE"


def _signed(k, field=False):
    return k.pdf.sign(P.base_pdf(P.TEXT_RECT if field else None))


def _blank_field_signed(k, **kw):
    return k.pdf.sign(P.base_pdf(P.BLANK_RECT), **kw)


def _foreign(k):
    _ca, cert, key = foreign_ca()
    return P.Signer(cert, key).sign(P.base_pdf())


PDF_CASES = [
    # id, builder, indication, sub-indication, reason
    ("pdf-pyhanko-approval", lambda k: _signed(k), PASSED, None, "signed by plain pyHanko, untouched"),
    ("pdf-two-signatures", lambda k: k.pdf.sign(_signed(k), "Sig2"), PASSED, None,
     "a second signature is a permitted later change"),
    ("pdf-visible-second-signature-blank", lambda k: k.pdf.sign(_signed(k), "Sig2", visible_rect=(350, 60, 550, 140)),
     PASSED, None, "a visible stamp added in an empty area"),
    ("pdf-approval-fill-blank-field", lambda k: P.fill_field(_blank_field_signed(k), b"Da nhan"), PASSED, None,
     "form filling of a field in an empty area after an approval signature"),
    ("pdf-p2-then-signed", lambda k: k.pdf.sign(k.pdf.sign(P.base_pdf(), certify=MDPPerm.FILL_FORMS), "Sig2"),
     PASSED, None, "certified P=2, then signed: signing is permitted"),
    ("pdf-p2-fill-blank-field", lambda k: P.fill_field(_blank_field_signed(k, certify=MDPPerm.FILL_FORMS), b"Da nhan"),
     PASSED, None, "certified P=2 permits form filling"),
    ("pdf-p3-annotation-blank", lambda k: P.add_annotation(k.pdf.sign(P.base_pdf(), certify=MDPPerm.ANNOTATE),
                                                              P.BLANK_RECT), PASSED, None,
     "certified P=3 permits an annotation that covers no signed content"),
    ("pdf-p3-then-signed", lambda k: k.pdf.sign(k.pdf.sign(P.base_pdf(), certify=MDPPerm.ANNOTATE), "Sig2"),
     PASSED, None, "certified P=3, then signed"),
    ("pdf-unlocked-field-filled", lambda k: P.fill_field(_blank_field_signed(k, lock=P.lock_fields("Khac")), b"Ok"),
     PASSED, None, "the signature locks another field; this one may be filled"),
    ("pdf-p1-annotation", lambda k: P.add_annotation(k.pdf.sign(P.base_pdf(), certify=MDPPerm.NO_CHANGES),
                                                       P.BLANK_RECT), INDET, SIG_CONSTRAINTS,
     "certified P=1 permits no change"),
    ("pdf-p1-form-fill", lambda k: P.fill_field(_blank_field_signed(k, certify=MDPPerm.NO_CHANGES), b"x"),
     INDET, SIG_CONSTRAINTS, "certified P=1 forbids form filling"),
    ("pdf-p2-annotation", lambda k: P.add_annotation(k.pdf.sign(P.base_pdf(), certify=MDPPerm.FILL_FORMS),
                                                       P.BLANK_RECT), INDET, SIG_CONSTRAINTS,
     "certified P=2 forbids annotations"),
    ("pdf-approval-annotation", lambda k: P.add_annotation(_signed(k), P.BLANK_RECT), INDET, SIG_CONSTRAINTS,
     "an approval signature permits signing and form filling, not annotations"),
    ("pdf-locked-field-filled", lambda k: P.fill_field(_blank_field_signed(k, lock=P.lock_fields("Ghi chu")), b"x"),
     INDET, SIG_CONSTRAINTS, "the field was locked by the signature (FieldMDP)"),
    ("pdf-shadow-hide-p3", lambda k: P.add_annotation(k.pdf.sign(P.base_pdf(), certify=MDPPerm.ANNOTATE),
                                                        P.TEXT_RECT), INDET, SIG_CONSTRAINTS,
     "shadow hide: a permitted annotation covering the signed words"),
    ("pdf-shadow-hide-and-replace-p3", lambda k: P.add_annotation(
        k.pdf.sign(P.base_pdf(), certify=MDPPerm.ANNOTATE), P.TEXT_RECT, opaque_text=b"TRA 900 000 DONG"),
     INDET, SIG_CONSTRAINTS, "shadow hide-and-replace: an opaque annotation with other words over signed ones"),
    ("pdf-shadow-replace-field", lambda k: P.fill_field(_signed(k, field=True)), INDET, SIG_CONSTRAINTS,
     "shadow replace: a field prepared before signing over signed words gets a new appearance"),
    ("pdf-shadow-replace-field-p2", lambda k: P.fill_field(k.pdf.sign(P.base_pdf(P.TEXT_RECT),
                                                                       certify=MDPPerm.FILL_FORMS)),
     INDET, SIG_CONSTRAINTS, "shadow replace under P=2: form filling is permitted, covering signed words is not"),
    ("pdf-shadow-replace-field-rotated", lambda k: P.fill_field(k.pdf.sign(P.base_pdf(P.TEXT_RECT, rotate=90))),
     INDET, SIG_CONSTRAINTS, "shadow replace on a page shown turned (/Rotate 90): the words are found where "
     "the reader shows them"),
    ("pdf-rotated-fill-blank-field", lambda k: P.fill_field(k.pdf.sign(P.base_pdf(P.BLANK_RECT, rotate=270)), b"Ok"),
     PASSED, None, "form filling on a turned page over empty paper"),
    ("pdf-shadow-over-earlier-stamp-p3", lambda k: P.add_annotation(
        k.pdf.sign(P.base_pdf(), certify=MDPPerm.ANNOTATE, visible_rect=P.BLANK_RECT), P.BLANK_RECT,
        opaque_text=b"KHONG KY"), INDET, SIG_CONSTRAINTS,
     "shadow hide-and-replace over the certifier's own visible signature stamp (P=3 permits annotations)"),
    ("pdf-second-stamp-over-first", lambda k: k.pdf.sign(k.pdf.sign(P.base_pdf(), visible_rect=P.BLANK_RECT),
                                                         "Sig2", visible_rect=(40, 190, 140, 260)),
     PASSED, None, "a second signer's stamp over the first one's (the seal over the leader's signature, Decree 30)"),
    ("pdf-shadow-replace-content", lambda k: P.replace_page_content(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the page content stream was replaced after signing"),
    ("pdf-shadow-reused-object", lambda k: P.reuse_object(k.pdf.sign(P.with_hidden_stream(P.base_pdf()))),
     INDET, SIG_CONSTRAINTS, "the page re-pointed after signing at a signed but unused object"),
    ("pdf-isa-no-xref", lambda k: P.appended_without_xref(_signed(k)), INDET, SIG_CONSTRAINTS,
     "incremental saving attack: objects appended without a cross-reference section"),
    ("pdf-isa-after-eof", lambda k: P.appended_after_eof(_signed(k)), INDET, SIG_CONSTRAINTS,
     "bytes after the final %%EOF that a reader may parse"),
    ("pdf-isa-broken-xref", lambda k: P.broken_xref_update(_signed(k)), INDET, SIG_CONSTRAINTS,
     "a later update with a broken cross-reference section"),
    ("pdf-usf-byterange-missing", lambda k: P.byte_range_edit(_signed(k), "missing"), FAILED, FORMAT,
     "signature dictionary without /ByteRange"),
    ("pdf-usf-byterange-zero", lambda k: P.byte_range_edit(_signed(k), "zero"), FAILED, FORMAT,
     "/ByteRange [0 0 0 0]"),
    ("pdf-usf-byterange-odd", lambda k: P.byte_range_edit(_signed(k), "odd"), FAILED, FORMAT,
     "/ByteRange with three numbers"),
    ("pdf-swa-byterange-shifted", lambda k: P.byte_range_edit(_signed(k), "shifted"), FAILED, FORMAT,
     "signature wrapping: the gap of /ByteRange is more than /Contents"),
    ("pdf-usf-byterange-beyond-eof", lambda k: P.byte_range_edit(_signed(k), "beyond_eof"), FAILED, FORMAT,
     "/ByteRange beyond the end of the file"),
    ("pdf-usf-contents-null", lambda k: P.byte_range_edit(_signed(k), "contents_null"), FAILED, FORMAT,
     "/Contents null"),
    ("pdf-usf-contents-not-cms", lambda k: P.byte_range_edit(_signed(k), "contents_not_cms"), FAILED, FORMAT,
     "/Contents is not a CMS structure"),
    ("pdf-usf-contents-zeros", lambda k: P.byte_range_edit(_signed(k), "contents_zeros"), FAILED, FORMAT,
     "/Contents all zeros"),
    ("pdf-unknown-subfilter", lambda k: P.byte_range_edit(_signed(k), "subfilter"), FAILED, FORMAT,
     "a /SubFilter no standard defines"),
    ("pdf-tampered-signed-bytes", lambda k: P.flip_signed_byte(_signed(k)), FAILED, "HASH_FAILURE",
     "the signed words changed inside the signed byte range"),
    ("pdf-untrusted-root", _foreign, INDET, "NO_CERTIFICATE_CHAIN_FOUND", "signed under a CA nobody trusts"),
]


def verdicts(data: bytes, name: str, tmp_path, capsys):
    """(CLI exit code, CLI JSON, API JSON) for one file; the CLI's ETSI TS 119 102-2 report must be
    schema-shaped and say the same."""
    path = tmp_path / name
    path.write_bytes(data)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("verify", str(path), "--json", "--etsi-report", str(tmp_path / f"{name}.etsi.xml"))
    out = capsys.readouterr()
    assert "Traceback" not in out.err, out.err
    cli = json.loads(out.out)
    etsi = (tmp_path / f"{name}.etsi.xml").read_bytes()
    assert_schema_shaped(etree.fromstring(etsi))
    assert indications(etsi) == expected_indications(cli), (name, etsi.decode()[:3000])
    assert cli["algorithm_policy"].startswith("Kyso-ALG-2026"), cli.get("algorithm_policy")
    resp = APIClient().post("/api/v1/verify", {"file": SimpleUploadedFile(name, data)}, format="multipart")
    assert resp.status_code in (200, 400), resp.content
    return exc.value.code, cli, resp.json()


def assert_refused(data: bytes, tmp_path, capsys) -> str:
    """A file refused before any verdict: `kyso verify --json` exits 3 with a message and no traceback, and
    `POST /api/v1/verify` answers HTTP 400. The CLI's output, for what a caller checks further."""
    path = tmp_path / "x.xml"
    path.write_bytes(data)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("verify", str(path), "--json")
    out = capsys.readouterr()
    assert exc.value.code == 3 and "Traceback" not in out.err, out
    resp = APIClient().post("/api/v1/verify", {"file": SimpleUploadedFile("x.xml", data)}, format="multipart")
    assert resp.status_code == 400, resp.content
    return out.out


def assert_case(data, name, indication, sub, reason, tmp_path, capsys):
    code, cli, api = verdicts(data, name, tmp_path, capsys)
    got = (cli.get("indication"), cli.get("sub_indication"))
    assert got == (indication, sub), f"{name} ({reason}): {json.dumps(cli, ensure_ascii=False)[:3000]}"
    assert (api.get("indication"), api.get("sub_indication")) == got, api
    assert code == {PASSED: 0, FAILED: 1, INDET: 2}[indication]
    return cli


def assert_built_case(case, kit, ext, tmp_path, capsys):
    """A case (id, builder, indication, sub-indication, reason): its file built with `kit` and verified as
    `<id>.<ext>` (`assert_case`); the CLI's report."""
    name, build, indication, sub, reason = case
    return assert_case(build(kit), f"{name}.{ext}", indication, sub, reason, tmp_path, capsys)


@pytest.mark.parametrize("case", PDF_CASES, ids=[c[0] for c in PDF_CASES])
def test_pdf_corpus(kit, case, tmp_path, capsys):
    cli = assert_built_case(case, kit, "pdf", tmp_path, capsys)
    for sig in cli["signatures"]:
        if sig["modifications"] is not None:
            assert sig["modifications"]["level"] in ("none", "lta_updates", "form_filling", "annotations", "other")


# ---- XML -------------------------------------------------------------------------------------------------

def _xml_other_cert(k):
    other, _other_key = k.odd_cert()
    return X.signxml_sign(k.cert, k.key, xades=True, bind=other)


def _xml_rsa1024(k):
    cert, key = k.odd_cert(key=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    return X.xmlsec_sign(k.tmp, X.template(), cert, key)


def _xml_not_yet_valid(k):
    now = dt.datetime.now(dt.timezone.utc)
    cert, key = k.odd_cert(not_before=now + dt.timedelta(days=2), not_after=now + dt.timedelta(days=300))
    return X.signxml_sign(cert, key, xades=True, chain=k.chain[:-1])


def _xml_untrusted(k):
    _ca, cert, key = foreign_ca()
    return X.xmlsec_sign(k.tmp, X.template(), cert, key)


def _xml_hmac_key_confusion(k):
    """HMAC keyed with the signer's public certificate (which anybody has), the certificate in KeyInfo."""
    pub = k.cert.public_bytes(serialization.Encoding.PEM)
    signed = X.xmlsec_sign(k.tmp, X.template(method="http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
                                             key_info=False), k.cert, k.key, hmac_key=pub)
    return X.with_certificate(signed, k.cert)


def _xml_by_root_id(k):
    tpl = X.template().replace(b'<HoSo xmlns="http://kyso.vss.gov.vn/hoso/1">',
                               b'<HoSo xmlns="http://kyso.vss.gov.vn/hoso/1" Id="hoso-1">').replace(
        b'<Reference URI="">', b'<Reference URI="#hoso-1">')
    (k.tmp / "tpl.xml").write_bytes(tpl)
    (k.tmp / "key.pem").write_bytes(key_pem(k.key))
    (k.tmp / "cert.pem").write_bytes(pem(k.cert))
    result = run("xmlsec1", "--sign", "--id-attr:Id", "http://kyso.vss.gov.vn/hoso/1:HoSo", "--privkey-pem",
                 f"{k.tmp / 'key.pem'},{k.tmp / 'cert.pem'}", "--output", k.tmp / "out.xml", k.tmp / "tpl.xml")
    assert result.returncode == 0, result.stderr
    return (k.tmp / "out.xml").read_bytes()


FILE_REF = ('<Reference URI="file:///etc/hostname"><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
            '<DigestValue/></Reference>')
CRYPTO = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"

XML_CASES = [
    ("xml-xmlsec1", lambda k: k.xmlsec(), PASSED, None, "enveloped signature by xmlsec1"),
    ("xml-signxml", lambda k: X.signxml_sign(k.cert, k.key), PASSED, None, "enveloped signature by plain signxml"),
    ("xml-signxml-xades", lambda k: X.signxml_sign(k.cert, k.key, xades=True), PASSED, None,
     "XAdES-BES by signxml with its SignedProperties transform declared"),
    ("xml-signxml-xades-undeclared-c14n", lambda k: X.signxml_sign(k.cert, k.key, xades="plain"), FAILED,
     "HASH_FAILURE", "plain signxml XAdES digests SignedProperties with a canonicalisation it does not declare"),
    ("xml-endesive-xades", lambda k: X.endesive_xades(k.cert, k.key), PASSED, None,
     "XAdES-BES by endesive, enveloped by the restricted XPath not(ancestor-or-self::ds:Signature)"),
    ("xml-endesive-xades-tampered", lambda k: X.endesive_xades(k.cert, k.key).replace(b"8500000", b"9500000"),
     FAILED, "HASH_FAILURE", "endesive XAdES with a signed value changed"),
    ("xml-xmlsec1-root-id", _xml_by_root_id, PASSED, None, "reference to the root element by its Id"),
    ("xml-utf16-bom", lambda k: X.reencode(k.xmlsec(), "utf-16-le"), PASSED, None,
     "the signed file re-encoded as UTF-16 with a byte-order mark (the canonical form is unchanged)"),
    ("xml-utf16le-no-bom", lambda k: X.reencode(k.xmlsec(), "utf-16-le", bom=False, declared="UTF-16"), PASSED,
     None, "UTF-16LE without a byte-order mark, recognised from '<?'"),
    ("xml-utf16be-bom", lambda k: X.reencode(k.xmlsec(), "utf-16-be"), PASSED, None, "UTF-16BE with a mark"),
    ("xml-utf8-bom", lambda k: b"\xef\xbb\xbf" + k.xmlsec(), PASSED, None, "UTF-8 with a byte-order mark"),
    ("xml-iso-8859-1", lambda k: X.reencode(k.xmlsec(X.template(body=X.LATIN1_BODY)), "iso-8859-1"), PASSED, None,
     "declared ISO-8859-1"),
    ("xml-windows-1252", lambda k: X.reencode(k.xmlsec(X.template(body=X.LATIN1_BODY)), "cp1252",
                                              declared="windows-1252"), PASSED, None, "declared windows-1252"),
    ("xml-tampered", lambda k: k.xmlsec().replace(b"8500000", b"9500000"), FAILED, "HASH_FAILURE",
     "a signed value changed"),
    ("xml-signature-value-changed", lambda k: X.flip_signature_value(k.xmlsec()), FAILED, "SIG_CRYPTO_FAILURE",
     "the signature value does not match the key"),
    ("xml-wrapping-object", lambda k: X.wrap_into_object(k.xmlsec()), FAILED, "HASH_FAILURE",
     "wrapping: the signed original moved into ds:Object under a forged root (URI=\"\" digests the forgery)"),
    ("xml-wrapping-duplicate-id", lambda k: X.wrap_duplicate_id(_xml_by_root_id(k)), INDET, SIG_CONSTRAINTS,
     "wrapping: a second element carries the signed Id"),
    ("xml-file-reference", lambda k: k.xmlsec(X.template(extra_refs=FILE_REF)), INDET, SIG_CONSTRAINTS,
     "a reference to a local file (never read by the verifier)"),
    ("xml-xslt", lambda k: k.xmlsec(X.template(transforms=X.ENVELOPED + X.XSLT)), FAILED, FORMAT,
     "an XSLT transform (refused: W3C XMLDSig best practice 3)"),
    ("xml-xpath", lambda k: k.xmlsec(X.template(transforms=X.XPATH + X.EXC_C14N)), FAILED, FORMAT,
     "an XPath transform (refused: arbitrary XPath, best practice 5)"),
    ("xml-hmac-key-confusion", _xml_hmac_key_confusion, FAILED, FORMAT,
     "HMAC keyed with the public certificate (key confusion)"),
    ("xml-rsa-sha1", lambda k: k.xmlsec(X.template(method="http://www.w3.org/2000/09/xmldsig#rsa-sha1")), INDET,
     CRYPTO, "RSA-SHA1 after SHA-1's end date, no proof of existence"),
    ("xml-rsa-md5", lambda k: k.xmlsec(X.template(method="http://www.w3.org/2001/04/xmldsig-more#rsa-md5")), INDET,
     CRYPTO, "RSA-MD5, never reliable"),
    ("xml-digest-sha1", lambda k: k.xmlsec(X.template(digest="http://www.w3.org/2000/09/xmldsig#sha1")), INDET,
     CRYPTO, "reference digest SHA-1"),
    ("xml-rsa-1024", _xml_rsa1024, INDET, CRYPTO, "a 1024-bit RSA key"),
    ("xml-xades-other-certificate", _xml_other_cert, INDET, "NO_SIGNING_CERTIFICATE_FOUND",
     "the signed properties bind another certificate than the one that verifies"),
    ("xml-no-certificate", lambda k: k.xmlsec(X.template(key_info=False)), INDET, "NO_SIGNING_CERTIFICATE_FOUND",
     "no certificate in the signature"),
    ("xml-not-yet-valid", _xml_not_yet_valid, FAILED, "NOT_YET_VALID",
     "XAdES SigningTime before the certificate's notBefore"),
    ("xml-untrusted-root", _xml_untrusted, INDET, "NO_CERTIFICATE_CHAIN_FOUND", "a CA nobody trusts"),
]


def _pdf_rsa1024(k):
    cert, key = k.odd_cert(key=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    return P.Signer(cert, key, k.chain).sign(P.base_pdf())


def _pdf_not_yet_valid(k):
    now = dt.datetime.now(dt.timezone.utc)
    cert, key = k.odd_cert(not_before=now + dt.timedelta(days=2), not_after=now + dt.timedelta(days=300))
    return P.Signer(cert, key, k.chain).sign(P.base_pdf())


PDF_RSA_CASES = [
    ("pdf-sha1", lambda k: k.pdf.sign(P.base_pdf(), md="sha1"), INDET, CRYPTO, "message digest SHA-1"),
    ("pdf-rsa-1024", _pdf_rsa1024, INDET, CRYPTO, "a 1024-bit RSA key"),
    ("pdf-not-yet-valid", _pdf_not_yet_valid, FAILED, "NOT_YET_VALID", "signed before the certificate's notBefore"),
]


@pytest.mark.parametrize("case", PDF_RSA_CASES, ids=[c[0] for c in PDF_RSA_CASES])
def test_pdf_algorithm_and_time_corpus(rsa_kit, case, tmp_path, capsys):
    assert_built_case(case, rsa_kit, "pdf", tmp_path, capsys)


@pytest.mark.parametrize("case", XML_CASES, ids=[c[0] for c in XML_CASES])
def test_xml_corpus(rsa_kit, case, tmp_path, capsys):
    cli = assert_built_case(case, rsa_kit, "xml", tmp_path, capsys)
    assert cli["algorithm_policy"].startswith("Kyso-ALG")


# ---- CMS (openssl cms) --------------------------------------------------------------------------------------

def _openssl_cms(k, *extra, cert=None, key=None, detached=False, content=b"Quyet dinh so 15/QD-BHXH") -> bytes:
    t = k.tmp
    (t / "doc.txt").write_bytes(content)
    (t / "k.pem").write_bytes(key_pem(key or k.key))
    (t / "c.pem").write_bytes(pem(cert or k.cert))
    (t / "chain.pem").write_bytes(pem(*k.chain))
    args = ["openssl", "cms", "-sign", "-binary", "-in", t / "doc.txt", "-signer", t / "c.pem", "-inkey", t / "k.pem",
            "-outform", "DER", "-out", t / "o.p7s", *extra]
    if "-nocerts" not in extra:
        args += ["-certfile", t / "chain.pem"]
    if not detached:
        args.append("-nodetach")
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return (t / "o.p7s").read_bytes()


def _cms_tampered(k):
    signed = _openssl_cms(k)
    return signed.replace(b"Quyet dinh so 15", b"Quyet dinh so 99", 1)


def _cms_value_changed(k):
    signed = bytearray(_openssl_cms(k))
    signed[-10] ^= 0x01            # inside the signature value, the last element of the SignerInfo
    return bytes(signed)


def _cms_pem(k):
    der = _openssl_cms(k)
    return b"-----BEGIN PKCS7-----\n" + base64.encodebytes(der) + b"-----END PKCS7-----\n"


def _cms_rsa1024(k):
    cert, key = k.odd_cert(key=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    return _openssl_cms(k, cert=cert, key=key)


def _cms_not_yet_valid(k):
    now = dt.datetime.now(dt.timezone.utc)
    cert, key = k.odd_cert(not_before=now + dt.timedelta(days=2), not_after=now + dt.timedelta(days=300))
    return _openssl_cms(k, cert=cert, key=key)


def _cms_untrusted(k):
    _ca, cert, key = foreign_ca()
    return _openssl_cms(k, cert=cert, key=key)


CMS_CASES = [
    ("cms-openssl", lambda k: _openssl_cms(k), PASSED, None, "openssl cms -sign -nodetach"),
    ("cms-openssl-pem", _cms_pem, PASSED, None, "the same in PEM"),
    ("cms-detached", lambda k: _openssl_cms(k, detached=True), INDET, "SIGNED_DATA_NOT_FOUND",
     "detached: the signed content is not in the file"),
    ("cms-no-signer-certificate", lambda k: _openssl_cms(k, "-nocerts"), INDET, "NO_SIGNING_CERTIFICATE_FOUND",
     "-nocerts: the signer's certificate is absent"),
    ("cms-sha1", lambda k: _openssl_cms(k, "-md", "sha1"), INDET, CRYPTO, "digest SHA-1 after its end date"),
    ("cms-rsa-1024", _cms_rsa1024, INDET, CRYPTO, "a 1024-bit RSA key"),
    ("cms-tampered", _cms_tampered, FAILED, "HASH_FAILURE", "the encapsulated content changed"),
    ("cms-signature-value-changed", _cms_value_changed, FAILED, "SIG_CRYPTO_FAILURE", "one bit of the signature"),
    ("cms-not-yet-valid", _cms_not_yet_valid, FAILED, "NOT_YET_VALID", "signingTime before notBefore"),
    ("cms-untrusted-root", _cms_untrusted, INDET, "NO_CERTIFICATE_CHAIN_FOUND", "a CA nobody trusts"),
]


@pytest.mark.parametrize("case", CMS_CASES, ids=[c[0] for c in CMS_CASES])
def test_cms_corpus(rsa_kit, case, tmp_path, capsys):
    assert_built_case(case, rsa_kit, "p7s", tmp_path, capsys)


# ---- Malformed signed files: an indication, never a refusal (EN 319 102-1, 5.2.2) ---------------------------

def _xades(k):
    return X.signxml_sign(k.cert, k.key, xades=True)


NO_SIGNATURE = "SIGNED_DATA_NOT_FOUND"
MALFORMED_CASES = [
    # id, file name, builder, indication, sub-indication, reason
    ("xml-cut-in-signature-value", "xml", lambda k: M.cut_at(k.xmlsec(), b"<SignatureValue>", 20), FAILED, FORMAT,
     "a signed XML cut short inside its SignatureValue"),
    ("xml-cut-at-signature-start", "xml", lambda k: M.cut_at(k.xmlsec(), b"<Signature"), FAILED, FORMAT,
     "cut right after the Signature start tag's name"),
    ("xml-cut-before-root-end", "xml", lambda k: k.xmlsec().rstrip()[:-3], FAILED, FORMAT,
     "the closing tag of the root cut off"),
    ("xades-cut-in-signed-properties", "xml", lambda k: M.cut_at(_xades(k), b"SignedProperties", 30), FAILED,
     FORMAT, "a XAdES cut short inside its signed properties"),
    ("xml-utf16-cut-odd-byte", "xml", lambda k: M.cut_fraction(X.reencode(k.xmlsec(), "utf-16-le"), 0.8)[:-1],
     FAILED, FORMAT, "UTF-16 with its byte-order mark, cut at an odd byte"),
    ("xml-damaged-declaration", "xml", lambda k: b"X" + k.xmlsec()[1:], FAILED, FORMAT,
     "the first byte of the XML declaration damaged: still a signed XML"),
    ("xml-no-signed-info", "xml", lambda k: M.without(k.xmlsec(), "ds:SignedInfo"), FAILED, FORMAT,
     "well-formed, but the signature has no SignedInfo"),
    ("xml-empty-signature", "xml", lambda k: M.empty_signature(k.xmlsec()), FAILED, FORMAT, "<Signature/> empty"),
    ("xml-no-signature-value", "xml", lambda k: M.without(k.xmlsec(), "ds:SignatureValue"), FAILED, FORMAT,
     "no SignatureValue"),
    ("xml-empty-digest-value", "xml", lambda k: M.emptied(k.xmlsec(), "ds:SignedInfo/ds:Reference/ds:DigestValue"),
     FAILED, FORMAT, "an empty DigestValue"),
    ("xml-reference-without-digest-method", "xml",
     lambda k: M.without(k.xmlsec(), "ds:SignedInfo/ds:Reference/ds:DigestMethod"), FAILED, FORMAT,
     "a Reference without DigestMethod"),
    ("xml-no-canonicalization-method", "xml",
     lambda k: M.without(k.xmlsec(), "ds:SignedInfo/ds:CanonicalizationMethod"), FAILED, FORMAT,
     "SignedInfo without CanonicalizationMethod"),
    ("xml-key-info-before-signature-value", "xml", lambda k: M.key_info_first(k.xmlsec()), FAILED, FORMAT,
     "the parts of the signature out of the schema's order"),
    ("xml-signature-parts-outside-signature", "xml", lambda k: M.orphan_signed_info(k.xmlsec()), FAILED, FORMAT,
     "SignedInfo and SignatureValue left without their Signature element"),
    ("xades-no-signature-value", "xml", lambda k: M.without(_xades(k), "ds:SignatureValue"), FAILED, FORMAT,
     "a XAdES without SignatureValue"),
    ("cms-cut-half", "p7s", lambda k: M.cut_fraction(_openssl_cms(k), 0.5), FAILED, FORMAT,
     "a CMS signedData cut in half"),
    ("cms-cut-last-byte", "p7s", lambda k: _openssl_cms(k)[:-1], FAILED, FORMAT, "the last byte missing"),
    ("cms-pem-cut", "p7s", lambda k: M.pem_cut(_openssl_cms(k), 0.6), FAILED, FORMAT,
     "PEM cut short, no END line"),
    ("cms-trailing-bytes", "p7s", lambda k: M.der_trailing(_openssl_cms(k)), FAILED, FORMAT,
     "bytes after the end of the DER structure"),
    ("cms-signer-infos-not-a-set", "p7s", lambda k: M.signer_infos_not_a_set(_openssl_cms(k)), FAILED, FORMAT,
     "signerInfos is no SET: the structure is broken"),
    ("cms-no-signer-infos", "p7s", lambda k: M.without_signer_infos(_openssl_cms(k)), INDET, NO_SIGNATURE,
     "a well-formed signedData with an empty signerInfos: no signature to validate"),
    ("cms-detached-no-signer-infos", "p7s", lambda k: M.without_signer_infos(_openssl_cms(k, detached=True)), INDET,
     NO_SIGNATURE, "detached, no content and no SignerInfo"),
    ("pdf-cut-in-contents", "pdf", lambda k: M.cut_at(_signed(k), b"/Contents <", 200), FAILED, FORMAT,
     "a signed PDF cut short inside the signature's /Contents"),
    ("pdf-cut-before-eof", "pdf", lambda k: _signed(k).rstrip()[:-5], FAILED, FORMAT,
     "a signed PDF without its final %%EOF"),
]
# what an XML parser or an ASN.1 decoder says, in English, never reaches the report
_ENGLISH = re.compile(r"\b(line|column|tag|expected|bytes|error|data|premature|couldn't|parsing)\b", re.I)


@pytest.mark.parametrize("case", MALFORMED_CASES, ids=[c[0] for c in MALFORMED_CASES])
def test_malformed_corpus(rsa_kit, case, tmp_path, capsys):
    name, ext, build, indication, sub, reason = case
    cli = assert_case(build(rsa_kit), f"{name}.{ext}", indication, sub, reason, tmp_path, capsys)
    assert cli["messages"] and not any(_ENGLISH.search(m) for m in cli["messages"]), cli["messages"]
    if sub == FORMAT:
        assert {"format.unreadable", "format.structure", "format.invalid"} & set(cli["codes"]), cli["codes"]
        assert "document.no_signature" not in cli["codes"]


def _intermediate_without_revocation(k):
    """A root trusted for this run (`--trust`) → an intermediate whose CRL cannot be had (nothing is fetched) →
    the signer, whose own CRL (issued by
    the intermediate) travels in the CMS: the chain is found, only the intermediate's status is unknown."""
    now = dt.datetime.now(dt.timezone.utc)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Gốc tin cậy cho lần kiểm tra này")])
    root_cert = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
                 .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
                 .not_valid_before(now - dt.timedelta(days=2)).not_valid_after(now + dt.timedelta(days=400))
                 .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                 .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                                critical=True)
                 .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
                 .sign(root_key, hashes.SHA256()))
    k.foreign_root = root_cert
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "CA trung gian không có dữ liệu thu hồi")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(root_cert.subject)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=300))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_cert.public_key()), critical=False)
          .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
              [x509.UniformResourceIdentifier("http://127.0.0.1:9/goc.crl")], None, None, None)]), critical=False)
          .sign(root_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Lê Văn Trung Gian")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=200))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier("http://127.0.0.1:9/trung-gian.crl")], None, None, None)]),
                critical=False)
            .sign(ca_key, hashes.SHA256()))
    crl = (x509.CertificateRevocationListBuilder().issuer_name(ca_name).last_update(now - dt.timedelta(hours=1))
           .next_update(now + dt.timedelta(days=7))
           .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
           .add_extension(x509.CRLNumber(1), critical=False)
           .sign(ca_key, hashes.SHA256()))
    k.chain = [ca]
    info = asn1_cms.ContentInfo.load(_openssl_cms(k, cert=leaf, key=key))
    info["content"]["crls"] = [asn1_cms.RevocationInfoChoice(
        "crl", asn1_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER)))]
    return info.dump(force=True)


def test_intermediate_without_revocation_is_a_revocation_sub_indication(rsa_kit, tmp_path, capsys):
    """Not NO_CERTIFICATE_CHAIN_FOUND: the chain is found; the intermediate's status is unknown (CLI with --trust
    for the extra root, the API has no such option)."""
    data = _intermediate_without_revocation(rsa_kit)
    (tmp_path / "goc.pem").write_bytes(pem(rsa_kit.foreign_root))
    (tmp_path / "trung-gian.p7s").write_bytes(data)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("verify", str(tmp_path / "trung-gian.p7s"), "--json", "--trust", str(tmp_path / "goc.pem"))
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    cli = json.loads(out.out)
    assert exc.value.code == 2 and (cli["indication"], cli["sub_indication"]) == (INDET, "TRY_LATER"), cli
