"""A step is all or nothing (issue 18): when the second half of a two-part step fails, nothing of the first
half is written — from the page, the API and the CLI alike. The review found "returning a device changed
its state without Form 03": here the Form 03 fails after the device was recovered, sealed and returned."""

import pytest
from django.db import transaction
from django.test import Client

from kyso import audit
from kyso.core.context import acting_as
from kyso.core.errors import InvalidState
from kyso.lifecycle import documents, services
from kyso.lifecycle.models import DeviceEvent, KeyDevice, Record, RevocationRequest

from .factories import certificate_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_return(demo):
    """A revoked certificate whose device the unit was told to recover."""
    cert = certificate_for("person", person=demo.person("HN.BD", "Giám đốc"))
    admin = demo.user("admin")
    with acting_as(admin), transaction.atomic(), audit.action("test.prepare"):
        dev = services.register_device(admin, serial="TK-HALF", unit=demo.unit("HN.BD"))
        services.change_device(admin, dev, "issued", holder=cert.subscriber)
        cert.device = dev
        cert.save()
        rev = RevocationRequest.objects.create(certificate=cert, reason="d", detail="Nghỉ hưu", state="unit_notified",
                                               requested_on="2026-03-02")
    return rev


@pytest.fixture
def form03_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise InvalidState("test.form03", "Không lập được biên bản")
    monkeypatch.setattr(documents, "form03_pdf", broken)


def _nothing_written(rev):
    rev.refresh_from_db()
    device = KeyDevice.objects.get(serial="TK-HALF")
    assert rev.state == "unit_notified"
    assert device.state == "issued" and device.holder_id and device.unit.code == "HN.BD"
    assert list(DeviceEvent.objects.filter(device=device).values_list("to_state", flat=True)) == ["issued"]
    assert not Record.objects.filter(form="03").exists()


def test_the_page_writes_nothing_when_form03_fails(demo, waiting_return, form03_fails):
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(demo.user("badinh"))
    page = client.post(f"/lifecycle/revocations/{waiting_return.pk}/", {"op": "return_device", "condition": ""},
                       follow=True)
    assert page.status_code == 200 and "Không lập được biên bản" in page.content.decode()
    _nothing_written(waiting_return)


def test_the_api_writes_nothing_when_form03_fails(api, waiting_return, form03_fails):
    resp = api("badinh").post(f"/api/v1/lifecycle/revocations/{waiting_return.pk}/return-device/", {}, format="json")
    assert resp.status_code == 409 and resp.json()["error"]["code"] == "test.form03"
    _nothing_written(waiting_return)


def test_a_call_in_a_longer_transaction_keeps_the_rest(demo, waiting_return, form03_fails):
    """The step's own savepoint: what the caller wrote before stays, the step's half goes."""
    badinh = demo.user("badinh")
    with acting_as(badinh, channel="cli"), transaction.atomic():
        services.register_device(badinh, serial="TK-BEFORE", unit=demo.unit("HN.BD"))
        with pytest.raises(InvalidState) as exc:
            services.return_device(badinh, waiting_return)
        assert exc.value.rolled_back
    assert KeyDevice.objects.filter(serial="TK-BEFORE").exists()
    _nothing_written(waiting_return)
