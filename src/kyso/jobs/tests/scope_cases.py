"""Job endpoints in the role × endpoint × scope table: a bulk revocation job at the target unit (submitted by the
system), seen by whoever may see certificates there; a person's own jobs he always sees."""

from django.db import transaction
from django.utils import timezone

from kyso import audit
from kyso.core.context import acting_as
from kyso.core.scope_table import Endpoint


def _job(t):
    from kyso.jobs.models import Job

    with acting_as(label="scope-table", channel="cli"), transaction.atomic(), audit.action("test.prepare"):
        t.extra["job"] = Job.objects.create(kind="lifecycle.bulk_revoke", unit=t.unit, items=[0],
                                            run_after=timezone.now()).pk


def _has(key):
    return lambda t, body: any(r["id"] == t.extra[key] for r in body.get("results", body))


ENDPOINTS = [
    Endpoint("jobs.list", "GET", lambda t: "/api/v1/jobs/", listed=_has("job"), prepare=_job),
    Endpoint("jobs.detail", "GET", lambda t: f"/api/v1/jobs/{t.extra['job']}/", prepare=_job),
]

EXPECT = """
endpoint      admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
jobs.list     L/-   L/-   L/-     L/U     L/U     L/U       L/U     U/U       L/-
jobs.detail   200/- 200/- 200/-   200/404 200/404 200/404   200/404 404/404   200/-
"""
