"""Business rules that refuse bad input, one by one: the seal rule, one request at a time, a held
certificate, out-of-order steps, four eyes, the device state table, reasons c/e immediately."""

import datetime as dt

import pytest
from django.db import transaction

from kyso.core.context import acting_as
from kyso.core.errors import Conflict, Forbidden, InvalidInput, InvalidState
from kyso.lifecycle import services
from kyso.lifecycle.models import DeviceState, KeyDevice
from kyso.lifecycle.transitions import DEVICE, move


@pytest.fixture
def act():
    def _act(user):
        class _Ctx:
            def __enter__(self):
                self.a = acting_as(user, channel="cli")
                self.a.__enter__()
                self.t = transaction.atomic()
                self.t.__enter__()

            def __exit__(self, *exc):
                self.t.__exit__(*exc)
                self.a.__exit__(*exc)
        return _Ctx()
    return _act


def test_organisation_certificate_only_for_a_unit_with_its_own_seal(api, demo):
    no_seal = next(u for u in ["HN.BD.THU", "HN.THU", "HN.BD.MC"] if _exists(u) and not demo.unit(u).has_own_seal)
    resp = api("hanoi").post("/api/v1/lifecycle/requests/", {"kind": "organization", "unit": no_seal}, format="json")
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "lifecycle.request.no_seal"


def _exists(code):
    from kyso.org.models import Unit

    return Unit.objects.filter(code=code).exists()


def test_one_request_at_a_time_and_validity_at_most_five_years(api, demo):
    person = demo.user("thuebao").person
    client = api("badinh")
    bad = client.post("/api/v1/lifecycle/requests/", {"kind": "person", "person": person.pk, "validity_years": 6},
                      format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "lifecycle.request.validity"
    assert client.post("/api/v1/lifecycle/requests/", {"kind": "person", "person": person.pk},
                       format="json").status_code == 201
    dup = client.post("/api/v1/lifecycle/requests/", {"kind": "person", "person": person.pk}, format="json")
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "lifecycle.request.duplicate"


def test_seal_holder_must_attach_copies(demo, act):
    person = demo.user("giamdoc.hn").person
    with pytest.raises(InvalidInput) as exc, act(demo.user("hanoi")):
        services.file_request(demo.user("hanoi"), kind="person", person=person, data={"is_seal_holder": True})
    assert exc.value.code == "lifecycle.request.attachments"


def test_out_of_order_and_hold(demo, act):
    user = demo.user("badinh")
    person = demo.user("thuebao").person
    with act(user):
        req = services.file_request(user, kind="person", person=person)
    with pytest.raises(InvalidState) as exc, act(demo.user("cntt")):
        services.review(demo.user("cntt"), req, valid=True)
    assert exc.value.code == "lifecycle.request.out_of_order"
    with act(user):
        services.hold(user, req, "Đang xác minh chức danh")
    colleague = demo.user("hanoi")          # held by badinh: his colleagues keep off (the holder may act)
    with pytest.raises(InvalidState) as exc, act(colleague):
        services.confirm_request(colleague, req)
    assert exc.value.code == "lifecycle.request.on_hold"


def test_an_edit_cancels_the_confirmation(demo, act):
    user = demo.user("badinh")
    with act(user):
        req = services.file_request(user, kind="person", person=demo.user("thuebao").person)
        services.confirm_request(user, req)
        services.edit_request(user, req, {"title": "Chuyên viên chính"})
    req.refresh_from_db()
    assert req.state == "submitted" and req.confirmed_by is None and req.version == 2


def test_out_of_scope_unit_officer_cannot_confirm(demo, act):
    badinh = demo.user("badinh")
    hcm_person = demo.person("HCM.Q1", "Chuyên viên") or \
        __import__("kyso.org.models", fromlist=["Person"]).Person.objects.filter(unit__path__startswith=demo.unit("HCM").path).first()
    hcm = demo.user("hcm")
    with act(hcm):
        req = services.file_request(hcm, kind="person", person=hcm_person)
    with pytest.raises(Forbidden), act(badinh):
        services.confirm_request(badinh, req)


def test_device_state_table_walks(demo, act):
    """Every allowed transition works; every other one is refused."""
    user = demo.user("cntt")
    unit = demo.unit("VSS.CNTT")
    states = list(DeviceState.values)
    for src in states:
        for dst in states:
            dev = KeyDevice(serial=f"T-{src}-{dst}", unit=unit, state=src)
            if dst in DEVICE[src]:
                move("device", dev, dst)
                assert dev.state == dst
            else:
                with pytest.raises(InvalidState):
                    move("device", dev, dst)
    with act(user):
        dev = services.register_device(user, serial="vt-001", unit=unit)
        with pytest.raises(Conflict):
            services.register_device(user, serial="VT-001", unit=unit)
        with pytest.raises(InvalidInput):
            services.change_device(user, dev, DeviceState.LOST)          # needs an explanation
        services.change_device(user, dev, DeviceState.DAMAGED, note="Rơi vỡ, có xác nhận của đơn vị")
    assert dev.events.count() == 1


def test_reasons_c_and_e_need_the_phone_notice(demo, act):
    from kyso.lifecycle.models import Certificate, Subscriber

    user = demo.user("badinh")
    person = demo.user("thuebao").person
    with act(user):
        sub = Subscriber.objects.create(kind="person", person=person, unit=person.unit,
                                        managing_unit=services.managing_unit(person.unit))
        now = dt.datetime.now(dt.timezone.utc)
        cert = Certificate.objects.create(serial="abc1", issuer="CN=External", subject="CN=x", not_before=now,
                                          not_after=now + dt.timedelta(days=300), kind="person", subscriber=sub,
                                          status="active", source="imported", der=b"")
    with pytest.raises(InvalidInput) as exc, act(user):
        services.request_revocation(user, cert, reason="c")
    assert exc.value.code == "lifecycle.revocation.phone_notice"
    with act(user):
        rev = services.request_revocation(user, cert, reason="c", phone_notice="Gọi TT CNTT 09:10, ông Hùng nghe")
    steps = {s.name: s for s in __import__("kyso.lifecycle.deadlines", fromlist=["x"]).steps_of("revocation", rev.pk)}
    assert steps["revoke_now"].due_on == steps["revoke_now"].started_on   # immediately
