"""Issue 16, second factors: a notification's text never reaches the audit trail. It carries the holder's initial
signing PIN, his one-time signing codes and the codes confirming a contact change: the auditor read them in the
trail's snapshots (API and page) — a second factor in the hands of someone who is not its holder. The trail keeps
who was told (masked for a reader without the right to personal data), through what channel, about what."""

import re

import pytest

from kyso.audit.models import AuditRecord
from kyso.notify.models import Notification


def _pin() -> str:
    return re.search(r"\b(\d{6})\b", Notification.objects.filter(topic="mobile.initial_pin").latest("pk").body).group(1)


@pytest.mark.django_db
def test_the_auditor_never_reads_a_pin_or_a_code_in_the_trail(api, demo, pki, client):
    holder = demo.user("giamdoc.hn")
    r = api("cntt").post("/api/v1/mobile/credentials/", {"holder": "giamdoc.hn", "channel": "app"}, format="json")
    assert r.status_code == 201, r.json()
    pin = _pin()
    records = AuditRecord.objects.filter(object_type="notify.notification")
    assert records.exists()                                   # the notice itself is still in the trail
    assert not any(pin in (rec.after or "") + (rec.before or "") for rec in records)
    shown = api("kiemtoan").get("/api/v1/audit/records/?limit=200").content.decode()
    client.force_login(demo.user("kiemtoan"))
    for rec in records:
        shown += client.get(f"/audit/{rec.seq}/").content.decode()
    i = shown.find(pin)
    assert pin not in shown, shown[max(0, i - 200):i + 50]
    phone = holder.person.phone_mobile
    assert phone[-9:] not in shown and phone[-3:] in shown    # the recipient masked for the auditor


@pytest.mark.django_db
def test_the_admin_shows_no_notification_text_and_changes_no_otp_channel(api, demo, pki, client):
    r = api("cntt").post("/api/v1/mobile/credentials/", {"holder": "giamdoc.hn", "channel": "app"}, format="json")
    assert r.status_code == 201
    pin, n = _pin(), Notification.objects.filter(topic="mobile.initial_pin").latest("pk")
    client.force_login(demo.user("admin"))
    page = client.get(f"/admin/notify/notification/{n.pk}/change/")
    assert page.status_code == 200 and pin not in page.content.decode()
    person = demo.user("giamdoc.hn").person
    form = client.get(f"/admin/org/person/{person.pk}/change/").content.decode()
    assert 'name="phone_mobile"' not in form and 'name="email"' not in form


@pytest.mark.django_db
def test_a_notice_is_named_in_words_a_person_reads(api, demo, pki):
    """The name the trail shows for a notice carried its topic and channel codes ('sms: mobile.initial_pin')."""
    r = api("cntt").post("/api/v1/mobile/credentials/", {"holder": "giamdoc.hn", "channel": "app"}, format="json")
    assert r.status_code == 201
    n = Notification.objects.filter(topic="mobile.initial_pin").latest("pk")
    names = {rec.object_repr for rec in AuditRecord.objects.filter(object_type="notify.notification",
                                                                   object_id=str(n.pk))}
    assert names == {f"Tin nhắn SMS số {n.pk}"}, names
