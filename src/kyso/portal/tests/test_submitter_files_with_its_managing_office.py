"""A submitter files his dossiers with the social-security office that manages his account (or an office under it),
as an I-VAN provider files with the office that registered the employer (`test_registry_binds_its_office`).

Before, the employer's own portal submission named any office: Công ty TNHH Ánh Dương, managed by BHXH quận Ba Đình
(HN.BD), filed procedure 600 with "unit": "HCM" and BHXH Thành phố Hồ Chí Minh received it — an office that keeps
none of its registrations or signing authorisations. Now it is refused with the name of the managing office."""

from kyso.portal.models import Dossier

from . import helpers as h


def _body(employer, unit=None):
    _sub, issued, key = employer
    body = {"procedure": "600", "files": [h.b64file("D02-TS.xml", h.signed(h.d02(), issued, key))]}
    return {**body, "unit": unit} if unit else body


def test_an_employer_files_only_with_its_managing_office(employer, employer_api):
    for other in ("HCM", "HN.CG", "HN"):           # another province, a sibling district, the province above
        r = employer_api.post("/api/v1/portal/dossiers/", _body(employer, other), format="json")
        assert r.status_code == 403, r.json()
        err = r.json()["error"]
        assert err["code"] == "portal.intake.not_managing_office"
        assert "Ba Đình" in err["message"] and "HN.BD" not in err["message"]
    assert not Dossier.objects.exists()

    r = employer_api.post("/api/v1/portal/dossiers/", _body(employer, "HN.BD"), format="json")
    assert r.status_code == 201, r.json()
    r = employer_api.post("/api/v1/portal/dossiers/", _body(employer), format="json")   # no office named: its own
    assert r.status_code == 201, r.json()
    assert set(Dossier.objects.values_list("unit__code", flat=True)) == {"HN.BD"}
