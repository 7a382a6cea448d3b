"""Revoking, suspending (certificateHold) and releasing certificates.

The status changes in the caller's transaction together with the CA's revocation
version, so the CRL and the OCSP cache see the change as soon as it is committed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.accounts.models import User
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput, InvalidState, NotFound

from . import crl, ocsp
from .models import CertificateAuthority, CertStatus, IssuedCertificate
from .permissions import PKI_REVOKE
from .reasons import REASONS

# agency-wide steps (the CA serves the whole agency): the permission is checked at the agency's root unit, so only
# roles held there take them — an IT officer of a province does not revoke, suspend or release (issue 16)
REVOKE = steps.step("pki.certificate.revoke", perm=PKI_REVOKE, label=_("Revoke a certificate"))
SUSPEND = steps.step("pki.certificate.suspend", perm=PKI_REVOKE, label=_("Suspend a certificate"))
RELEASE = steps.step("pki.certificate.release", perm=PKI_REVOKE, label=_("Release a suspended certificate"))


def _agency(actor):
    """Where an agency-wide step is checked (not looked up for Kyso itself, which is not checked)."""
    return scope.agency_root() if actor is not None else None


def normalize_serial(serial) -> str:
    if isinstance(serial, int):
        return format(serial, "x")
    text = str(serial or "").strip().lower().replace(":", "").replace(" ", "")
    if text.startswith("0x"):
        text = text[2:]
    text = text.lstrip("0") or "0"
    if not text or any(c not in "0123456789abcdef" for c in text) or len(text) > 64:
        raise InvalidInput("pki.serial.invalid", _("%(serial)s is not a hexadecimal serial number."), serial=serial)
    return text


def find(serial, ca: CertificateAuthority | None = None, *, lock: bool = False) -> IssuedCertificate:
    qs = IssuedCertificate.objects.select_related("ca")
    if lock:
        # the certificate's row only: FOR UPDATE on the joined CA row as well would block every certificate of that CA
        # being inserted (its foreign key check takes KEY SHARE at commit, after the chain head) — a deadlock on
        # PostgreSQL between a revocation and an issuance, found by the cluster kill test (issue 19)
        qs = qs.select_for_update(of=("self",))
    qs = qs.filter(serial=normalize_serial(serial))
    if ca is not None:
        qs = qs.filter(ca=ca)
    certs = list(qs[:2])
    if not certs:
        raise NotFound("pki.cert.not_found", _("No certificate with serial number %(serial)s."), serial=serial)
    if len(certs) > 1:
        raise InvalidInput("pki.serial.ambiguous", _("Several CAs issued serial %(serial)s; name the CA."), serial=serial)
    return certs[0]


def holder_of(cert: IssuedCertificate):
    """The account whose key the certificate certifies: the one whose staff record has its e-mail (as the signing
    service decides whose certificate it is), or None."""
    if not cert.email:
        return None
    return User.objects.filter(person__email__iexact=cert.email).first()


def _bump(cert: IssuedCertificate) -> None:
    """Publish a status change: a new CA version stamped on the certificate (OCSP nodes poll it); CRL and
    pre-signed OCSP responses signed again once the change commits."""
    ca = cert.ca
    CertificateAuthority.objects.filter(pk=ca.pk).update(revocation_version=F("revocation_version") + 1)
    version = CertificateAuthority.objects.filter(pk=ca.pk).values_list("revocation_version", flat=True).get()
    IssuedCertificate.objects.filter(pk=cert.pk).update(status_version=version)
    cert.status_version = version
    transaction.on_commit(lambda: crl.publish_quietly(ca.name))
    transaction.on_commit(lambda: ocsp.publish_quietly(ca.pk, cert.serial_int))


def _change(step, serial, ca: CertificateAuthority | None, actor, change) -> IssuedCertificate:
    """Run `step` on the certificate: its row locked, `change(cert)` refuses it or sets its new status, then the
    certificate is saved and the change published."""
    def body(attempt):
        cert = find(serial, ca, lock=True)
        change(cert)
        cert.save()
        _bump(cert)
        return cert

    return steps.run(step, body, actor=actor, unit=_agency(actor))


def revoke(serial, reason: str = "unspecified", *, invalidity_date: dt.datetime | None = None,
           ca: CertificateAuthority | None = None, actor=None) -> IssuedCertificate:
    """`actor=None` is Kyso itself (a lifecycle revocation already checked, the operator's CLI)."""
    if reason not in REASONS:
        raise InvalidInput("pki.reason.unknown", _("Unknown revocation reason %(reason)s; use one of %(allowed)s."),
                           reason=reason, allowed=", ".join(REASONS))
    if reason == "certificateHold":
        return suspend(serial, ca=ca, actor=actor)
    now = timezone.now().replace(microsecond=0)
    if invalidity_date is not None and invalidity_date > now:
        raise InvalidInput("pki.invalidity_date.future", _("The invalidity date cannot be in the future."))

    def change(cert):
        if cert.status == CertStatus.REVOKED:
            raise InvalidState("pki.cert.already_revoked",
                               _("Certificate %(serial)s is already revoked (since %(at)s)."), serial=cert.serial,
                               at=timezone.localtime(cert.revoked_at).strftime("%d/%m/%Y %H:%M"))
        cert.status = CertStatus.REVOKED
        cert.revoked_at = now
        cert.revocation_reason = reason
        cert.invalidity_date = invalidity_date

    return _change(REVOKE, serial, ca, actor, change)


def suspend(serial, *, ca: CertificateAuthority | None = None, actor=None) -> IssuedCertificate:
    def change(cert):
        if cert.status != CertStatus.GOOD:
            raise InvalidState("pki.cert.not_good",
                               _("Only a valid certificate can be suspended (this one is %(status)s)."),
                               status=cert.get_status_display())
        cert.status = CertStatus.HOLD
        cert.revoked_at = timezone.now().replace(microsecond=0)
        cert.revocation_reason = "certificateHold"

    return _change(SUSPEND, serial, ca, actor, change)


def release(serial, *, ca: CertificateAuthority | None = None, actor=None) -> IssuedCertificate:
    def change(cert):
        if cert.status != CertStatus.HOLD:
            raise InvalidState("pki.cert.not_on_hold", _("Only a suspended certificate can be released."))
        holder = holder_of(cert)
        if actor is not None and holder is not None and holder.pk == actor.pk:
            # someone suspended it for a reason: its holder does not lift that himself (issue 16, four eyes)
            raise Forbidden("pki.cert.own_release", _("You may not release your own suspended certificate: another "
                                                      "IT Center officer does."))
        cert.status = CertStatus.GOOD
        cert.revoked_at = None
        cert.revocation_reason = ""

    return _change(RELEASE, serial, ca, actor, change)
