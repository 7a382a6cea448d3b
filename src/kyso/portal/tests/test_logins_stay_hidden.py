"""Existence oracle at the one-stop desk: the officer who assigns a dossier names its processor by login.
Before, an unknown login answered 404 `portal.assign.unknown` and a login that does not process dossiers at
the receiving office 400 `portal.assign.not_an_officer`: he learnt which logins exist elsewhere. Now both get
the latter, alike but for the login he typed himself, and the dossier stays unassigned."""

import pytest

from kyso.portal.models import Dossier

pytestmark = pytest.mark.django_db
UNKNOWN = "khong.ton.tai"


def _assign(api, code, login):
    r = api("badinh").post(f"/api/v1/portal/dossiers/{code}/steps/", {"step": "assign", "assignee": login},
                           format="json")
    error = r.json()["error"]
    return r.status_code, error["code"], error["message"].replace(login, "<login>"), error.get("fields")


def test_the_assigning_officer_does_not_learn_who_exists_elsewhere(api, demo, employer_api, signed_600):
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json")
    code = r.json()["code"]
    outside = _assign(api, code, "hcm")
    unknown = _assign(api, code, UNKNOWN)
    assert outside == unknown and unknown[:2] == (400, "portal.assign.not_an_officer")
    dossier = Dossier.objects.get(code=code)
    assert dossier.step != "assign" and dossier.assignee is None
