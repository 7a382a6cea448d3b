"""Bulk revocation (a unit dissolved or merged, or certificates ticked in the register): checked at once, then
submitted as a job (`kyso.jobs`) that a worker runs — never inside the request. Each certificate is its own
savepoint in a chunk whose checkpoint is written with it: a worker killed mid-way is resumed by another with
nothing revoked twice; a refused certificate is listed with its reason and the job goes on; two jobs on the same
certificate are refused at submission (`jobs.overlap`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.core.errors import InvalidInput, InvalidState, NotFound
from kyso.jobs import submit as jobs
from kyso.jobs.models import Job
from kyso.org.models import Unit

from .models import CertStatus, Certificate, RevocationReason, RevocationState
from .permissions import LC_CONFIRM, LC_VIEW
from .queries import visible_certificates
from .revocation import IMMEDIATE, request_revocation

KIND = "lifecycle.bulk_revoke"
LOCK = "lifecycle.certificate"


def start_bulk_revocation(user, unit, *, reason: str, detail: str, phone_notice: str = "") -> Job:
    """Every valid certificate under `unit` (the unit officer's page)."""
    scope.require(user, LC_CONFIRM, unit)
    _check_reason(reason)
    ids = list(visible_certificates(user).filter(subscriber__unit__path__startswith=unit.path,
                                                 status__in=[CertStatus.ISSUED, CertStatus.ACTIVE])
               .order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise InvalidState("lifecycle.bulk.nothing", _("No valid certificate under %(unit)s."), unit=unit.name)
    return _submit(user, unit, ids, reason, detail, phone_notice)


def start_revoke_many(user, certificate_ids, *, reason: str, detail: str, phone_notice: str = "") -> Job:
    """Revoke chosen certificates (register page, API, CLI): every one is checked before the job is submitted,
    so a refused one stops nothing half-way — nothing starts."""
    ids = sorted({_as_id(i) for i in certificate_ids or []})
    if not ids:
        raise InvalidInput("lifecycle.bulk.empty", _("Choose at least one certificate."))
    _check_reason(reason)
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
    unit = _common_unit([c.subscriber.managing_unit for c in certs])
    return _submit(user, unit, ids, reason, detail, phone_notice)


def _as_id(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 < number < 2**63:
        raise InvalidInput("lifecycle.bulk.certificate", _("Not a certificate number: %(value)s."), value=str(value)[:40])
    return number


def _check_reason(reason: str) -> None:
    if reason not in RevocationReason.values:
        raise InvalidInput("lifecycle.revocation.reason", _("Unknown revocation reason %(reason)s (a, b, c, d, dd, e)."),
                           reason=reason)


def _submit(user, unit, ids, reason, detail, phone_notice) -> Job:
    return jobs.submit(KIND, items=ids, unit=unit, user=user,
                       params={"reason": reason, "detail": detail, "phone_notice": phone_notice})


def _common_unit(units):
    """The deepest unit whose subtree holds all `units` (the job's scope)."""
    prefix = units[0].path
    for u in units[1:]:
        while not u.path.startswith(prefix):
            prefix = prefix[: prefix.rstrip("/").rfind("/") + 1]
    return Unit.objects.filter(path=prefix).first() or units[0]


def revoke_one(job: Job, cert_id: int) -> None:
    """One item of the job: the certificate's revocation, filed by the job's submitter."""
    cert = Certificate.objects.filter(pk=cert_id).first()
    if cert is None:
        raise NotFound("lifecycle.certificate.not_found", _("No such certificate."))
    request_revocation(job.created_by, cert, reason=job.params["reason"], detail=job.params["detail"],
                       phone_notice=job.params.get("phone_notice", ""))


def visible_jobs(user):
    return jobs.visible_jobs(user).filter(kind=KIND)
