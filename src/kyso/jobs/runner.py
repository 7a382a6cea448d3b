"""Claiming and running jobs: the same code under `kyso worker` (polling the table) and under Celery.

A worker claims a job with one conditional UPDATE (SQLite) or `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL):
a job waiting, or running under a worker whose heartbeat is stale (killed). Each chunk is one transaction
that first re-reads the job row under lock as its owner, does the chunk's items, and writes the checkpoint
(position, done, failures, heartbeat) — so a worker killed mid-chunk leaves nothing of that chunk, and the next
worker starts exactly at the checkpoint: nothing lost, nothing done twice."""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
import uuid

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.core import steps
from kyso.core.context import acting_as
from kyso.core.errors import KysoError

from . import registry

steps.register_label("jobs.job.finished", _("Background job finished"))
steps.register_label("jobs.job.failed", _("Background job stopped with an error"))
from .models import Job, JobLock, JobState

log = logging.getLogger("kyso.jobs")


class LostJob(Exception):
    """Another worker took the job over (this one was thought dead): stop without writing anything."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _ready(now):
    stale = now - timezone.timedelta(seconds=settings.KYSO_JOBS_STALE_SECONDS)
    return Q(state=JobState.QUEUED, run_after__lte=now) | Q(state=JobState.RUNNING, heartbeat_at__lt=stale)


def _take(pk: int, owner: str, now) -> int:
    return Job.objects.filter(_ready(now), pk=pk).update(
        state=JobState.RUNNING, owner=owner, heartbeat_at=now, attempts=F("attempts") + 1)


def claim(owner: str, job_id: int | None = None) -> Job | None:
    """Take one runnable job (or job `job_id` if it is runnable) for `owner`; None if there is none."""
    now = timezone.now()
    candidates = Job.objects.filter(_ready(now)).order_by("run_after", "id")
    if job_id is not None:
        candidates = candidates.filter(pk=job_id)
    if connection.vendor == "postgresql":
        with transaction.atomic():
            pk = candidates.select_for_update(skip_locked=True).values_list("pk", flat=True).first()
            if pk is None or not _take(pk, owner, now):
                return None
    else:
        for pk in candidates.values_list("pk", flat=True)[:10]:
            if _take(pk, owner, now):        # atomic: only one worker's UPDATE matches
                break
        else:
            return None
    job = Job.objects.get(pk=pk)
    if job.started_at is None:
        Job.objects.filter(pk=pk, started_at__isnull=True).update(started_at=now)
    return job


def run(job: Job, owner: str, *, stop=None) -> Job:
    """Work through `job` (claimed by `owner`) chunk by chunk until it ends — or, when `stop` (an Event) is set,
    hand it back between two chunks for another worker; returns the job as it is then."""
    kind = registry.kind(job.kind)
    with translation.override(settings.LANGUAGE_CODE), \
            acting_as(job.created_by, label=f"job:{job.kind}", channel="task"):
        while True:
            try:
                ended = _chunk(job.pk, owner, kind)
            except LostJob:
                log.warning("job %s was taken over by another worker", job.pk)
                break
            except Exception as exc:  # noqa: BLE001 - a bug or a broken database: retry later, then give up
                log.exception("job %s failed", job.pk)
                _failed(job.pk, owner, kind, exc)
                break
            if ended:
                break
            if stop is not None and stop.is_set():
                Job.objects.filter(pk=job.pk, owner=owner, state=JobState.RUNNING).update(state=JobState.QUEUED, owner="")
                break
    return Job.objects.get(pk=job.pk)


def _chunk(job_id: int, owner: str, kind) -> bool:
    if kind is not None and not kind.atomic:
        return _run_outside(job_id, owner, kind)
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, owner=owner, state=JobState.RUNNING).first()
        if job is None:
            raise LostJob(job_id)
        if kind is None:
            _end(job, JobState.FAILED, "jobs.kind.unknown", _("This kind of job is no longer known."))
            return True
        batch = job.items[job.position: job.position + kind.chunk]
        failures = list(job.failures)
        for item in batch:
            try:
                with transaction.atomic():
                    value = kind.each(job, item)
            except KysoError as exc:
                failures.append({"item": item, "code": exc.code, "message": str(exc.message)})
                continue
            job.done += 1
            if len(job.items) == 1:
                job.result = value
        job.position += len(batch)
        job.failures = failures
        job.heartbeat_at = timezone.now()
        if job.position >= len(job.items):
            _end(job, JobState.FINISHED)
            return True
        job.save(update_fields=["position", "done", "failures", "result", "heartbeat_at"])
        return False


def _run_outside(job_id: int, owner: str, kind) -> bool:
    """A kind that commits its own work as it goes (an idempotent refresh): run it with a heartbeat, then
    write the checkpoint; a worker killed meanwhile leaves it to be run again from its start."""
    job = Job.objects.filter(pk=job_id, owner=owner, state=JobState.RUNNING).first()
    if job is None:
        raise LostJob(job_id)
    failure = value = None
    with _Heartbeat(job_id, owner):
        try:
            value = kind.each(job, job.items[job.position] if job.position < len(job.items) else None)
        except KysoError as exc:
            failure = {"item": None, "code": exc.code, "message": str(exc.message)}
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, owner=owner, state=JobState.RUNNING).first()
        if job is None:
            raise LostJob(job_id)
        job.position = len(job.items)
        if failure:
            job.failures = [*job.failures, failure]
        else:
            job.done, job.result = job.done + 1, value
        _end(job, JobState.FINISHED)
    return True


class _Heartbeat(threading.Thread):
    """Keeps a job's heartbeat fresh while its worker is busy outside a chunk transaction."""

    def __init__(self, job_id: int, owner: str):
        super().__init__(daemon=True, name=f"heartbeat-{job_id}")
        self.job_id, self.owner, self.halt = job_id, owner, threading.Event()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.halt.set()
        self.join()

    def run(self):
        try:
            while not self.halt.wait(max(1.0, settings.KYSO_JOBS_STALE_SECONDS / 4)):
                try:
                    beat(self.owner, [self.job_id])
                except DatabaseError:
                    log.warning("heartbeat of job %s missed", self.job_id)
        finally:
            connections.close_all()


def _end(job: Job, state: str, code: str = "", message="") -> None:
    job.state = state
    job.finished_at = timezone.now()
    job.owner = ""
    job.error_code = code
    job.error_message = str(message)
    job.save()
    JobLock.objects.filter(job=job).delete()
    audit.record(f"jobs.job.{state}", object_type="jobs.job", object_id=job.pk, object_repr=str(job),
                 unit_path=job.unit.path if job.unit_id else "",
                 after={"done": job.done, "failures": len(job.failures), "error_message": job.error_message})


def _failed(job_id: int, owner: str, kind, exc: Exception) -> None:
    """An unexpected error: the chunk was rolled back; try again later, and after `max_attempts` give up."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, owner=owner).first()
        if job is None:
            return
        if kind is not None and job.attempts < kind.max_attempts:
            job.state, job.owner = JobState.QUEUED, ""
            job.run_after = timezone.now() + timezone.timedelta(seconds=30 * job.attempts)
            job.error_code = "jobs.retry"
            job.error_message = str(_("An error interrupted the job; it will continue from where it stopped."))
            job.save(update_fields=["state", "owner", "run_after", "error_code", "error_message"])
            return
        log.error("job %s gives up after %s attempts: %s", job_id, job.attempts,
                  "".join(traceback.format_exception_only(exc)).strip())
        _end(job, JobState.FAILED, "jobs.error",
             _("The job stopped on an unexpected error after %(n)s attempts; tell the IT Center.")
             % {"n": job.attempts})


def beat(owner: str, job_ids) -> None:
    """Heartbeat of the jobs a worker holds (between chunks, and while idle)."""
    Job.objects.filter(pk__in=list(job_ids), owner=owner, state=JobState.RUNNING).update(heartbeat_at=timezone.now())
