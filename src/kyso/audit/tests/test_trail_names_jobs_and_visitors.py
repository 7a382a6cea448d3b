"""The trail names who acted as a person reads it: a periodic job by its name in words ("Lập điểm kiểm tra
nhật ký"), not `job:audit.checkpoint`; the job itself ("… (tác vụ số 7)") and how it ended (items done, items
refused, why it stopped) in words; a command run with no --user by its server account, not `cli:root`. Found on a running
`make run`: the worker's periodic jobs filled the trail with codes the render-every-page test never met."""


import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from kyso import audit
from kyso.accounts.demo import DEMO_PASSWORD
from kyso.audit.models import AuditRecord
from kyso.core import pagecheck
from kyso.core.context import acting_as
from kyso.jobs import registry, schedule
from kyso.jobs.worker import drain

pytestmark = pytest.mark.django_db

LOGINS = frozenset(("admin", "kiemtoan"))


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_periodic_jobs_are_named_in_words_in_the_trail(demo):
    now = timezone.localtime(timezone.now()).replace(hour=12, minute=0, second=1, microsecond=0)
    assert schedule.due("worker-a", now)
    drain()
    ends = AuditRecord.objects.filter(action="jobs.job.finished").order_by("id")
    assert ends.count() == len(registry.periodic())
    client = Client()
    assert client.login(username="kiemtoan", password=DEMO_PASSWORD)
    listing = _page(client, "/audit/?action=jobs.job")
    assert "job:" not in listing
    assert pagecheck.problems(listing, allowed_words=LOGINS) == []
    checkpoint = registry.kind("audit.checkpoint").label
    for rec in ends:
        html = _page(client, f"/audit/{rec.seq}/")
        assert "job:" not in html and "audit.checkpoint" not in html
        assert pagecheck.problems(html, allowed_words=LOGINS) == [], rec.actor
    submitted = AuditRecord.objects.filter(action="jobs.job.submit").order_by("id").first()
    html = _page(client, f"/audit/{submitted.seq}/")
    assert pagecheck.problems(html, allowed_words=LOGINS) == [] and "receipt_timestamps" not in html
    rec = ends.get(actor="job:audit.checkpoint")
    html = _page(client, f"/audit/{rec.seq}/")
    assert str(checkpoint) in html and "tác vụ số" in html and "số mục đã xong" in html


def test_a_command_without_a_user_is_named_by_its_server_account(demo):
    with acting_as(channel="cli"), transaction.atomic(), audit.action("demo.load"):
        audit.record("demo.load", object_type="org.unit", object_id=1)
    rec = AuditRecord.objects.order_by("-id").first()
    assert rec.actor.startswith("cli:")
    client = Client()
    assert client.login(username="kiemtoan", password=DEMO_PASSWORD)
    html = _page(client, f"/audit/{rec.seq}/")
    assert "cli:" not in html and f"tài khoản máy chủ {rec.actor[4:]}" in html
