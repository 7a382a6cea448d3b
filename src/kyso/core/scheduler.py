"""A minimal periodic-job runner for single-machine installs without a Celery broker.

It reads the same `CELERY_BEAT_SCHEDULE` that Celery beat uses in production and runs the
due tasks inline, one at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from celery import current_app
from celery.schedules import schedule as interval
from django.conf import settings
from django.utils import timezone

log = logging.getLogger("kyso.scheduler")


def _schedules():
    out = {}
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        sched = entry["schedule"]
        if isinstance(sched, (int, float)):
            sched = interval(dt.timedelta(seconds=sched))
        elif isinstance(sched, dt.timedelta):
            sched = interval(sched)
        out[name] = (entry["task"], sched)
    return out


def run_forever(poll_seconds: float = 5.0, once: bool = False) -> None:
    last_run: dict[str, dt.datetime] = {}
    from kyso.celery import app

    app.loader.import_default_modules()  # register every app's tasks now, not lazily
    from kyso.core.context import acting_as

    while True:
        now = timezone.now()
        for name, (task_name, sched) in _schedules().items():
            last = last_run.get(name, now - dt.timedelta(days=1))
            due, _next = sched.is_due(last)
            if due:
                last_run[name] = now
                try:
                    with acting_as(label="scheduler", channel="task"):
                        current_app.tasks[task_name].apply(throw=True)
                except Exception:  # noqa: BLE001 - keep the scheduler alive; the job retries next time
                    log.exception("periodic job %s failed", name)
        if once:
            return
        time.sleep(poll_seconds)
