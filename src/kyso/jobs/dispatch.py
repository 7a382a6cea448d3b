"""How a submitted job reaches a worker: with `KYSO_CELERY_BROKER` set, a Celery message on Redis carrying the
job's id (the row stays the truth: the Celery task claims and runs it like the poller does); without a broker,
nothing to send — `kyso worker` polls the table."""

from __future__ import annotations

import logging

from django.conf import settings

from kyso.celery import app

log = logging.getLogger("kyso.jobs")
TASK = "kyso.jobs.run"


def broker() -> str:
    return settings.CELERY_BROKER_URL


def announce(job_id: int) -> None:
    if not broker():
        return
    try:
        app.send_task(TASK, args=[job_id])
    except Exception:  # noqa: BLE001 - the broker may be down: the worker's sweep sends it again
        log.exception("could not send job %s to the broker; the worker's sweep will", job_id)
