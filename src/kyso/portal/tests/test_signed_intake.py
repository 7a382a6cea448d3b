"""Signed e-dossiers are checked at once on intake: schema and signature (verification engine); a bad
file is refused immediately with its reason, a good dossier gets its code and a signed receipt."""

import base64
import datetime as dt
import re

import pytest
from django.db import transaction

from kyso.core.context import acting_as
from kyso.pki import revocation
from kyso.portal.models import Dossier
from kyso.signing.verify import verify_bytes

from . import helpers as h

CODE = re.compile(r"^000\.\d\d\.11\.G22-\d{6}-\d{4}$")


def test_signed_600_is_accepted_with_code_and_signed_receipt(employer_api, signed_600):
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert CODE.match(body["code"]), body["code"]
    from django.utils import timezone
    assert body["code"].split("-")[1] == timezone.localdate().strftime("%y%m%d")
    assert body["intake_rule"] == "2671-E-DOSSIER"
    assert [f["indication"] for f in body["files"]] == ["TOTAL_PASSED", "TOTAL_PASSED"]
    assert "Công ty TNHH Ánh Dương" in body["files"][0]["signer"]
    dossier = Dossier.objects.get(code=body["code"])
    from kyso.workdays.calendar import add_working_days
    assert dossier.due_date == add_working_days(dossier.received_on, 5)
    receipt = body["documents"][0]
    assert receipt["kind"] == "receipt"
    pdf = employer_api.get(f"/api/v1/portal/dossiers/{body['code']}/documents/{receipt['id']}/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    report = verify_bytes(pdf.content)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert "BHXH quận Ba Đình" in report.signatures[0].signer


def test_tampered_file_is_refused_with_the_reason(employer_api, employer):
    _sub, issued, key = employer
    good = h.signed(h.d02(), issued, key)
    tampered = good.replace(b"8500000", b"9500000")
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": [h.b64file("D02-TS.xml", tampered)]},
                          format="json")
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "portal.intake.signature_invalid"
    assert err["field_codes"] == {"D02-TS.xml": "portal.intake.signature_invalid"}
    assert "TOTAL_FAILED" in err["fields"]["D02-TS.xml"][0] or "HASH_FAILURE" in err["fields"]["D02-TS.xml"][0]
    assert not Dossier.objects.exists()


def test_unsigned_and_schema_invalid_and_unknown_files_are_refused(employer_api, employer):
    _sub, issued, key = employer
    bad_schema = h.signed(h.d02(tax_code="12AB"), issued, key)
    other = b'<?xml version="1.0"?><Foo xmlns="urn:x"><a/></Foo>'
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": [
        h.b64file("unsigned.xml", h.d02()), h.b64file("schema.xml", bad_schema), h.b64file("other.xml", other)]},
        format="json")
    assert r.status_code == 400
    codes = r.json()["error"]["field_codes"]
    assert codes == {"unsigned.xml": "portal.intake.signature_invalid", "schema.xml": "portal.intake.schema_invalid",
                     "other.xml": "portal.intake.unknown_form"}
    assert "MaSoThue" in r.json()["error"]["fields"]["schema.xml"][0]


def test_mandatory_form_missing_is_refused(employer_api, employer):
    _sub, issued, key = employer
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": [
        h.b64file("TK1-TS.xml", h.signed(h.tk1(), issued, key))]}, format="json")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "portal.intake.missing_form"
    assert "D02-TS" in r.json()["error"]["message"]


@pytest.mark.parametrize("content,code", [
    ("not base64!", "invalid_input"),
    (base64.b64encode(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>").decode(), "signing.input.xml_dtd"),
    (base64.b64encode(b"%PDF-1.4 garbage").decode(), "signing.input.not_xml"),
])
def test_hostile_files_are_refused_with_a_code(employer_api, content, code):
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": [{"name": "x.xml", "content": content}]},
                          format="json")
    assert r.status_code == 400
    assert code in (r.json()["error"]["code"], *r.json()["error"].get("field_codes", {}).values())


def test_staff_cannot_submit_and_unknown_procedure_is_404(api, employer_api, signed_600):
    r = api("badinh").post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "portal.submitter.required"
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "999", "files": signed_600}, format="json")
    assert r.status_code == 404 and r.json()["error"]["code"] == "portal.procedure.not_found"


def test_dossier_signed_by_xmlsec1_is_accepted(employer_api, employer, tmp_path):
    """An independent tool's XMLDSig (not our signer) passes the same intake."""
    from kyso.signing.tests.helpers import key_pem, pem, run

    _sub, issued, key = employer
    xml = h.d02().decode()
    template = xml.replace("</D02TS>", (
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>'
        '<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
        '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
        '<Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
        '<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>'
        '<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo>'
        '<SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature></D02TS>'))
    (tmp_path / "tpl.xml").write_text(template, encoding="utf-8")
    (tmp_path / "key.pem").write_bytes(key_pem(key.private_key()))
    (tmp_path / "cert.pem").write_bytes(pem(issued.certificate))
    result = run("xmlsec1", "--sign", "--privkey-pem", f"{tmp_path / 'key.pem'},{tmp_path / 'cert.pem'}",
                 "--output", tmp_path / "out.xml", tmp_path / "tpl.xml")
    assert result.returncode == 0, result.stderr
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": [
        h.b64file("D02-TS.xml", (tmp_path / "out.xml").read_bytes())]}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["files"][0]["indication"] == "TOTAL_PASSED"


def test_untrusted_ca_is_refused(employer_api, employer):
    from kyso.pki.keystore import SoftwareKey
    from kyso.signing.tests.helpers import foreign_ca
    from kyso.signing.xml import sign_xml

    _ca, cert, key = foreign_ca()
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": [
        h.b64file("D02-TS.xml", sign_xml(h.d02(), SoftwareKey("x", key), cert))]}, format="json")
    assert r.status_code == 400
    assert "NO_CERTIFICATE_CHAIN_FOUND" in r.json()["error"]["fields"]["D02-TS.xml"][0]


def test_receipt_due_date_counts_working_days_only(employer_api, signed_600):
    body = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json").json()
    dossier = Dossier.objects.get(code=body["code"])
    received, due = dossier.received_on, dt.date.fromisoformat(body["due_date"])
    from kyso.workdays.calendar import working_days_between
    assert working_days_between(received, due) == 5


def test_a_certificate_revoked_between_two_dossiers_is_refused_at_once(employer_api, employer):
    """The intake keeps its trust store between dossiers (issue 19) but never past a revocation."""
    _sub, issued, key = employer
    first = [h.b64file("D02-TS.xml", h.signed(h.d02(), issued, key)), h.b64file("TK1-TS.xml", h.signed(h.tk1(), issued, key))]
    assert employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": first},
                             format="json").status_code == 201
    with acting_as(label="test"), transaction.atomic():
        revocation.revoke(issued.serial, "keyCompromise", ca=issued.ca)
    again = [h.b64file("D02-TS.xml", h.signed(h.d02(), issued, key)), h.b64file("TK1-TS.xml", h.signed(h.tk1(), issued, key))]
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": again}, format="json")
    assert r.status_code == 400, r.json()
    assert r.json()["error"]["code"] == "portal.intake.signature_invalid"
    assert "REVOKED" in r.json()["error"]["fields"]["D02-TS.xml"][0]
