"""The ETSI TS 119 102-2 validation report (`kyso verify --etsi-report`, `POST /api/v1/verify?as=etsi`, the
verify page's XML download): shaped as the schema says — every element in the order of its type's sequence,
every required part present (checked against the schema's types as pyHanko's generated bindings of the
v1.2.1 XSD give them) — with the same indications as the JSON report (the whole corpus checks that in
`test_verdict_corpus.assert_case`), a signature identifier that is the digest of the signature value, and
validation objects for every certificate it references."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from lxml import etree
from rest_framework.test import APIClient

from kyso.signing.etsireport import etsi_report
from kyso.signing.verify import verify_bytes

from . import corpus_malformed as M
from .etsi_check import DS, VR, assert_schema_shaped, expected_indications, indications
from .test_verdict_corpus import _openssl_cms, _signed


def _files(k):
    return {
        "pdf": _signed(k), "pdf-two": k.pdf.sign(_signed(k), "Sig2"), "xml": k.xmlsec(),
        "cms": _openssl_cms(k), "xml-cut": M.cut_fraction(k.xmlsec(), 0.9),
        "cms-no-signer": M.without_signer_infos(_openssl_cms(k)), "xml-tampered": k.xmlsec().replace(b"8500000", b"1"),
    }


def test_the_etsi_report_is_schema_shaped_and_says_what_the_json_says(rsa_kit):
    for name, data in _files(rsa_kit).items():
        report = verify_bytes(data)
        xml = etsi_report(report, data)
        root = etree.fromstring(xml)
        assert root.tag == f"{{{VR}}}ValidationReport", name
        assert_schema_shaped(root)
        assert indications(xml) == expected_indications(report.to_dict()), name
        objects = {vo.get("id"): vo for vo in root.iter(f"{{{VR}}}ValidationObject")}
        for ref in root.iter():
            for ident in (ref.get("VOReference") or "").split():
                assert ident in objects, (name, ident)
        for sig, out in zip(report.signatures, root.iterfind(f"{{{VR}}}SignatureValidationReport")):
            ident = out.find(f"{{{VR}}}SignatureIdentifier")
            if ident is None:
                continue
            value = base64.b64decode(ident.findtext(f"{{{DS}}}SignatureValue"))
            assert base64.b64decode(ident.findtext(f"{{{VR}}}DigestAlgAndValue/{{{DS}}}DigestValue")) == \
                hashlib.sha256(value).digest()
            signer = out.find(f"{{{VR}}}SignerInformation/{{{VR}}}SignerCertificate")
            if sig.certificate is not None:
                der = base64.b64decode(objects[signer.get("VOReference")].findtext(
                    f"{{{VR}}}ValidationObjectRepresentation/{{{VR}}}base64"))
                assert der == sig.certificate.public_bytes(Encoding.DER)


def test_a_passed_pdf_lists_its_checks_chain_and_revocation_data(rsa_kit):
    data = _signed(rsa_kit)
    root = etree.fromstring(etsi_report(verify_bytes(data), data))
    out = root.find(f"{{{VR}}}SignatureValidationReport")
    constraints = [c.findtext(f"{{{VR}}}ValidationConstraintIdentifier") for c in
                   out.iterfind(f"{{{VR}}}ValidationConstraintsEvaluationReport/{{{VR}}}ValidationConstraint")]
    assert "urn:kyso:vn:constraint:integrity.digest" in constraints
    assert out.findtext(f"{{{VR}}}SignatureValidationStatus/{{{VR}}}MainIndication") == \
        "urn:etsi:019102:mainindication:total-passed"
    assert out.find(f"{{{VR}}}SignatureAttributes/{{{VR}}}SigningTime/{{{VR}}}Time") is not None
    chain = out.find(f"{{{VR}}}SignatureValidationStatus/{{{VR}}}AssociatedValidationReportData/"
                     f"{{{VR}}}CertificateChain")
    assert chain.find(f"{{{VR}}}TrustAnchor") is not None
    kinds = {vo.findtext(f"{{{VR}}}ObjectType") for vo in root.iter(f"{{{VR}}}ValidationObject")}
    assert {"urn:etsi:019102:validationObject:certificate", "urn:etsi:019102:validationObject:CRL"} <= kinds, kinds
    assert out.findtext(f"{{{VR}}}SignatureValidationProcess/{{{VR}}}SignatureValidationServicePolicy") == \
        "urn:kyso:vn:policy:Kyso-ALG-2026"


def test_cli_api_and_page_give_the_etsi_report(rsa_kit, tmp_path, capsys, client):
    data = rsa_kit.xmlsec()
    (tmp_path / "hoso.xml").write_bytes(data)
    with pytest.raises(SystemExit) as exc:
        call_command("verify", str(tmp_path / "hoso.xml"), "--etsi-report", str(tmp_path / "etsi.xml"))
    assert exc.value.code == 0
    assert indications((tmp_path / "etsi.xml").read_bytes()) == [("TOTAL_PASSED", None)]
    resp = APIClient().post("/api/v1/verify?as=etsi", {"file": SimpleUploadedFile("hoso.xml", data)},
                            format="multipart")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/xml"
    assert indications(resp.content) == [("TOTAL_PASSED", None)]
    page = client.post("/signing/verify/", {"file": SimpleUploadedFile("hoso.xml", data), "as": "etsi"})
    assert page.status_code == 200 and page["Content-Type"] == "application/xml"
    assert "attachment" in page["Content-Disposition"]
    assert indications(page.content) == [("TOTAL_PASSED", None)]
