"""Letter 26's follow-up of the certificates issued: expiry in sight (expired, within 30/60/90 days),
renewal in time (a Form 01 pre-filled from the old certificate), and the seal rule — organisation
certificates only for units with a seal of their own, and the Offices that still need one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kyso.accounts import scope
from kyso.org.models import Unit

from .models import CertStatus, Certificate, IssuanceRequest
from .permissions import LC_VIEW
from .queries import visible_certificates
from .requests import file_request


def renewal(user, cert: Certificate) -> IssuanceRequest:
    """A renewal request pre-filled from the old certificate (letter 26)."""
    sub = cert.subscriber
    return file_request(user, kind=sub.kind, person=sub.person, unit=sub.unit if sub.kind == "organization" else None,
                        data={"old_certificate_serial": cert.serial}, renewal_of=cert)


def moment(on: dt.date | None) -> dt.datetime:
    return timezone.now() if on is None else timezone.make_aware(dt.datetime.combine(on, dt.time(12)))


def expiry_buckets(user, on: dt.date | None = None) -> dict:
    now = moment(on)
    qs = visible_certificates(user).filter(status__in=[CertStatus.ISSUED, CertStatus.ACTIVE])
    days = dt.timedelta(days=1)
    return {
        "expired": qs.filter(not_after__lte=now).count()
        + visible_certificates(user).filter(status=CertStatus.EXPIRED).count(),
        "within_30": qs.filter(not_after__gt=now, not_after__lte=now + 30 * days).count(),
        "within_60": qs.filter(not_after__gt=now + 30 * days, not_after__lte=now + 60 * days).count(),
        "within_90": qs.filter(not_after__gt=now + 60 * days, not_after__lte=now + 90 * days).count(),
    }


def seal_campaign(user) -> dict:
    """Letter 26: organisation certificates of units without a seal (to revoke); units with a seal and no
    organisation certificate, such as Offices (to request)."""
    certs = visible_certificates(user).filter(kind="organization", status__in=[CertStatus.ISSUED, CertStatus.ACTIVE])
    to_revoke = [c for c in certs if not c.subscriber.unit.has_own_seal]
    holders = set(certs.values_list("subscriber__unit_id", flat=True))
    units = scope.filter_by_scope(Unit.objects.filter(has_own_seal=True, is_active=True), user, LC_VIEW, "path")
    to_request = [u for u in units if u.pk not in holders]
    return {"to_revoke": to_revoke, "to_request": to_request}
