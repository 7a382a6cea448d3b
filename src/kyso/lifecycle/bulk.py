"""Bulk work with a progress display: revoke every certificate under a unit (a unit dissolved or merged).
Each certificate is its own transaction so the progress is real and one failure does not stop the rest;
failures are listed with their reason."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core.context import acting_as
from kyso.core.errors import InvalidInput, InvalidState, KysoError, NotFound

from .models import BulkJob, CertStatus, Certificate, RevocationReason, RevocationState
from .permissions import LC_CONFIRM, LC_VIEW


def start_bulk_revocation(user, unit, *, reason: str, detail: str, phone_notice: str = "") -> BulkJob:
    scope.require(user, LC_CONFIRM, unit)
    if reason not in RevocationReason.values:
        raise InvalidInput("lifecycle.revocation.reason", _("Unknown revocation reason %(reason)s (a, b, c, d, dd, e)."),
                           reason=reason)
    from .services import visible_certificates

    ids = list(visible_certificates(user).filter(subscriber__unit__path__startswith=unit.path,
                                                 status__in=[CertStatus.ISSUED, CertStatus.ACTIVE])
               .values_list("pk", flat=True))
    if not ids:
        raise InvalidState("lifecycle.bulk.nothing", _("No valid certificate under %(unit)s."), unit=unit.name)
    with audit.action("lifecycle.bulk.start"):
        job = BulkJob.objects.create(kind="revoke", unit=unit, total=len(ids), created_by=user if user.pk else None,
                                     params={"ids": ids, "reason": reason, "detail": detail,
                                             "phone_notice": phone_notice})
    from .tasks import run_bulk

    transaction.on_commit(lambda: run_bulk.delay(job.pk))
    return job


def start_revoke_many(user, certificate_ids, *, reason: str, detail: str, phone_notice: str = "") -> BulkJob:
    """Revoke chosen certificates (API, CLI): every one is checked before the job starts, so a refused one
    stops nothing half-way — nothing starts."""
    from .services import IMMEDIATE

    ids = sorted({int(i) for i in certificate_ids or []})
    if not ids:
        raise InvalidInput("lifecycle.bulk.empty", _("Choose at least one certificate."))
    if reason not in RevocationReason.values:
        raise InvalidInput("lifecycle.revocation.reason", _("Unknown revocation reason %(reason)s (a, b, c, d, dd, e)."),
                           reason=reason)
    if reason == "b":
        raise InvalidInput("lifecycle.bulk.reason_b", _("Reason b is the subscriber's own Form 05; file it one by one."))
    if not detail.strip():
        raise InvalidInput("lifecycle.bulk.detail", _("State why these certificates are revoked."),
                           fields={"detail": ("required", _("This field is required."))})
    if reason in IMMEDIATE and not phone_notice.strip():
        raise InvalidInput("lifecycle.revocation.phone_notice",
                           _("Reasons c and e are notified at once by phone to the IT Center: record the call."))
    certs = list(scope.filter_by_scope(Certificate.objects.select_related("subscriber__managing_unit"), user,
                                       LC_VIEW, "subscriber__unit__path").filter(pk__in=ids))
    if len(certs) != len(ids):
        raise NotFound("lifecycle.certificate.not_found", _("No such certificate."))
    for cert in certs:
        scope.require(user, LC_CONFIRM, cert.subscriber.managing_unit)
        if cert.status == CertStatus.REVOKED:
            raise InvalidState("lifecycle.revocation.already_revoked",
                               _("Certificate %(serial)s is already revoked."), serial=cert.serial)
        if cert.revocations.exclude(state=RevocationState.DEVICE_RETURNED).exists():
            raise InvalidState("lifecycle.revocation.in_progress",
                               _("A revocation of certificate %(serial)s is already in progress."), serial=cert.serial)
    with audit.action("lifecycle.bulk.start"):
        job = BulkJob.objects.create(kind="revoke", unit=_common_unit([c.subscriber.managing_unit for c in certs]),
                                     total=len(certs), created_by=user if getattr(user, "pk", None) else None,
                                     params={"ids": ids, "reason": reason, "detail": detail,
                                             "phone_notice": phone_notice})
    from .tasks import run_bulk

    transaction.on_commit(lambda: run_bulk.delay(job.pk))
    return job


def _common_unit(units):
    """The deepest unit whose subtree holds all `units` (the job's scope)."""
    from kyso.org.models import Unit

    prefix = units[0].path
    for u in units[1:]:
        while not u.path.startswith(prefix):
            prefix = prefix[: prefix.rstrip("/").rfind("/") + 1]
    return Unit.objects.filter(path=prefix).first() or units[0]


def visible_jobs(user):
    return scope.filter_by_scope(BulkJob.objects.all(), user, LC_VIEW, "unit__path")


def run(job_id: int) -> BulkJob:
    from .models import Certificate
    from .services import request_revocation

    job = BulkJob.objects.get(pk=job_id)
    user = job.created_by
    with acting_as(user, channel="task"):
        with transaction.atomic():
            job.state = "running"
            job.save(update_fields=["state"])
        for cert_id in job.params["ids"][job.done + len(job.failed):]:
            try:
                with transaction.atomic():
                    cert = Certificate.objects.get(pk=cert_id)
                    request_revocation(user, cert, reason=job.params["reason"], detail=job.params["detail"],
                                       phone_notice=job.params.get("phone_notice", ""))
                    job.done += 1
                    job.save(update_fields=["done"])
            except KysoError as exc:
                with transaction.atomic():
                    job.failed = [*job.failed, {"certificate": cert_id, "code": exc.code, "message": str(exc.message)}]
                    job.save(update_fields=["failed"])
        with transaction.atomic():
            job.state = "finished"
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "finished_at"])
    return job
