"""Bulk revocation of every certificate under a unit (a unit dissolved), with its progress report."""

import datetime as dt

from django.db import transaction
from django.test import Client

from kyso.core.context import acting_as
from kyso.lifecycle import bulk, services
from kyso.lifecycle.models import BulkJob, Certificate, RevocationRequest, Subscriber


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


def test_bulk_revocation_runs_and_reports_progress(demo):
    people = _certs(demo, "HN.BD", 3)
    user = demo.user("badinh")
    with acting_as(user, channel="cli"), transaction.atomic():
        job = bulk.start_bulk_revocation(user, demo.unit("HN.BD"), reason="d", detail="Sáp nhập đơn vị")
    bulk.run(job.pk)            # what the Celery task does (eager on a single machine)
    job.refresh_from_db()
    assert (job.total, job.done, job.state, job.failed) == (len(people), len(people), "finished", [])
    assert RevocationRequest.objects.filter(reason="d").count() == len(people)

    c = Client()
    c.force_login(user)
    status = c.get(f"/lifecycle/bulk/{job.pk}.json").json()
    assert status == {"total": len(people), "done": len(people), "failed": [], "state": "finished"}
    page = c.get(f"/lifecycle/bulk/?job={job.pk}").content.decode()
    assert "<progress" in page
    other = Client()
    other.force_login(demo.user("hcm"))
    assert other.get(f"/lifecycle/bulk/{job.pk}.json").status_code == 404


def test_bulk_failures_are_listed_not_fatal(demo):
    _certs(demo, "HN.BD", 2)
    user = demo.user("badinh")
    first = Certificate.objects.order_by("pk").first()
    with acting_as(user, channel="cli"), transaction.atomic():
        services.request_revocation(user, first, reason="d", detail="trước")
        job = bulk.start_bulk_revocation(user, demo.unit("HN.BD"), reason="d", detail="Sáp nhập")
    bulk.run(job.pk)
    job.refresh_from_db()
    assert job.done == job.total - 1 and job.failed[0]["code"] == "lifecycle.revocation.in_progress"
    assert BulkJob.objects.count() == 1
