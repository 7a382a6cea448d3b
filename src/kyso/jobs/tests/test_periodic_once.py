"""Periodic jobs run at their times, once per period however many workers run, and a restart does not run them
again: the period each last ran for is in the database (`PeriodicRun`), claimed by one worker only."""

import datetime as dt
import signal
import time

import pytest
from django.utils import timezone

from kyso.jobs import registry, schedule
from kyso.jobs.models import Job, PeriodicRun
from kyso.jobs.worker import drain


@pytest.mark.django_db
def test_each_period_once_and_not_again_at_restart(demo):
    now = timezone.localtime(timezone.now()).replace(hour=12, minute=0, second=1, microsecond=0)
    first = schedule.due("worker-a", now)
    names = sorted(registry.periodic())
    assert sorted(j.kind for j in first) == names
    assert schedule.due("worker-b", now) == []                       # another worker, same period: nothing
    assert schedule.due("worker-a", now + dt.timedelta(seconds=1)) == []   # a restart: nothing either
    drain()
    assert set(Job.objects.values_list("state", flat=True)) == {"finished"}
    # five minutes later only the audit checkpoint and the receipts' time-stamps are due again; the next day the
    # daily ones too
    later = schedule.due("worker-b", now + dt.timedelta(seconds=301))
    assert sorted(j.kind for j in later) == ["audit.checkpoint", "portal.receipt_timestamps"]
    tomorrow = timezone.localtime(now).replace(hour=7, minute=30) + dt.timedelta(days=1)
    assert {"lifecycle.daily", "sims.daily"} <= {j.kind for j in schedule.due("worker-a", tomorrow)}
    assert PeriodicRun.objects.count() == len(names)


@pytest.mark.django_db
def test_a_daily_job_waits_for_its_hour(demo):
    per = registry.periodic()["lifecycle.daily"]
    local = timezone.localtime(timezone.now()).replace(hour=6, minute=59, second=0, microsecond=0)
    assert schedule.period_of(per, local) == (local.date() - dt.timedelta(days=1)).isoformat()
    assert schedule.period_of(per, local + dt.timedelta(minutes=1)) == local.date().isoformat()


def _periods(seconds_or_at, t0, t1):
    """How many periods [t0, t1] touches (computed here, independently of the code under test)."""
    if isinstance(seconds_or_at, int):
        return int(t1 // seconds_or_at) - int(t0 // seconds_or_at) + 1
    return 1


def test_two_workers_run_each_periodic_job_once(site):
    expected_every = {"audit.checkpoint": 300, "notify.retry": 600, "pki.crl_refresh": 3600,
                      "pki.ocsp_refresh": 900, "lifecycle.daily": "07:00", "sims.daily": "07:00",
                      "portal.receipt_timestamps": 30}
    t0 = time.time()
    a = site.start("worker", "--poll", "0.2", log="a")
    b = site.start("worker", "--poll", "0.2", log="b")
    site.wait_for("SELECT count(*) FROM jobs_job WHERE state = 'finished'", lambda r: r[0][0] >= len(expected_every),
                  timeout=120)
    time.sleep(3)                                           # both keep looking at the schedule
    for proc in (a, b):                                     # a restart of both
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    a = site.start("worker", "--poll", "0.2", log="a")
    b = site.start("worker", "--poll", "0.2", log="b")
    time.sleep(4)
    t1 = time.time()
    runs = dict(site.sql("SELECT kind, count(*) FROM jobs_job GROUP BY kind"))
    for name, period in expected_every.items():
        assert 1 <= runs[name] <= _periods(period, t0, t1), (name, runs)
    assert site.sql("SELECT count(*) FROM jobs_job WHERE state != 'finished'")[0][0] == 0
    claimers = {r[0].split(":")[1] for r in site.sql("SELECT claimed_by FROM jobs_periodicrun")}
    assert claimers <= {str(p.pid) for p in site.procs}
    assert site.sql("SELECT count(*) FROM audit_checkpoint")[0][0] >= 1          # the jobs did their work
