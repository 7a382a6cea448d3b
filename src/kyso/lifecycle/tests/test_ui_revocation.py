"""Revocation by hand in the UI, and the seal campaign's buttons: the subscriber files Form 05 on his
certificate's page, the unit confirms, the IT Center sends it to the CA (ours: revoked at once, in the
CRL) and tells the unit, the unit returns the device (Form 03 "Thu hồi"); the campaign files the
Office's organisation request and revokes the leftovers of units without a seal."""

import pytest
from cryptography import x509

from kyso.jobs.worker import drain
from kyso.lifecycle.models import IssuanceRequest, KeyDevice, Record, RevocationRequest

from .factories import certificate_for, our_certificate_on_device


@pytest.mark.django_db
def test_revocation_and_device_recovery_by_hand(demo, pki):
    cert = our_certificate_on_device(demo, "TK-UI-1")
    thuebao, badinh, cntt = demo.client("thuebao"), demo.client("badinh"), demo.client("cntt")
    page = thuebao.get(f"/lifecycle/certificates/{cert.pk}/").content.decode()
    assert "Đề nghị thu hồi (Mẫu 05)" in page
    thuebao.post(f"/lifecycle/certificates/{cert.pk}/", {"op": "revoke", "reason": "b", "detail": "Nghi lộ khóa"})
    rev = RevocationRequest.objects.get(certificate=cert)
    assert rev.state == "requested"
    thuebao.post(f"/lifecycle/revocations/{rev.pk}/", {"op": "confirm"})          # not his to confirm
    rev.refresh_from_db()
    assert rev.state == "requested"
    for who, op, state in ((badinh, "confirm", "confirmed"), (cntt, "send_to_ca", "revoked"),
                           (cntt, "notify_unit", "unit_notified")):
        who.post(f"/lifecycle/revocations/{rev.pk}/", {"op": op})
        rev.refresh_from_db()
        assert rev.state == state, op
    crl = x509.load_der_x509_crl(cntt.get("/pki/crl/issuing.crl").content)
    assert crl.get_revoked_certificate_by_serial_number(int(cert.serial, 16)) is not None
    badinh.post(f"/lifecycle/revocations/{rev.pk}/", {"op": "return_device", "condition": ""})
    rev.refresh_from_db()
    assert rev.state == "device_returned" and KeyDevice.objects.get(pk=cert.device_id).state == "returned"
    assert Record.objects.filter(form="03", title__contains="Thu hồi").exists()
    assert badinh.get(f"/lifecycle/forms/05/{rev.pk}.docx").status_code == 200


@pytest.mark.django_db
def test_seal_campaign_buttons(demo, django_capture_on_commit_callbacks):
    leftover = certificate_for("organization", unit=demo.unit("HN.THU"))
    hanoi = demo.client("hanoi")
    page = hanoi.get("/lifecycle/campaign/").content.decode()
    assert "Phòng Quản lý thu" in page and "Văn phòng" in page
    hanoi.post("/lifecycle/requests/new/", {"kind": "organization", "unit": demo.unit("HN.VP").pk,
                                            "validity_years": 5})
    assert IssuanceRequest.objects.filter(kind="organization", unit__code="HN.VP").exists()
    with django_capture_on_commit_callbacks(execute=True):
        resp = hanoi.post("/lifecycle/certificates/", {"certificate": [leftover.pk], "reason": "d",
                                                       "detail": "Đơn vị không có con dấu riêng"})
    assert resp.status_code == 302
    drain()  # a revocation of several certificates is a background job (issue 16.10): the worker files it
    assert RevocationRequest.objects.get(certificate=leftover).state == "confirmed"
