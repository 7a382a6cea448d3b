"""`kyso worker`: the loop beside the server. Every second it submits the periodic jobs that are due; without a
broker it sends the notifications waiting in the outbox and claims and runs the waiting jobs itself (and those of
workers that died); with `KYSO_CELERY_BROKER`
it leaves the running to Celery workers and sends again the jobs nobody took (a lost message, a Celery worker
killed mid-job: the row is still there, with its checkpoint)."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from kyso.notify.services import deliver_pending

from . import dispatch, runner, schedule
from .models import Job, JobState
from .submit import stale_after

log = logging.getLogger("kyso.jobs")
SCHEDULE_SECONDS = 5.0      # how often a worker looks whether a periodic job is due


class Worker:
    def __init__(self, *, poll: float = 1.0, name: str | None = None, periodic: bool = True, parent: int = 0):
        self.name = name or runner.worker_name()
        self.parent = parent
        self.poll, self.periodic = poll, periodic
        self.stopping = threading.Event()
        self._swept = self._scheduled = -SCHEDULE_SECONDS

    def stop(self, *args) -> None:
        self.stopping.set()

    def serve(self, *, once: bool = False) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        log.info("worker %s started (%s)", self.name, "celery" if dispatch.broker() else "database")
        while not self.stopping.is_set() and self._parent_alive():
            worked = False
            try:
                close_old_connections()
                if self.periodic and time.monotonic() - self._scheduled >= SCHEDULE_SECONDS:
                    self._scheduled = time.monotonic()
                    schedule.due(self.name)
                worked = self.sweep() if dispatch.broker() else self.outbox() + self.work_one()
            except DatabaseError:
                log.exception("worker %s: database unavailable, trying again", self.name)
            if once:
                return
            if not worked:
                self.stopping.wait(self.poll)

    def _parent_alive(self) -> bool:
        """Under `kyso serve`: stop with the server, even one killed without a word (its pid is no longer ours)."""
        return not self.parent or os.getppid() == self.parent

    def outbox(self) -> bool:
        """Without a broker, the notifications committed since the last poll are sent from here (never from the
        request that caused them)."""
        return bool(deliver_pending())

    def work_one(self) -> bool:
        job = runner.claim(self.name)
        if job is None:
            return False
        runner.run(job, self.name, stop=self.stopping)
        return True

    def sweep(self) -> bool:
        """Broker mode: send again the jobs waiting too long or whose Celery worker went silent."""
        every = min(30, settings.KYSO_JOBS_STALE_SECONDS)
        if time.monotonic() - self._swept < every:
            return False
        self._swept = time.monotonic()
        now = timezone.now()
        lost = (Job.objects.filter(state=JobState.QUEUED, run_after__lte=now - timezone.timedelta(seconds=every))
                | Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=stale_after()))
        for pk in lost.values_list("pk", flat=True)[:500]:
            dispatch.announce(pk)
        return False


def drain(name: str = "drain") -> int:
    """Run every job that is waiting now, in this process, until none is left, and send the notifications waiting
    in the outbox (the CLI's `--drain`, tests); returns the number of jobs run."""
    worker, count = Worker(name=f"{name}:{runner.worker_name()}", periodic=False), 0
    while worker.work_one():
        count += 1
        worker.outbox()
    worker.outbox()
    return count
