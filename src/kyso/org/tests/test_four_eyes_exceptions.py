"""The four-eyes rule and its one escape: an exception set by the IT Center for a unit that really has one
officer — explicit, time-bound, audited, and every use of it audited (issue 16, finding 3)."""

import datetime as dt

import pytest

from kyso.audit.models import AuditRecord

from .factories import phone_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def change(demo):
    return phone_change(demo, "badinh")


def _exception(api, **overrides):
    body = {"unit": "HN.BD", "step": "org.contact.approve", "other": "org.contact.request",
            "reason": "BHXH quận Ba Đình chỉ có một cán bộ quản lý thuê bao.",
            "valid_until": (dt.date.today() + dt.timedelta(days=90)).isoformat(), **overrides}
    return api("cntt").post("/api/v1/duty-exceptions/", body, format="json")


def test_without_an_exception_the_same_officer_is_refused(api, change):
    r = api("badinh").post(f"/api/v1/contact-changes/{change.pk}/approve/")
    assert r.status_code == 403 and r.json()["error"]["code"] in ("steps.four_eyes",)


def test_only_the_it_center_sets_an_exception(api, change):
    r = api("hanoi").post("/api/v1/duty-exceptions/", {"unit": "HN.BD", "step": "x", "other": "y", "reason": "r",
                                                        "valid_until": dt.date.today().isoformat()}, format="json")
    assert r.status_code == 403
    r = _exception(api, reason=" ")
    assert r.status_code == 400
    r = _exception(api, valid_until=(dt.date.today() + dt.timedelta(days=800)).isoformat())
    assert r.status_code == 400 and r.json()["error"]["code"] == "org.duty_exception.until"


def test_an_exception_lets_the_single_officer_act_and_every_use_is_audited(api, change, demo):
    # the org's own pair is refused by an explicit check too: make the exception cover the runner's rule
    assert _exception(api).status_code == 201
    assert AuditRecord.objects.filter(action="org.duty_exception.set", actor="cntt").exists()
    # the runner's four-eyes check now lets badinh approve what he asked for… but contacts.approve also refuses
    # the requester explicitly (a change of the channel of one-time codes is never self-approved).
    r = api("badinh").post(f"/api/v1/contact-changes/{change.pk}/approve/")
    assert r.status_code == 403


def test_the_exception_applies_through_the_runner(demo, as_user):
    """The runner's check, on a step with a separated pair, with and without an exception in force."""
    from kyso.core import steps
    from kyso.core.errors import Forbidden
    from kyso.org import duties
    from kyso.org.models import Person

    person = Person.objects.filter(unit__code="HN.BD").first()
    officer, it = demo.user("badinh"), demo.user("cntt")
    first = steps.step("org.test.first")
    second = steps.step("org.test.second", separate_from=("org.test.first",))
    with as_user(officer):
        steps.run(first, lambda a: None, actor=officer, obj=person)
        with pytest.raises(Forbidden):
            steps.run(second, lambda a: None, actor=officer, obj=person)
    with as_user(it):
        duties.set_exception(demo.unit("HN.BD"), step="org.test.second", other="org.test.first",
                             reason="Một cán bộ.", valid_until=dt.date.today(), actor=it)
    with as_user(officer):
        steps.run(second, lambda a: None, actor=officer, obj=person)
    assert AuditRecord.objects.filter(action="steps.four_eyes.exception_used", actor="badinh").exists()
