"""Issue 16, scope of the signer and I-VAN registers (finding 5): an office's officers vouch only for the dossiers
filed with their own office or an office below it. Before, a registration or an authorisation counted wherever it
was kept: the one-stop officer of one district (Cầu Giấy) could authorise anyone to sign — or register any I-VAN —
for an employer of another district (Ba Đình), and Ba Đình accepted the dossiers signed on that word. Now a record
kept at Cầu Giấy lets dossiers through at Cầu Giấy only; one kept at Ba Đình, or at Hà Nội above it, at Ba Đình."""

from kyso.portal.models import Dossier

from . import helpers as h
from .test_signer_is_the_employer import SAO_MAI, _ivan_body, _post_ivan


def test_an_authorisation_kept_by_another_district_does_not_count(api, employer, employer_api):
    person_cert, person_key = h.holder_certificate("Nguyễn Thị Kế Toán", "CCCD:001190012345", person=True)
    files = [h.b64file("D02-TS.xml", h.signed(h.d02(), person_cert, person_key)),
             h.b64file("TK1-TS.xml", h.signed(h.tk1(), person_cert, person_key))]
    auth = {"employer_tax_code": "0101234567", "employer_name": "Công ty TNHH Ánh Dương",
            "person_id": "001190012345", "person_name": "Nguyễn Thị Kế Toán", "unit": "HN.CG"}
    made = api("motcua.hn").post("/api/v1/portal/signer-authorisations/", auth, format="json")
    assert made.status_code == 201, made.json()
    # the employer files with Ba Đình, its own office: Cầu Giấy's word is not Ba Đình's
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": files}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.intake.signer_not_employer", r.json()
    assert not Dossier.objects.exists()
    # kept at Hà Nội, above Ba Đình: it counts
    assert api("motcua.hn").post(f"/api/v1/portal/signer-authorisations/{made.json()['id']}/end/").status_code == 200
    made = api("motcua.hn").post("/api/v1/portal/signer-authorisations/", dict(auth, unit="HN"), format="json")
    assert made.status_code == 201, made.json()
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": files}, format="json")
    assert r.status_code == 201, r.json()


def test_an_ivan_registration_counts_at_the_office_that_keeps_it(api, ivan_api, ivan):
    issued, key = h.holder_certificate(SAO_MAI["name"], "MST:0109876543")
    reg = {"ivan": "ivan.efy", "employer_tax_code": "0109876543", "employer_name": SAO_MAI["name"], "unit": "HN.CG"}
    assert api("motcua.hn").post("/api/v1/portal/ivan-registrations/", reg, format="json").status_code == 201
    r = _post_ivan(ivan_api, _ivan_body(issued, key), "efy-office-0001")        # filed with Ba Đình
    assert r.status_code == 403 and r.json()["error"]["code"] == "portal.ivan.not_registered", r.json()
    assert not Dossier.objects.exists()
    r = _post_ivan(ivan_api, dict(_ivan_body(issued, key), unit="HN.CG"), "efy-office-0002")
    assert r.status_code == 201, r.json()


def test_the_officer_does_not_write_himself_into_the_register(api, demo, employer):
    """Four eyes: the one-stop officer who keeps the register registered an authorisation naming his own identity
    number — then signed the employer's dossiers, filed with his own office, on his own word. Another officer of
    the office records it."""
    from kyso.portal.models import SignerAuthorisation

    officer = demo.user("motcua.bd")
    auth = {"employer_tax_code": "0101234567", "employer_name": "Công ty TNHH Ánh Dương",
            "person_id": officer.person.id_number.lower(), "person_name": officer.person.full_name, "unit": "HN.BD"}
    r = api("motcua.bd").post("/api/v1/portal/signer-authorisations/", auth, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "portal.authorisation.own", r.json()
    assert "Bạn không được tự đăng ký" in r.json()["error"]["message"]
    assert not SignerAuthorisation.objects.exists()
    r = api("motcua.hn").post("/api/v1/portal/signer-authorisations/", auth, format="json")
    assert r.status_code == 201, r.json()
