"""Registering a leader's SIM PKI line: number, carrier, SIM serial, linked certificate, date in service from
10/02/2020; every error reported together; nothing half-written; numbers unique while in service; audited."""

import datetime as dt

import pytest

from kyso.core.errors import Forbidden, InvalidInput, InvalidState
from kyso.sims import services
from kyso.sims.models import SimSubscription, SubState

from .conftest import iccid

pytestmark = pytest.mark.django_db


def test_the_sim_of_an_enrolled_leader_links_its_certificate(demo, sim_leader, register):
    from kyso.lifecycle.models import Certificate
    from kyso.mobile.models import Credential

    person = sim_leader.person
    sub = register(person, "0912 000 346", carrier="VinaPhone", in_service_on="10/02/2020")
    cred = Credential.objects.get(holder=sim_leader, channel="sim")
    assert sub.msisdn == "+84912000346" and sub.msisdn_local == "0912000346"
    assert sub.carrier == "vinaphone" and sub.in_service_on == dt.date(2020, 2, 10)
    assert sub.certificate == Certificate.objects.get(issued=cred.certificate)
    assert sub.certificate.mobile_sim
    assert sub.plan.tier == 3 and sub.unit.code == "HN"
    assert (sub.data_fee_vnd, sub.line_fee_vnd, sub.connection_fee_vnd) == (120000, 50000, 35000)
    assert services.active_subscription(person) == sub
    ev = sub.events.get()
    assert (ev.kind, ev.state, ev.effective_on) == ("register", "active", dt.date(2020, 2, 10))


def test_the_registration_is_in_the_audit_trail(demo, register):
    from kyso.audit.models import AuditRecord

    sub = register(demo.person("NA", "Giám đốc"), "0911111111")
    rows = AuditRecord.objects.filter(action="sims.subscription.register")
    assert rows.filter(object_id=str(sub.pk), actor="cntt").exists()
    assert rows.filter(object_type__icontains="subscriptionevent").exists()


def test_every_error_is_reported_together_and_nothing_is_written(demo, it, as_user):
    person = demo.person("NA", "Chuyên viên")
    with as_user(it), pytest.raises(InvalidInput) as exc:
        services.register(it, person=person, msisdn="12345", carrier="Beeline", iccid="8984020000000000001",
                          in_service_on="09/02/2020", unit=demo.unit("HN"), data_fee="nhiều")
    fields = exc.value.as_dict()["field_codes"]
    assert fields == {"msisdn": "mobile.msisdn.invalid", "carrier": "sims.carrier.unknown",
                      "iccid": "sims.iccid.checksum", "in_service_on": "sims.date.before_start",
                      "unit": "sims.unit.not_above", "plan": "sims.plan.none"}
    assert not SimSubscription.objects.exists()


@pytest.mark.parametrize("value, code", [
    ("", "sims.iccid.invalid"), ("123", "sims.iccid.invalid"), ("7984020000000000001", "sims.iccid.invalid"),
    ("89840200000000000000000", "sims.iccid.invalid"), ("8984020000000000002", "sims.iccid.checksum"),
])
def test_the_sim_serial_is_checked(value, code):
    with pytest.raises(InvalidInput) as exc:
        services.normalize_iccid(value)
    assert exc.value.code == code


def test_dates_in_the_future_are_refused(demo, register):
    with pytest.raises(InvalidInput) as exc:
        register(demo.person("NA", "Giám đốc"), "0911111111", in_service_on=dt.date.today() + dt.timedelta(days=2))
    assert exc.value.as_dict()["field_codes"]["in_service_on"] == "sims.date.future"


def test_a_number_and_a_sim_are_unique_while_in_service(demo, register, it, as_user):
    a = register(demo.person("NA", "Giám đốc"), "0911111111", iccid=iccid(1))
    with pytest.raises(InvalidInput) as exc:
        register(demo.person("DN", "Giám đốc"), "+84911111111", iccid=iccid(2))
    assert exc.value.code == "sims.msisdn.taken"
    with pytest.raises(InvalidInput) as exc:
        register(demo.person("DN", "Giám đốc"), "0922222222", iccid=iccid(1))
    assert exc.value.code == "sims.iccid.taken"
    with as_user(it):
        services.end(it, a, effective_on=dt.date(2026, 3, 1), reason="Nghỉ hưu")
    b = register(demo.person("DN", "Giám đốc"), "0911111111", iccid=iccid(1))
    assert b.state == SubState.ACTIVE and SimSubscription.objects.count() == 2


def test_another_holders_sim_or_certificate_is_refused(demo, sim_leader, register):
    with pytest.raises(InvalidInput) as exc:
        register(demo.person("NA", "Giám đốc"), "0912000346")
    assert exc.value.code == "sims.msisdn.other_holder"
    from kyso.lifecycle.models import Certificate

    serial = Certificate.objects.get(subscriber__person=sim_leader.person).serial
    with pytest.raises(InvalidInput) as exc:
        register(demo.person("NA", "Giám đốc"), "0911111111", certificate=serial)
    assert exc.value.code == "sims.certificate.not_found"


def test_a_title_outside_the_appendix_takes_an_equivalent_plan_by_hand(demo, register):
    from kyso.sims.models import DataPlan

    person = demo.person("HN.BD", "Giám đốc")
    with pytest.raises(InvalidInput) as exc:
        register(person, "0933333333")
    assert exc.value.code == "sims.plan.none"
    sub = register(person, "0933333333", plan=DataPlan.objects.get(tier=4), unit=demo.unit("HN"))
    assert sub.plan.tier == 4 and sub.unit.code == "HN"


def test_the_paying_unit_defaults_to_the_holders_organisation(demo):
    assert services.paying_unit_for(demo.person("HN.THU", "Trưởng phòng")).code == "HN"
    assert services.paying_unit_for(demo.person("VSS.PC", "Chuyên viên")).code == "VSS"
    assert services.paying_unit_for(demo.person("HN.BD", "Giám đốc")).code == "HN.BD"


def test_only_the_it_center_registers(demo, as_user):
    for username in ("hanoi", "kiemtoan", "thuebao"):
        user = demo.user(username)
        with as_user(user), pytest.raises(Forbidden):
            services.register(user, person=demo.person("HN", "Giám đốc"), msisdn="0911111111", carrier="viettel",
                              iccid=iccid(1), in_service_on="2026-01-05")
    assert not SimSubscription.objects.exists()


def test_suspend_resume_end_follow_the_states_and_dates(demo, register, it, as_user):
    sub = register(demo.person("NA", "Giám đốc"), "0911111111", in_service_on=dt.date(2026, 1, 5))
    with as_user(it):
        with pytest.raises(InvalidInput) as exc:
            services.suspend(it, sub, effective_on="2026-02-01", reason="")
        assert exc.value.code == "sims.reason.missing"
        with pytest.raises(InvalidInput) as exc:
            services.suspend(it, sub, effective_on="2026-01-01", reason="Nghỉ phép dài ngày")
        assert exc.value.code == "sims.date.before_history"
        with pytest.raises(InvalidState):
            services.resume(it, sub, effective_on="2026-02-01")
        sub = services.suspend(it, sub, effective_on="2026-02-01", reason="Nghỉ phép dài ngày")
        assert sub.state == "suspended" and services.active_subscription(sub.person) is None
        sub = services.resume(it, sub, effective_on="2026-03-01")
        sub = services.end(it, sub, effective_on="2026-04-01", reason="Chuyển công tác")
        assert (sub.state, sub.ended_on) == ("ended", dt.date(2026, 4, 1))
        with pytest.raises(InvalidState):
            services.change_terms(it, sub, effective_on="2026-05-01", data_fee=1)
    assert [e.kind for e in sub.events.all()] == ["register", "suspend", "resume", "end"]


def test_a_unit_officer_cannot_change_lines(demo, register, as_user):
    sub = register(demo.person("HN", "Giám đốc"), "0911111111")
    hanoi = demo.user("hanoi")
    with as_user(hanoi), pytest.raises(Forbidden):
        services.suspend(hanoi, sub, effective_on="2026-02-01", reason="x")
    assert SimSubscription.objects.get(pk=sub.pk).state == "active"


def test_lines_whose_certificate_cannot_sign_need_attention(demo, sim_leader, register, as_user):
    from kyso.core import inbox
    from kyso.lifecycle.models import Certificate

    linked = register(sim_leader.person, "0912000346")
    bare = register(demo.person("NA", "Giám đốc"), "0911111111")
    it = demo.user("cntt")
    assert list(services.needing_attention(it)) == [bare]
    cert = Certificate.objects.get(pk=linked.certificate_id)
    cert.not_after = cert.not_after.replace(year=2026, month=12, day=1)   # expires within 30 days of today
    cert.save()
    assert set(services.needing_attention(it)) == {bare, linked}
    items = [i for i in inbox.items_for(it) if i.app == "sims"]
    assert items and items[0].count == 2 and items[0].url == "/tasks/sims.subscription/certificate/"
    assert not [i for i in inbox.items_for(demo.user("hanoi")) if i.app == "sims"]   # only those who keep it
    with as_user(it):
        services.end(it, bare, effective_on="2026-02-01", reason="Nghỉ hưu")
    assert list(services.needing_attention(it)) == [linked]


def test_a_suspended_or_ended_line_is_not_asked_to_sign(demo, sim_leader, register, as_user):
    import hashlib

    from kyso.core.errors import Forbidden as Refused
    from kyso.mobile import services as mobile

    sub = register(sim_leader.person, "0912000346")
    it = demo.user("cntt")
    digest = [hashlib.sha256(b"van ban").digest()]
    with as_user(sim_leader):
        req = mobile.request_signature(signer=sim_leader, hashes=digest, display_text="Ký văn bản 1", channel="sim")
    assert req.state == "pending"
    with as_user(it):
        services.suspend(it, sub, effective_on="2026-02-01", reason="Mất SIM, chờ cấp lại")
    with as_user(sim_leader), pytest.raises(Refused) as exc:
        mobile.request_signature(signer=sim_leader, hashes=digest, display_text="Ký văn bản 2", channel="sim")
    assert exc.value.code == "sims.line.suspended" and "0912000346" in exc.value.message
    with as_user(sim_leader):   # with a remote key too, "auto" goes there while the SIM's line is suspended
        mobile.enrol_credential(sim_leader, channel="app", pin="246810", key_spec="rsa2048")
        assert mobile.request_signature(signer=sim_leader, hashes=digest, display_text="Ký văn bản 2").channel == "app"
    with as_user(it):
        services.end(it, sub, effective_on="2026-03-01", reason="Thôi giữ chức vụ")
    with as_user(sim_leader), pytest.raises(Refused) as exc:
        mobile.request_signature(signer=sim_leader, hashes=digest, display_text="Ký văn bản 3", channel="sim")
    assert exc.value.code == "sims.line.ended"
