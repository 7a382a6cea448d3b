"""Revoking many certificates at once (a unit dissolved): every certificate is checked first — one
refusal and nothing starts —, then a job revokes them one per transaction and reports done/total."""

import pytest

from kyso.lifecycle.models import BulkJob, RevocationRequest

from .factories import certificate_for

URL = "/api/v1/lifecycle/certificates/bulk-revoke/"


@pytest.fixture
def three(demo):
    return [certificate_for("person", person=demo.person("HN.BD", t)) for t in ("Giám đốc", "Phó Giám đốc",
                                                                                 "Chuyên viên")]


@pytest.mark.django_db
def test_bulk_revocation_runs_as_a_job_with_progress(api, three, django_capture_on_commit_callbacks):
    body = {"certificates": [c.pk for c in three], "reason": "d", "detail": "Đơn vị giải thể"}
    with django_capture_on_commit_callbacks(execute=True):
        resp = api("badinh").post(URL, body, format="json")
    assert resp.status_code == 202, resp.content
    job = api("badinh").get(f"/api/v1/lifecycle/jobs/{resp.json()['id']}/").json()
    assert (job["state"], job["done"], job["total"], job["percent"], job["failed"]) == ("finished", 3, 3, 100, [])
    revs = RevocationRequest.objects.filter(certificate__in=three)
    assert revs.count() == 3 and set(revs.values_list("state", flat=True)) == {"confirmed"}
    assert set(revs.values_list("reason", flat=True)) == {"d"}
    # the IT Center then sends each to the CA within 1 working day (steps in its queue)
    steps = api("cntt").get("/api/v1/lifecycle/steps/").json()["results"]
    assert sum(1 for s in steps if s["name"] == "revoke_1wd") >= 3


@pytest.mark.django_db
def test_one_refused_certificate_and_nothing_starts(api, demo, three):
    outside = certificate_for("person", person=demo.person("HN.CG", "Giám đốc"))
    before = BulkJob.objects.count()
    resp = api("badinh").post(URL, {"certificates": [c.pk for c in three] + [outside.pk], "reason": "d",
                                    "detail": "Đơn vị giải thể"}, format="json")
    assert resp.status_code == 404
    resp = api("badinh").post(URL, {"certificates": [three[0].pk], "reason": "e", "detail": "Vi phạm"}, format="json")
    assert resp.json()["error"]["code"] == "lifecycle.revocation.phone_notice"
    resp = api("thuebao").post(URL, {"certificates": [three[0].pk], "reason": "d", "detail": "x"}, format="json")
    assert resp.status_code == 403
    assert BulkJob.objects.count() == before and not RevocationRequest.objects.exists()
