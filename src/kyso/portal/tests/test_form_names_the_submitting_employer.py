"""A form that names an employer (`<DonVi><MaSoThue>`: D02-TS, D01-TS, TK3-TS) is that employer's declaration: it is
accepted only from that employer, or from an I-VAN provider filing for it.

Before, only the signer was checked, not whom the content is about: Công ty TNHH Ánh Dương (0101234567) signed with
its own certificate a D02-TS whose <DonVi><MaSoThue> was 0100109106 — another company's workforce — and the portal
received it (201) as Ánh Dương's dossier; an I-VAN provider could do the same for a registered employer, and a
citizen could file an employer's declaration signed with his own certificate. Now each such file is refused with
the tax code it names, and nothing is written."""

import pytest

from kyso.portal.models import Dossier

from . import helpers as h

SAO_MAI = {"tax_code": "0109876543", "name": "Công ty CP Sao Mai"}
HANG_KHONG = ("0100109106", "Tổng công ty Hàng không Việt Nam")


def _refused(r):
    assert r.status_code == 400, r.json()
    err = r.json()["error"]
    assert err["code"] == "portal.intake.form_names_other_employer", err
    assert not Dossier.objects.exists()
    return err


def test_an_employer_cannot_declare_about_another_company(employer, employer_api):
    _sub, issued, key = employer
    other = h.d02(tax_code=HANG_KHONG[0], name=HANG_KHONG[1], workers=2)
    files = [h.b64file("D02-TS.xml", h.signed(other, issued, key)), h.b64file("TK1-TS.xml", h.signed(h.tk1(), issued, key))]
    err = _refused(employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": files}, format="json"))
    assert err["field_codes"] == {"D02-TS.xml": "portal.intake.form_names_other_employer"}   # TK1-TS names no employer
    assert HANG_KHONG[0] in err["fields"]["D02-TS.xml"][0] and "Công ty TNHH Ánh Dương" in err["message"]

    own = [h.b64file("D02-TS.xml", h.signed(h.d02(), issued, key))]
    assert employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": own},
                             format="json").status_code == 201


def test_every_form_of_the_dossier_is_read(employer, employer_api):
    """Procedure 601: the optional D01-TS names another employer while the mandatory D02-TS is the employer's own."""
    _sub, issued, key = employer
    d01 = (b'<?xml version="1.0" encoding="UTF-8"?>\n<D01TS xmlns="http://kyso.vss.gov.vn/hoso/D01-TS"><DonVi>'
           b"<MaSoThue>0109876543</MaSoThue><TenDonVi>Sao Mai</TenDonVi></DonVi><Dong><MaSoBHXH>0123456789</MaSoBHXH>"
           b"<TuThang>2026-01</TuThang><DenThang>2026-03</DenThang><SoTien>1500000</SoTien></Dong></D01TS>")
    files = [h.b64file("D02-TS.xml", h.signed(h.d02(), issued, key)), h.b64file("D01-TS.xml", h.signed(d01, issued, key))]
    err = _refused(employer_api.post("/api/v1/portal/dossiers/", {"procedure": "601", "files": files}, format="json"))
    assert list(err["field_codes"]) == ["D01-TS.xml"]


def test_an_ivan_provider_files_only_the_declarations_of_the_employer_it_files_for(ivan, ivan_api, employer):
    h.register_ivan(ivan[0], SAO_MAI["tax_code"], SAO_MAI["name"])
    issued, key = h.holder_certificate(SAO_MAI["name"], "MST:0109876543")
    about_anhduong = h.d02()                                          # names 0101234567, signed by Sao Mai
    body = {"procedure": "600", "unit": "HN.BD", "employer": SAO_MAI,
            "files": [h.b64file("D02-TS.xml", h.signed(about_anhduong, issued, key))]}
    err = _refused(ivan_api.post("/api/v1/portal/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="efy-form-0001"))
    assert "0101234567" in err["fields"]["D02-TS.xml"][0]

    body["files"] = [h.b64file("D02-TS.xml", h.signed(h.d02(**SAO_MAI), issued, key))]
    r = ivan_api.post("/api/v1/portal/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="efy-form-0002")
    assert r.status_code == 201, r.json()


def test_a_citizen_files_no_employers_declaration(demo, pki):
    sub, _n, _k = h.submitter("congdan.an", "citizen", "HN.BD", name="Nguyễn Văn An", tax_code="001085012345",
                              with_cert=False)
    issued, key = h.holder_certificate("Nguyễn Văn An", "CCCD:001085012345", person=True)
    files = [h.b64file("D02-TS.xml", h.signed(h.d02(), issued, key))]
    err = _refused(h.client_for(sub.user).post("/api/v1/portal/dossiers/", {"procedure": "600", "files": files},
                                               format="json"))
    assert "0101234567" in err["fields"]["D02-TS.xml"][0]
