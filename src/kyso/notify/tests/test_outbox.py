"""Notifications go through an outbox: written in the step's transaction, delivered only after it commits and
never inside the request — by the worker's outbox poll when no broker is set (issue 16 finding 10) — a failed
delivery recorded and retried, so a refused step never tells anyone anything (issue 18)."""

import pytest
from django.core import mail
from django.db import transaction

from kyso.jobs.worker import Worker, drain
from kyso.notify import services, sms
from kyso.notify.models import Channel, Notification, Status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clean():
    sms.outbox.clear()
    mail.outbox.clear()


def test_delivered_after_commit_by_the_worker_not_by_the_request(as_user, settings):
    settings.CELERY_BROKER_URL = ""
    with as_user(None), transaction.atomic():
        n = services.notify(Channel.SMS, "+84912345678", "Kyso: hồ sơ đã được tiếp nhận.", topic="test")
        assert sms.outbox == []                  # nothing leaves before the commit
    assert sms.outbox == []                      # nor in the request once it commits: it waits in the outbox
    n.refresh_from_db()
    assert n.status == Status.PENDING and n.attempts == 0
    assert Worker(name="w", periodic=False).outbox()   # the worker's poll sends it
    assert sms.outbox == [{"phone": "+84912345678", "text": "Kyso: hồ sơ đã được tiếp nhận."}]
    n.refresh_from_db()
    assert n.status == Status.SENT and n.attempts == 1 and n.claimed_until is None
    assert not Worker(name="w", periodic=False).outbox() and len(sms.outbox) == 1   # once


def test_a_message_another_worker_is_sending_is_not_sent_twice(as_user):
    with as_user(None), transaction.atomic():
        n = services.notify(Channel.EMAIL, "a@hanoi.vss.gov.vn", "nội dung", subject="Tiêu đề")
    assert services._claim(n.pk)                 # worker A holds the lease while it talks to the mail server
    assert services.deliver_pending() == 0 and services.deliver(n.pk) is False and mail.outbox == []
    Notification.objects.filter(pk=n.pk).update(claimed_until=None)   # A died: its lease ran out
    assert drain() == 0 and len(mail.outbox) == 1


def test_nothing_is_sent_when_the_step_rolls_back(as_user):
    with pytest.raises(RuntimeError), as_user(None), transaction.atomic():
        services.notify(Channel.EMAIL, "a@hanoi.vss.gov.vn", "nội dung", subject="Tiêu đề")
        raise RuntimeError("the step failed")
    assert mail.outbox == [] and not Notification.objects.exists()


def test_a_failed_delivery_is_recorded_and_retried(as_user, settings):
    settings.KYSO_SMS_BACKEND = "kyso.notify.sms.HttpGatewaySmsBackend"
    settings.KYSO_SMS_GATEWAY_URL = ""           # the gateway is not configured: delivery fails
    with as_user(None), transaction.atomic():
        n = services.notify(Channel.SMS, "+84912345678", "thử lại")
    drain()
    n.refresh_from_db()
    assert n.status == Status.FAILED and n.attempts == 1 and "KYSO_SMS_GATEWAY_URL" in n.error
    settings.KYSO_SMS_BACKEND = "kyso.notify.sms.MemorySmsBackend"
    assert services.retry_failed() == 1
    n.refresh_from_db()
    assert n.status == Status.SENT and n.attempts == 2 and sms.outbox[-1]["text"] == "thử lại"


def test_an_empty_recipient_is_not_queued(as_user):
    with as_user(None), transaction.atomic():
        assert services.notify(Channel.EMAIL, "", "x") is None
    assert not Notification.objects.exists()
