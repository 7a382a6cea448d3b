"""Art. 6: reasons c and e are immediate — the phone notice is recorded, the device is recovered at once
and the CA request is due the same day —; a subscriber's Form 05 (b) waits for his unit's
confirmation; an external CA's revocation waits for its confirmation; a lost device needs a written
explanation confirmed by the unit; nothing is revoked twice."""

import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader
from django.db import transaction

from kyso import audit
from kyso.core.context import acting_as
from kyso.lifecycle import services
from kyso.files.storage import read
from kyso.lifecycle.models import DeviceEvent, KeyDevice, Record

from .factories import certificate_for

URL = "/api/v1/lifecycle/revocations/"
VN = dt.timezone(dt.timedelta(hours=7))


def _with_device(demo, person=None, serial="TK-9001"):
    cert = certificate_for("person", person=person or demo.person("HN.BD", "Giám đốc"))
    admin = demo.user("admin")
    with acting_as(admin), transaction.atomic(), audit.action("test.device"):
        dev = services.register_device(admin, serial=serial, unit=demo.unit("HN.BD"))
        services.change_device(admin, dev, "issued", holder=cert.subscriber)
        cert.device = dev
        cert.save()
    return cert


@pytest.mark.django_db
def test_reason_c_is_immediate_with_phone_notice_and_device_recovery(api, demo):
    cert = _with_device(demo)
    client = api("badinh")
    no_call = client.post(URL, {"certificate": cert.pk, "reason": "c", "detail": "Công văn của cơ quan điều tra"},
                          format="json")
    assert no_call.status_code == 400 and no_call.json()["error"]["code"] == "lifecycle.revocation.phone_notice"
    with time_machine.travel(dt.datetime(2026, 2, 13, 16, 0, tzinfo=VN), tick=False):   # Friday before Tết
        rev = client.post(URL, {"certificate": cert.pk, "reason": "c", "detail": "Công văn của cơ quan điều tra",
                                "phone_notice": "Gọi TT CNTT 16:00, ông Nam nhận"}, format="json").json()
    assert rev["state"] == "confirmed"
    assert [(s["name"], s["due_on"]) for s in rev["steps"]] == [("revoke_now", "2026-02-13")]
    dev = KeyDevice.objects.get(pk=cert.device_id)
    assert dev.state == "recovered" and dev.holder is None
    assert "điểm c, e" in DeviceEvent.objects.filter(device=dev).order_by("id").last().note
    record = Record.objects.get(form="03", subject_type="certificate", subject_id=cert.pk)
    assert "Thu hồi" in record.title
    text = " ".join(PdfReader(io.BytesIO(read(record.pdf))).pages[0].extract_text().split())
    assert "BIÊN BẢN GIAO NHẬN CHỨNG THƯ SỐ" in text and "TK-9001" in text and "Thu hồi ngay theo điểm c" in text


@pytest.mark.django_db
def test_subscriber_form05_needs_the_unit_and_lost_device_needs_explanation(api, demo):
    cert = _with_device(demo, demo.user("thuebao").person, "TK-9002")
    rev = api("thuebao").post(URL, {"certificate": cert.pk, "reason": "b", "detail": "Mất thiết bị"},
                              format="json").json()
    assert rev["state"] == "requested" and rev["steps"] == []
    assert api("cntt").post(f"{URL}{rev['id']}/send-to-ca/").status_code == 409       # not confirmed yet
    rev = api("badinh").post(f"{URL}{rev['id']}/confirm/").json()
    assert rev["state"] == "confirmed"
    # an imported certificate: the CA is asked, and its confirmation is recorded when it comes
    assert api("cntt").post(f"{URL}{rev['id']}/send-to-ca/").json()["state"] == "sent_to_ca"
    assert api("cntt").post(f"{URL}{rev['id']}/ca-confirmed/").json()["state"] == "revoked"
    api("cntt").post(f"{URL}{rev['id']}/notify-unit/")
    missing = api("badinh").post(f"{URL}{rev['id']}/return-device/", {"lost_or_damaged": "lost"}, format="json")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "lifecycle.device.explanation"
    done = api("badinh").post(f"{URL}{rev['id']}/return-device/",
                              {"lost_or_damaged": "lost", "explanation": "Mất trong lúc công tác, có xác nhận của đơn vị"},
                              format="json").json()
    assert done["state"] == "device_returned" and "Mất trong lúc" in done["device_lost_explanation"]
    assert KeyDevice.objects.get(pk=cert.device_id).state == "lost"
    again = api("badinh").post(URL, {"certificate": cert.pk, "reason": "d", "detail": "x"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "lifecycle.revocation.already_revoked"


@pytest.mark.django_db
def test_external_ca_revocation_waits_for_its_confirmation(api, demo, monkeypatch):
    monkeypatch.setenv("KYSO_CA_EXCHANGE", "external")
    cert = certificate_for("person", person=demo.person("HN.BD", "Phó Giám đốc"))
    rev = api("badinh").post(URL, {"certificate": cert.pk, "reason": "d", "detail": "Nghỉ hưu"}, format="json").json()
    assert api("cntt").post(f"{URL}{rev['id']}/send-to-ca/").json()["state"] == "sent_to_ca"
    cert.refresh_from_db()
    assert cert.status == "active"
    early = api("cntt").post(f"{URL}{rev['id']}/notify-unit/")
    assert early.status_code == 409 and early.json()["error"]["code"] == "lifecycle.revocation.out_of_order"
    assert api("cntt").post(f"{URL}{rev['id']}/ca-confirmed/").json()["state"] == "revoked"
    cert.refresh_from_db()
    assert cert.status == "revoked" and cert.revocation_reason == "d"


@pytest.mark.django_db
def test_unknown_reason(api, demo):
    cert = certificate_for("person", person=demo.person("HN.BD", "Phó Giám đốc"))
    bad = api("badinh").post(URL, {"certificate": cert.pk, "reason": "z"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "lifecycle.revocation.reason"
