"""Revoking many certificates at once (a unit dissolved, or chosen certificates): every certificate is checked
first — one refusal and nothing starts —, then a job revokes them one per transaction and reports done/total on
its page; a certificate that cannot be revoked is listed, not fatal."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client

from kyso.core.context import acting_as
from kyso.jobs.models import Job
from kyso.jobs.worker import drain
from kyso.lifecycle import bulk, services
from kyso.lifecycle.models import Certificate, RevocationRequest, Subscriber

from .factories import ba_dinh_certificates, certificate_for

URL = "/api/v1/lifecycle/certificates/bulk-revoke/"


@pytest.fixture
def three(demo):
    return ba_dinh_certificates(demo)


@pytest.mark.django_db
def test_bulk_revocation_runs_as_a_job_with_progress(api, three, django_capture_on_commit_callbacks):
    body = {"certificates": [c.pk for c in three], "reason": "d", "detail": "Đơn vị giải thể"}
    with django_capture_on_commit_callbacks(execute=True):
        resp = api("badinh").post(URL, body, format="json")
    assert resp.status_code == 202, resp.content
    assert resp.json()["url"] == f"/api/v1/jobs/{resp.json()['id']}/" and not RevocationRequest.objects.exists()
    drain()
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
    before = Job.objects.count()
    resp = api("badinh").post(URL, {"certificates": [c.pk for c in three] + [outside.pk], "reason": "d",
                                    "detail": "Đơn vị giải thể"}, format="json")
    assert resp.status_code == 404
    resp = api("badinh").post(URL, {"certificates": [three[0].pk], "reason": "e", "detail": "Vi phạm"}, format="json")
    assert resp.json()["error"]["code"] == "lifecycle.revocation.phone_notice"
    resp = api("thuebao").post(URL, {"certificates": [three[0].pk], "reason": "d", "detail": "x"}, format="json")
    assert resp.status_code == 403
    assert Job.objects.count() == before and not RevocationRequest.objects.exists()

def _certs(demo, unit_code, n):
    now = dt.datetime.now(dt.timezone.utc)
    people = list(demo.unit(unit_code).people.all()[:n])
    with acting_as(label="t"), transaction.atomic():
        for i, p in enumerate(people):
            sub = Subscriber.objects.create(kind="person", person=p, unit=p.unit,
                                            managing_unit=services.managing_unit(p.unit))
            Certificate.objects.create(serial=f"b{i:03x}", issuer="CN=Old CA", subject=f"CN={p.full_name}",
                                       not_before=now, not_after=now + dt.timedelta(days=300), kind="person",
                                       subscriber=sub, status="active", source="imported", der=b"")
    return people


def test_bulk_revocation_of_a_unit_runs_and_reports_progress(demo):
    people = _certs(demo, "HN.BD", 3)
    user = demo.user("badinh")
    with acting_as(user, channel="cli"), transaction.atomic():
        job = bulk.start_bulk_revocation(user, demo.unit("HN.BD"), reason="d", detail="Sáp nhập đơn vị")
    assert job.state == "queued" and not RevocationRequest.objects.exists()   # submitted, not run
    assert drain() == 1         # what `kyso worker` does
    job.refresh_from_db()
    assert (job.total, job.done, job.state, job.failures) == (len(people), len(people), "finished", [])
    assert RevocationRequest.objects.filter(reason="d").count() == len(people)

    c = Client()
    c.force_login(user)
    status = c.get(f"/jobs/{job.pk}.json").json()
    assert (status["total"], status["done"], status["failed"], status["state_label"]) == (len(people), len(people), 0,
                                                                                          "Đã xong")
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "<progress" in page and "Thu hồi hàng loạt" in page
    other = Client()
    other.force_login(demo.user("hcm"))
    assert other.get(f"/jobs/{job.pk}.json").status_code == 404


def test_bulk_failures_are_listed_not_fatal(demo):
    _certs(demo, "HN.BD", 2)
    user = demo.user("badinh")
    first = Certificate.objects.order_by("pk").first()
    with acting_as(user, channel="cli"), transaction.atomic():
        services.request_revocation(user, first, reason="d", detail="trước")
        job = bulk.start_bulk_revocation(user, demo.unit("HN.BD"), reason="d", detail="Sáp nhập")
    drain()
    job.refresh_from_db()
    assert job.done == job.total - 1 and job.failures[0]["code"] == "lifecycle.revocation.in_progress"
    assert "đang" in job.failures[0]["message"]          # the reason in Vietnamese
    assert Job.objects.filter(kind=bulk.KIND).count() == 1
