"""Letter 26: expiry reminders to the subscriber and his unit (e-mail + SMS), and the daily digest of
overdue work in every officer's queues. Run by `kyso lifecycle remind` and the daily periodic task; each
reminder threshold is sent once per certificate, so running twice a day repeats nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kyso import audit
from kyso.accounts.models import RoleAssignment, User
from kyso.accounts.roles import permissions_of
from kyso.notify.services import notify, notify_person
from kyso.workdays.calendar import today

from .models import CertStatus, Certificate
from .permissions import LC_CONFIRM, LC_REVIEW
from .queries import waiting_rows

THRESHOLDS = (90, 60, 30, 7)


def _moment(on: dt.date | None) -> dt.datetime:
    on = on or today()
    return timezone.make_aware(dt.datetime.combine(on, dt.time(8)))


def mark_expired(on: dt.date | None = None) -> int:
    """Certificates past their end become `expired` (Art. 6.1.a)."""
    n = 0
    with audit.action("lifecycle.certificate.expire"):
        for cert in Certificate.objects.filter(status__in=[CertStatus.ISSUED, CertStatus.ACTIVE],
                                               not_after__lte=_moment(on)):
            cert.status = CertStatus.EXPIRED
            cert.save(update_fields=["status"])
            n += 1
    return n


def remind_expiring(on: dt.date | None = None, within: int = THRESHOLDS[0]) -> int:
    """Remind at 90, 60, 30 and 7 days before the end (only certificates ending `within` days);
    returns the number of certificates reminded."""
    now = _moment(on)
    sent = 0
    live = Certificate.objects.filter(status__in=[CertStatus.ISSUED, CertStatus.ACTIVE], not_after__gt=now,
                                      not_after__lte=now + dt.timedelta(days=min(within, THRESHOLDS[0])))
    for cert in live.select_related("subscriber__person", "subscriber__managing_unit", "subscriber__unit"):
        days = (cert.not_after - now).days
        threshold = min(t for t in THRESHOLDS if days < t) if days < THRESHOLDS[0] else THRESHOLDS[0]
        if cert.reminded_days is not None and cert.reminded_days <= threshold:
            continue
        sub = cert.subscriber
        end = timezone.localtime(cert.not_after)
        body = (f"Chứng thư số {cert.serial} của {sub.name} hết hạn ngày {end:%d/%m/%Y} (còn {days} ngày). "
                f"Đề nghị lập hồ sơ gia hạn (Mẫu số 01, điền sẵn từ chứng thư số cũ) kịp thời.")
        subject = "Chứng thư số sắp hết hạn"
        if sub.person_id:
            notify_person(sub.person, body, subject=subject, topic="lifecycle.expiry", obj=cert, sms=True)
        if sub.managing_unit.email_domain:
            notify("email", f"vanthu@{sub.managing_unit.email_domain}", body, subject=subject, topic="lifecycle.expiry",
                   obj=cert)
        with audit.action("lifecycle.certificate.remind"):
            cert.reminded_days = threshold
            cert.save(update_fields=["reminded_days"])
        sent += 1
    return sent


def officers():
    """Users holding a role that confirms or reviews somewhere."""
    roles = {r for r in RoleAssignment.objects.filter(is_active=True).values_list("role", flat=True).distinct()
             if {LC_CONFIRM, LC_REVIEW} & permissions_of(r)}
    return User.objects.filter(is_active=True, role_assignments__role__in=roles,
                               role_assignments__is_active=True).distinct()


def digest(on: dt.date | None = None) -> int:
    """One e-mail per officer listing what is overdue in his queues; returns the number of e-mails."""
    on = on or today()
    sent = 0
    for user in officers():
        late = [row for row in waiting_rows(user, on=on) if row["overdue"]][:100]
        if not late or not user.email:
            continue
        lines = [f"- {row['title']}: {row['record']} — hạn {row['due']:%d/%m/%Y}" for row in late]
        notify("email", user.email, "Các việc quá hạn trong quản lý chứng thư số:\n" + "\n".join(lines),
               subject=f"Kyso — {len(late)} việc quá hạn ngày {on:%d/%m/%Y}", topic="lifecycle.digest")
        sent += 1
    return sent
