"""Queue a notification in the current transaction; deliver it after commit."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Channel, Notification, Status
from .sms import backend as sms_backend


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
    from .tasks import deliver

    deliver.delay(pk)


def deliver(pk: int) -> bool:
    n = Notification.objects.filter(pk=pk).first()
    if n is None or n.status == Status.SENT:
        return True
    try:
        if n.channel == Channel.EMAIL:
            send_mail(n.subject, n.body, None, [n.recipient], fail_silently=False)
        else:
            sms_backend().send(n.recipient, n.body)
    except Exception as exc:  # noqa: BLE001 - recorded and retried
        Notification.objects.filter(pk=pk).update(status=Status.FAILED, attempts=n.attempts + 1, error=str(exc)[:500])
        return False
    Notification.objects.filter(pk=pk).update(status=Status.SENT, attempts=n.attempts + 1, sent_at=timezone.now(), error="")
    return True


def retry_failed(max_attempts: int = 5) -> int:
    count = 0
    for n in Notification.objects.filter(status__in=[Status.FAILED, Status.PENDING], attempts__lt=max_attempts)[:500]:
        count += deliver(n.pk)
    return count
