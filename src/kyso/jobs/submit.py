"""Submitting a job (from a page, the API, the CLI or the schedule) and finding the jobs a person may follow.

Submitting writes the job row and the locks of its records in the caller's transaction; the work starts after
commit, in a worker — never in the request. A job whose records another unfinished job holds is refused with
`jobs.overlap`."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import Conflict, InvalidInput

from . import dispatch, registry

steps.register_label("jobs.job.submit", _("Submit a background job"))
from .models import Job, JobLock


def lock_keys(kind: registry.Kind, items) -> list[str]:
    return [f"{kind.lock_prefix}:{item}" for item in items] if kind.lock_prefix else []


def submit(kind_name: str, *, items=None, params=None, unit=None, user=None, locks=None) -> Job:
    """A new job of `kind_name` over `items` (default: one run); refused if another job holds one of its records."""
    kind = registry.kind(kind_name)
    if kind is None:
        raise InvalidInput("jobs.kind.unknown", _("Unknown kind of job %(kind)s."), kind=kind_name)
    items = list(items) if items is not None else [None]
    keys = sorted(set(locks if locks is not None else lock_keys(kind, items)))
    _refuse_overlap(keys)
    with audit.action("jobs.job.submit"):
        job = Job.objects.create(kind=kind.name, items=items, params=params or {}, unit=unit,
                                 created_by=user if getattr(user, "pk", None) else None, run_after=timezone.now())
        try:
            with transaction.atomic():
                JobLock.objects.bulk_create([JobLock(key=k, job=job) for k in keys], batch_size=500)
        except IntegrityError:
            _refuse_overlap(keys)
            raise
        audit.record("jobs.job.submit", object_type="jobs.job", object_id=job.pk, object_repr=str(job),
                     unit_path=unit.path if unit is not None else "",
                     after={"kind": job.kind, "items": len(items), "params": job.params})
    transaction.on_commit(lambda: dispatch.announce(job.pk))
    return job


def _refuse_overlap(keys: list[str]) -> None:
    for start in range(0, len(keys), 500):
        held = JobLock.objects.filter(key__in=keys[start:start + 500]).select_related("job").first()
        if held is not None:
            raise Conflict("jobs.overlap",
                           _("Job %(job)s (%(label)s) is already working on some of these records; "
                             "wait until it ends."), job=held.job_id, label=label_of(held.job.kind))


def label_of(kind_name: str) -> str:
    kind = registry.kind(kind_name)
    return str(kind.label) if kind else kind_name


def visible_jobs(user):
    """The jobs `user` may follow: his own, and those of a kind he may see at the job's unit."""
    q = Q(created_by=user) if getattr(user, "pk", None) else Q(pk__in=[])
    for kind in registry.kinds().values():
        if kind.perm:
            q |= Q(kind=kind.name) & scope.scope_q(user, kind.perm, "unit__path")
    return Job.objects.filter(q)


def stale_after():
    return timezone.now() - timezone.timedelta(seconds=settings.KYSO_JOBS_STALE_SECONDS)
