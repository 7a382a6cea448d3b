"""Key devices (issue 17, point 7): the PIN of a device our CA has just issued is shown once, to the officer who
sent the list and receives the devices, on a printable handover page (Form 03 and one sealed-envelope slip per
device) — never in a flash message, never stored, never again; the device page offers a device's real next
states only (never "In stock" for a device that cannot go back to stock)."""

import re

import pytest
from django.contrib.messages import get_messages

from kyso.audit.models import AuditRecord
from kyso.lifecycle.flows import DEVICE
from kyso.lifecycle.models import DeviceState, IssuanceRequest, KeyDevice, RequestList

pytestmark = pytest.mark.django_db


def _approved_list(demo):
    badinh, hanoi, cntt, leader = (demo.client(u) for u in ("badinh", "hanoi", "cntt", "lanhdao"))
    person = demo.user("thuebao").person
    badinh.post("/lifecycle/requests/new/", {"kind": "person", "person": person.pk, "validity_years": 5})
    req = IssuanceRequest.objects.get(full_name=person.full_name)
    badinh.post(f"/lifecycle/requests/{req.pk}/confirm/")
    badinh.post("/lifecycle/lists/", {"op": "compile", "unit": demo.unit("HN.BD").pk})
    badinh.post("/lifecycle/lists/", {"op": "send", "list": RequestList.objects.get(unit__code="HN.BD").pk})
    hanoi.post("/lifecycle/lists/", {"op": "compile", "unit": demo.unit("HN").pk})
    province = RequestList.objects.get(unit__code="HN")
    hanoi.post("/lifecycle/lists/", {"op": "send", "list": province.pk})
    cntt.post("/lifecycle/lists/", {"op": "receive", "list": province.pk})
    cntt.post(f"/lifecycle/requests/{req.pk}/valid/")
    cntt.post("/lifecycle/lists/", {"op": "compile_approval"})
    approval = RequestList.objects.get(is_approval_list=True)
    leader.post("/lifecycle/lists/", {"op": "approve", "list": approval.pk})
    return req, approval, cntt, badinh


def test_the_pin_is_shown_once_on_the_printable_handover_page(demo):
    req, approval, cntt, badinh = _approved_list(demo)
    resp = cntt.post("/lifecycle/lists/", {"op": "send_to_ca", "list": approval.pk})
    page = resp.content.decode()
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    device = req.certificates.get().device
    pin = re.search(r'<strong class="pin kv" data-device="[^"]+">(\d{8})</strong>', page).group(1)
    assert device.serial in page and req.full_name in page
    assert "BIÊN BẢN GIAO NHẬN CHỨNG THƯ SỐ" in page and "Mẫu số 03" in page and "data-print" in page
    assert "Cấp mới" in page and "PIN" in page
    assert not any(pin in str(m) for m in get_messages(resp.wsgi_request))            # not in a flash message
    again = cntt.get("/lifecycle/lists/", follow=True).content.decode()
    assert pin not in again                                                            # never shown again
    for url in (f"/lifecycle/requests/{req.pk}/", "/lifecycle/devices/", f"/lifecycle/forms/03/{req.pk}.pdf"):
        assert pin.encode() not in badinh.get(url).content and pin.encode() not in cntt.get(url).content, url
    assert not any(pin in str(r.__dict__) for r in AuditRecord.objects.all())            # not kept in the audit
    assert not any(pin in str(d.__dict__) for d in KeyDevice.objects.all())


def test_the_device_page_offers_only_real_next_states(demo):
    req, approval, cntt, _ = _approved_list(demo)
    cntt.post("/lifecycle/lists/", {"op": "send_to_ca", "list": approval.pk})
    device = req.certificates.get().device
    for state in (DeviceState.IN_STOCK, DeviceState.ISSUED, DeviceState.RECOVERED, DeviceState.SEALED,
                  DeviceState.RETURNED):
        KeyDevice.objects.filter(pk=device.pk).update(state=state)
        device.refresh_from_db()
        page = cntt.get(f"/lifecycle/devices/?q={device.serial}").content.decode()
        row = re.search(rf"<tr><td class=\"kv\">{device.serial}</td>.*?</tr>", page, re.S).group(0)
        offered = re.findall(r'<option value="([a-z_]+)"', row)
        assert offered == [t.target for t in DEVICE.allowed(device, demo.user("cntt"))], state
        assert DeviceState.IN_STOCK not in offered and state not in offered
    assert not re.search(r'<select name="state"', demo.client("thuebao").get("/lifecycle/devices/").content.decode())
