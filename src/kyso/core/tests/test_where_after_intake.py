"""After every action the page says where the record went and who holds it now (issue 17, point 1) — also
after the actions that create a record or move a device: a dossier received at the one-stop desk, a key device
recovered or registered (they said only "Đã nhận hồ sơ …" / "Đã thực hiện.")."""

import pytest

from kyso.core.context import acting_as
from kyso.lifecycle import services
from kyso.portal.tests import helpers as h

pytestmark = pytest.mark.django_db


def _messages(page: str) -> str:
    return page.split('<ul class="messages">', 1)[1].split("</ul>", 1)[0] if '<ul class="messages">' in page else ""


def test_a_dossier_received_at_the_desk_says_who_assigns_it(demo, pki):
    desk = demo.client("motcua.bd")
    r = desk.post("/portal/desk/", {"op": "receive", "unit": "HN.BD", "procedure": "TE6", "submitter_kind": "commune",
                                    "name": "UBND phường Kim Mã", "payload": h.d03().decode()}, follow=True)
    shown = _messages(r.content.decode())
    assert "Hiện tại:" in shown and "đang chờ" in shown and "(BHXH quận Ba Đình)" in shown, shown


def test_a_recovered_device_says_it_waits_for_its_units_seal(demo):
    admin, badinh = demo.user("admin"), demo.user("badinh")
    with acting_as(admin, channel="cli"):
        device = services.register_device(admin, serial="TK-8101", unit=demo.unit("HN.BD"))
    with acting_as(badinh, channel="cli"):
        services.change_device(badinh, device, "issued", holder=services.subscriber_for(
            "person", demo.user("thuebao").person, demo.unit("HN.BD")))
    r = demo.client("badinh").post("/lifecycle/devices/", {"device": device.pk, "state": "recovered", "note": "Thu về"},
                                   follow=True)
    shown = _messages(r.content.decode())
    assert "Hiện tại:" in shown and "(BHXH quận Ba Đình)" in shown, shown
