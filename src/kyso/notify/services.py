"""Queue a notification in the current transaction; deliver it after commit — never inside the request.

The `Notification` row is the outbox, written with the step that causes it (a refused step tells nobody anything).
Once the transaction commits: with a broker (`KYSO_CELERY_BROKER`) a Celery task sends it; without one, `kyso
worker` (started by `kyso serve`) sends what waits in the outbox every poll (`deliver_pending`) — the request
never waits for an SMTP server or an SMS gateway. A worker takes a message with a lease (`claimed_until`) so two
workers never send it twice; a failed one is tried again (`retry_failed`, a periodic job)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Channel, Notification, Status
from .sms import backend as sms_backend

LEASE = dt.timedelta(seconds=120)   # a worker killed while sending: another takes the message after this


def notify(channel: str, recipient: str, body: str, *, subject: str = "", topic: str = "", obj=None) -> Notification | None:
    if not recipient:
        return None
    n = Notification.objects.create(
        channel=channel, recipient=recipient[:254], subject=subject[:255], body=body, topic=topic[:80],
        object_type=f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )
    transaction.on_commit(lambda: _deliver_later(n.pk))
    return n


def notify_person(person, body: str, *, subject: str, topic: str = "", obj=None, sms: bool = False) -> list:
    sent = [notify(Channel.EMAIL, person.email, body, subject=subject, topic=topic, obj=obj)]
    if sms and person.phone_mobile:
        sent.append(notify(Channel.SMS, person.phone_mobile, f"{subject}: {body}"[:320], topic=topic, obj=obj))
    return [n for n in sent if n]


def _deliver_later(pk: int) -> None:
    """After commit: a Celery message when a broker is set; otherwise the worker's outbox poll sends it."""
    if settings.CELERY_BROKER_URL:
        deliver_task.delay(pk)


def _claim(pk: int) -> bool:
    now = timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return Notification.objects.filter(free, pk=pk).exclude(status=Status.SENT).update(claimed_until=now + LEASE) == 1


def deliver(pk: int) -> bool:
    n = Notification.objects.filter(pk=pk).first()
    if n is None or n.status == Status.SENT:
        return True
    if not _claim(pk):          # another worker is sending it right now
        return False
    try:
        if n.channel == Channel.EMAIL:
            send_mail(n.subject, n.body, None, [n.recipient], fail_silently=False)
        else:
            sms_backend().send(n.recipient, n.body)
    except Exception as exc:  # noqa: BLE001 - recorded and retried
        Notification.objects.filter(pk=pk).update(status=Status.FAILED, attempts=n.attempts + 1, error=str(exc)[:500],
                                                  claimed_until=None)
        return False
    Notification.objects.filter(pk=pk).update(status=Status.SENT, attempts=n.attempts + 1, sent_at=timezone.now(),
                                              error="", claimed_until=None)
    return True


@shared_task(name="kyso.notify.tasks.deliver", autoretry_for=(), ignore_result=True)
def deliver_task(pk: int):
    """`deliver` as a Celery task (with a broker); its name keeps the `tasks` module's."""
    return deliver(pk)


def deliver_pending(limit: int = 200) -> int:
    """The outbox without a broker: the worker sends the messages waiting since their commit (oldest first)."""
    now = timezone.now()
    waiting = (Notification.objects.filter(status=Status.PENDING)
               .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)).order_by("pk"))
    return sum(deliver(pk) for pk in waiting.values_list("pk", flat=True)[:limit])


def retry_failed(max_attempts: int = 5) -> int:
    count = 0
    for n in Notification.objects.filter(status__in=[Status.FAILED, Status.PENDING], attempts__lt=max_attempts)[:500]:
        count += deliver(n.pk)
    return count
