"""The periodic jobs' schedule, kept in the database: each periodic job runs at most once per period however
many workers there are, and a restart does not run it again (the period it last ran for is in `PeriodicRun`).

A worker that finds a period due claims it with a conditional UPDATE (or the row's first INSERT) and submits
the job in the same transaction; another worker's claim of that period then matches nothing."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from kyso.core.errors import Conflict

from . import registry, submit
from .models import PeriodicRun

log = logging.getLogger("kyso.jobs")


def period_of(per: registry.Periodic, now: dt.datetime) -> str:
    """The key of the period `now` falls in (keys sort in time order)."""
    if per.at is not None:
        local = timezone.localtime(now)
        day = local.date() if local.time() >= per.at else local.date() - dt.timedelta(days=1)
        return day.isoformat()
    seconds = int(per.every.total_seconds())
    return f"{int(now.timestamp()) // seconds:012d}"


def due(owner: str, now: dt.datetime | None = None) -> list:
    """Submit every periodic job whose current period has not been claimed yet; returns the jobs submitted."""
    now = now or timezone.now()
    jobs = []
    last = dict(PeriodicRun.objects.values_list("name", "period"))   # a read: no write lock unless one is due
    for per in registry.periodic().values():
        key = period_of(per, now)
        if last.get(per.name, "") >= key:
            continue
        try:
            with transaction.atomic():
                if not _claim(per.name, key, owner, now):
                    continue
                job = submit.submit(per.kind)
                PeriodicRun.objects.filter(name=per.name).update(job=job)
        except Conflict:
            continue        # last period's run is still going: this period waits for it
        jobs.append(job)
    return jobs


def _claim(name: str, key: str, owner: str, now) -> bool:
    if PeriodicRun.objects.filter(name=name).exists():
        return bool(PeriodicRun.objects.filter(name=name, period__lt=key)
                    .update(period=key, claimed_at=now, claimed_by=owner))
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=name, period=key, claimed_at=now, claimed_by=owner)
    except IntegrityError:
        return False
    return True
