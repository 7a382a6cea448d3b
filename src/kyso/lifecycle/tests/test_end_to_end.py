"""Decision 508 end to end through the API, on a calendar with Tết 2026 (holidays 14–22/02/2026),
Hùng Kings' day (observed Monday 27/04/2026) and 30/04–01/05: a person certificate and an organisation
certificate from Form 01 to activation, then one through revocation and device recovery. Every due
date is asserted."""

import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from kyso.lifecycle.models import DeviceEvent, KeyDevice, Record

VN = dt.timezone(dt.timedelta(hours=7))


def at(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day + "T09:30:00").replace(tzinfo=VN), tick=False)


def ok(resp, status=200):
    assert resp.status_code == status, resp.content.decode()[:600]
    return resp.json()


def due(req_json, name):
    return [s["due_on"] for s in req_json["steps"] if s["name"] == name]


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db(transaction=False)
def test_issuance_and_revocation_with_tet_deadlines(api, demo):
    subscriber, badinh, hanoi, cntt, leader = (api("thuebao"), api("badinh"), api("hanoi"), api("cntt"),
                                              api("lanhdao"))
    person = demo.user("thuebao").person
    district = demo.unit("HN.BD")
    assert district.has_own_seal

    with at("2026-02-05"):
        p = ok(subscriber.post("/api/v1/lifecycle/requests/", {"kind": "person", "person": person.pk,
                                                                "validity_years": 5}, format="json"), 201)
        o = ok(badinh.post("/api/v1/lifecycle/requests/", {"kind": "organization", "unit": "HN.BD"}, format="json"), 201)
        assert p["state"] == "submitted" and p["full_name"] == person.full_name and p["managing_unit"] == "HN.BD"
        # out of order: a request cannot be listed before it is confirmed
        assert badinh.post("/api/v1/lifecycle/lists/", {"unit": "HN.BD"}, format="json").status_code == 409
        for r in (p, o):
            assert ok(badinh.post(f"/api/v1/lifecycle/requests/{r['id']}/confirm/"))["state"] == "confirmed"
        district_list = ok(badinh.post("/api/v1/lifecycle/lists/", {"unit": "HN.BD"}, format="json"), 201)
        assert sorted(district_list["requests"]) == sorted([p["id"], o["id"]])
        sent = ok(badinh.post(f"/api/v1/lifecycle/lists/{district_list['id']}/send/"))
        assert sent["sent_to"] == "HN", "a district sends its list to its province"

    with at("2026-02-06"):
        province_list = ok(hanoi.post("/api/v1/lifecycle/lists/", {"unit": "HN"}, format="json"), 201)
        assert sorted(province_list["requests"]) == sorted([p["id"], o["id"]])
        assert ok(hanoi.post(f"/api/v1/lifecycle/lists/{province_list['id']}/send/"))["sent_to"] == "VSS.CNTT"

    with at("2026-02-12"):
        ok(cntt.post(f"/api/v1/lifecycle/lists/{province_list['id']}/receive/"))
        p = ok(cntt.get(f"/api/v1/lifecycle/requests/{p['id']}/"))
        # 3 working days from Thu 12/02: Fri 13/02, (Tết 14–22/02), Mon 23/02, Tue 24/02
        assert due(p, "it_review") == ["2026-02-24"]

    with at("2026-02-13"):
        p = ok(cntt.post(f"/api/v1/lifecycle/requests/{p['id']}/review/",
                         {"valid": False, "guidance": "Bổ sung địa chỉ thường trú"}, format="json"))
        assert p["state"] == "returned"
        assert due(p, "return_guidance") == ["2026-02-24"]   # 2 working days from Fri 13/02, across Tết

    with at("2026-02-23"):
        p = ok(badinh.post(f"/api/v1/lifecycle/requests/{p['id']}/edit/",
                           {"residence": "Số 5 Liễu Giai, Ba Đình, Hà Nội"}, format="json"))
        assert p["state"] == "submitted" and p["version"] == 2
        p = ok(badinh.post(f"/api/v1/lifecycle/requests/{p['id']}/resubmit/"))
        assert p["state"] == "received"
        assert due(p, "it_review")[-1] == "2026-02-26"

    with at("2026-02-24"):
        for r in (p, o):
            assert ok(cntt.post(f"/api/v1/lifecycle/requests/{r['id']}/review/", {"valid": True},
                                format="json"))["state"] == "valid"
        approval = ok(cntt.post("/api/v1/lifecycle/lists/", {"approval": True}, format="json"), 201)
        assert cntt.post(f"/api/v1/lifecycle/lists/{approval['id']}/approve/").status_code == 403
        assert ok(leader.post(f"/api/v1/lifecycle/lists/{approval['id']}/approve/"))["state"] == "approved"
        form02 = cntt.get(f"/api/v1/lifecycle/lists/{approval['id']}/form02.pdf/")
        text = pdf_text(form02.content)
        assert "DANH SÁCH ĐỀ NGHỊ CẤP CHỨNG THƯ SỐ" in text and person.full_name in text
        assert "Độc lập - Tự do - Hạnh phúc" in text and "Mẫu số 02" in text
        xlsx = cntt.get(f"/api/v1/lifecycle/lists/{approval['id']}/form02.xlsx/")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    with at("2026-02-25"):
        sent = ok(cntt.post(f"/api/v1/lifecycle/lists/{approval['id']}/send-to-ca/"))
        assert len(sent["devices"]) == 2 and all(d["pin"] for d in sent["devices"])
        p = ok(cntt.get(f"/api/v1/lifecycle/requests/{p['id']}/"))
        assert p["state"] == "issued" and due(p, "handover_unit") == ["2026-02-27"]

    with at("2026-02-26"):
        for r in (p, o):
            r2 = ok(cntt.post(f"/api/v1/lifecycle/requests/{r['id']}/handover-unit/"))
            assert due(r2, "handover_subscriber") == ["2026-03-02"]   # Fri 27/02, Mon 02/03

    with at("2026-02-27"):
        for r in (p, o):
            r2 = ok(badinh.post(f"/api/v1/lifecycle/requests/{r['id']}/handover-subscriber/"))
            assert due(r2, "activation_notice") == ["2026-03-02"]

    with at("2026-03-02"):
        for r in (p, o):
            assert ok(cntt.post(f"/api/v1/lifecycle/requests/{r['id']}/activate/"))["state"] == "activated"
        certs = ok(subscriber.get("/api/v1/lifecycle/certificates/"))["results"]
        mine = [c for c in certs if c["subscriber"] == person.full_name]
        assert len(mine) == 1 and mine[0]["status"] == "active" and mine[0]["device"]
        form01 = subscriber.get(f"/api/v1/lifecycle/requests/{p['id']}/form01.pdf/")
        text = pdf_text(form01.content)
        assert "GIẤY ĐỀ NGHỊ CẤP CHỨNG THƯ SỐ" in text and person.full_name.upper() in text
        assert person.email in text and "Mẫu số 01" in text
        assert Record.objects.filter(form="04", subject_id=p["id"]).exists()
        assert Record.objects.filter(form="03", subject_id=p["id"]).count() == 2
        # the unit was told of the handover, the subscriber of the activation (e-mail and SMS)
        from kyso.notify.models import Notification

        assert Notification.objects.filter(topic="lifecycle.arrival", body__contains="Mẫu 03").exists()
        assert set(Notification.objects.filter(topic="lifecycle.activated", recipient__in=[person.email,
                                                                                       person.phone_mobile])
                   .values_list("channel", flat=True)) == {"email", "sms"}

    # Revocation (b: the subscriber's Form 05) across 30/04–01/05 and the weekend.
    cert_id = mine[0]["id"]
    with at("2026-04-29"):
        rev = ok(subscriber.post("/api/v1/lifecycle/revocations/", {"certificate": cert_id, "reason": "b",
                                                                    "detail": "Nghi lộ khóa bí mật"}, format="json"), 201)
        assert rev["state"] == "requested"
        rev = ok(badinh.post(f"/api/v1/lifecycle/revocations/{rev['id']}/confirm/"))
        assert [s["due_on"] for s in rev["steps"] if s["name"] == "revoke_1wd"] == ["2026-05-04"]

    with at("2026-05-04"):
        rev = ok(cntt.post(f"/api/v1/lifecycle/revocations/{rev['id']}/send-to-ca/"))
        assert rev["state"] == "revoked"
        assert [s["due_on"] for s in rev["steps"] if s["name"] == "revocation_notice"] == ["2026-05-05"]
        from kyso.lifecycle.models import Certificate
        from kyso.pki import crl
        from cryptography import x509

        lc = Certificate.objects.get(pk=cert_id)
        listed = x509.load_der_x509_crl(crl.current("issuing", force=True))
        assert listed.get_revoked_certificate_by_serial_number(int(lc.serial, 16)) is not None
        # revoking a revoked certificate
        again = subscriber.post("/api/v1/lifecycle/revocations/", {"certificate": cert_id, "reason": "b"}, format="json")
        assert again.status_code == 409

    with at("2026-05-05"):
        ok(cntt.post(f"/api/v1/lifecycle/revocations/{rev['id']}/notify-unit/"))
        rev = ok(badinh.post(f"/api/v1/lifecycle/revocations/{rev['id']}/return-device/", {}, format="json"))
        assert rev["state"] == "device_returned"
        device = KeyDevice.objects.get(certificates__pk=cert_id)
        assert device.state == "returned"
        assert [e.to_state for e in DeviceEvent.objects.filter(device=device)] == \
            ["issued", "recovered", "sealed", "returned"]
        assert Record.objects.filter(form="03", title__contains="Thu hồi").exists()
        assert Record.objects.filter(form="05").exists()
