"""A signed e-dossier is accepted only when every file carries its submitter's own signature — whatever kind of
submitter and through whichever channel (API, the portal's upload page, the CLI; the in-browser signing ends in the
same intake).

Before, only employers and I-VAN providers were checked (`signers.require_signed_by_employer`): a commune People's
Committee — even one registered without a digital signature — or a citizen could file a D03-TS signed with a
company's certificate, or a copy of the employer's signed D02-TS under procedure 600, and the portal received it as
a signed dossier (TOTAL_PASSED, signer "Công ty TNHH Ánh Dương") with a receipt. Now a commune's files carry its
tax code (or the identity number of a person it has authorised), a citizen's his identity number as his account
records it; an account that records no identifier cannot send a signed dossier at all. Barcode dossiers at the
desk are unchanged (`test_barcode_dossiers`)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from kyso.portal.models import Dossier

from . import helpers as h

KIM_MA_TAX = "0106543210"
CITIZEN_ID = "001085012345"


@pytest.fixture
def commune(demo, pki):
    """A commune committee that now signs: its tax code on its account and in its certificate."""
    return h.submitter("ubnd.kimma", "commune", "HN.BD", name="UBND phường Kim Mã", tax_code=KIM_MA_TAX)


@pytest.fixture
def citizen(demo, pki):
    sub, _none, _ = h.submitter("congdan.an", "citizen", "HN.BD", name="Nguyễn Văn An", tax_code=CITIZEN_ID,
                                with_cert=False)
    issued, key = h.holder_certificate("Nguyễn Văn An", f"CCCD:{CITIZEN_ID}", person=True)
    return sub, issued, key


def _te6(issued, key):
    return {"procedure": "TE6", "files": [h.b64file("D03-TS.xml", h.signed(h.d03(children=2), issued, key))]}


def _refused(r, code, status=400):
    assert r.status_code == status, r.json()
    assert r.json()["error"]["code"] == code, r.json()
    assert not Dossier.objects.exists()
    return r.json()["error"]


def test_a_commune_cannot_file_a_companys_signed_forms_as_its_own(commune, employer):
    _sub, company_cert, company_key = employer
    web = h.client_for(commune[0].user)
    err = _refused(web.post("/api/v1/portal/dossiers/", _te6(company_cert, company_key), format="json"),
                   "portal.intake.signer_not_submitter")
    assert err["field_codes"] == {"D03-TS.xml": "portal.intake.signer_not_submitter"}
    assert "Công ty TNHH Ánh Dương" in err["fields"]["D03-TS.xml"][0] and KIM_MA_TAX in err["fields"]["D03-TS.xml"][0]
    assert "UBND phường Kim Mã" in err["message"] and "từ chối" in err["message"]
    # nor the employer's own procedure with a copy of the employer's signed declaration
    copy = {"procedure": "600", "files": [h.b64file("D02-TS.xml", h.signed(h.d02(), company_cert, company_key))]}
    _refused(web.post("/api/v1/portal/dossiers/", copy, format="json"), "portal.intake.signer_not_submitter")

    _sub, own_cert, own_key = commune
    r = web.post("/api/v1/portal/dossiers/", _te6(own_cert, own_key), format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["submitter_tax_code"] == KIM_MA_TAX


def test_a_person_signs_for_the_commune_only_when_authorised(api, commune):
    person_cert, person_key = h.holder_certificate("Trần Văn Cán Bộ", "CCCD:001080055555", person=True)
    web = h.client_for(commune[0].user)
    _refused(web.post("/api/v1/portal/dossiers/", _te6(person_cert, person_key), format="json"),
             "portal.intake.signer_not_submitter")
    auth = {"employer_tax_code": KIM_MA_TAX, "employer_name": "UBND phường Kim Mã", "person_id": "001080055555",
            "person_name": "Trần Văn Cán Bộ", "unit": "HN.BD"}
    assert api("motcua.bd").post("/api/v1/portal/signer-authorisations/", auth, format="json").status_code == 201
    r = web.post("/api/v1/portal/dossiers/", _te6(person_cert, person_key), format="json")
    assert r.status_code == 201, r.json()


def test_a_citizen_signs_with_his_own_identity_number(citizen, employer):
    sub, own_cert, own_key = citizen
    web = h.client_for(sub.user)
    _s, company_cert, company_key = employer
    err = _refused(web.post("/api/v1/portal/dossiers/", _te6(company_cert, company_key), format="json"),
                   "portal.intake.signer_not_submitter")
    assert CITIZEN_ID in err["fields"]["D03-TS.xml"][0]
    other_cert, other_key = h.holder_certificate("Nguyễn Văn An", "CCCD:001085099999", person=True)   # same name
    _refused(web.post("/api/v1/portal/dossiers/", _te6(other_cert, other_key), format="json"),
             "portal.intake.signer_not_submitter")

    r = web.post("/api/v1/portal/dossiers/", _te6(own_cert, own_key), format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["files"][0]["signer"].startswith("Nguyễn Văn An")


@pytest.mark.parametrize("kind,words", [("commune", "mã số thuế"), ("citizen", "số định danh")])
def test_an_account_without_its_identifier_sends_no_signed_dossier(employer, kind, words):
    """The demo commune (registered without a digital signature) and a citizen whose number was never recorded."""
    sub, _c, _k = h.submitter(f"khong.ma.{kind}", kind, "HN.BD", name="UBND phường Kim Mã", with_cert=False)
    _s, company_cert, company_key = employer
    err = _refused(h.client_for(sub.user).post("/api/v1/portal/dossiers/", _te6(company_cert, company_key),
                                               format="json"), "portal.intake.submitter_unidentified", 403)
    assert words in err["message"]


def _file(name, data):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_the_upload_page_and_the_cli_refuse_alike(commune, employer, tmp_path):
    _s, company_cert, company_key = employer
    signed = h.signed(h.d03(), company_cert, company_key)
    web = Client(HTTP_ACCEPT_LANGUAGE="vi")
    web.force_login(commune[0].user)
    page = web.post("/portal/submit/", {"procedure": "TE6", "files": [_file("D03-TS.xml", signed)]}, follow=True)
    assert "không do UBND phường Kim Mã ký" in page.content.decode()
    assert not Dossier.objects.exists()

    path = tmp_path / "D03-TS.xml"
    path.write_bytes(signed)
    with pytest.raises(CommandError) as exc:
        call_command("portal", "submit", "--as", "ubnd.kimma", "--procedure", "TE6", str(path))
    assert "portal.intake.signer_not_submitter" in str(exc.value)
    assert not Dossier.objects.exists()


def test_a_supplement_is_held_to_the_same_rule(citizen, employer, api):
    """The supplement a citizen sends to his own signed dossier goes through the intake's rule too: before, only an
    employer's or an I-VAN's supplement was checked, so anyone's signature completed a citizen's dossier."""
    sub, own_cert, own_key = citizen
    web = h.client_for(sub.user)
    r = web.post("/api/v1/portal/dossiers/", _te6(own_cert, own_key), format="json")
    assert r.status_code == 201, r.json()
    code = r.json()["code"]
    officer = api("badinh")
    assert officer.post(f"/api/v1/portal/dossiers/{code}/steps/", {"step": "assign"}, format="json").status_code == 200
    r = officer.post(f"/api/v1/portal/dossiers/{code}/supplement-request/", {"missing": ["Tờ khai TK1-TS"]},
                     format="json")
    assert r.status_code == 200, r.json()
    _s, company_cert, company_key = employer
    foreign = {"files": [h.b64file("TK1-TS.xml", h.signed(h.tk1("Nguyễn Văn An"), company_cert, company_key))]}
    r = web.post(f"/api/v1/portal/dossiers/{code}/supplement/", foreign, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.intake.signer_not_submitter", r.json()
    d = Dossier.objects.get(code=code)
    assert d.status == "supplement" and not d.files.filter(supplement=True).exists()
    own = {"files": [h.b64file("TK1-TS.xml", h.signed(h.tk1("Nguyễn Văn An"), own_cert, own_key))]}
    r = web.post(f"/api/v1/portal/dossiers/{code}/supplement/", own, format="json")
    assert r.status_code == 200 and r.json()["status"] == "in_progress", r.json()
