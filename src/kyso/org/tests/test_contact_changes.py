"""A change of the e-mail or mobile phone that receives one-time codes is confirmed on the old channel or
by a second officer, and audited (issue 16, finding 1, HIGH)."""

import re

import pytest

from kyso.audit.models import AuditRecord
from kyso.notify.models import Notification
from kyso.org.models import ContactChange

pytestmark = pytest.mark.django_db


def _code_sent_to(number):
    body = Notification.objects.filter(recipient=number, topic="org.contact.code").latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def _ask(api, officer, person, phone):
    r = api(officer).patch(f"/api/v1/people/{person.pk}/", {"phone_mobile": phone}, format="json")
    assert r.status_code == 200, r.json()
    return r.json()


def test_an_officer_edit_of_the_phone_is_not_applied_until_the_person_confirms_on_the_old_phone(api, demo):
    person = demo.user("thuebao").person
    old = person.phone_mobile
    assert old
    body = _ask(api, "hanoi", person, "0987654321")
    assert body["phone_mobile"] == old
    [pending] = body["pending_contact_changes"]
    assert pending["confirm_on_old_channel"] and pending["state"] == "pending"
    code = _code_sent_to(old)
    # the new number is told, without the code
    assert Notification.objects.filter(recipient="0987654321", topic="org.contact.new").exists()
    r = api("thuebao").post(f"/api/v1/contact-changes/{pending['id']}/confirm/", {"code": code}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "applied" and r.json()["method"] == "code"
    person.refresh_from_db()
    assert person.phone_mobile == "0987654321"
    assert AuditRecord.objects.filter(action="org.contact.confirm", object_type="org.person",
                                      object_id=str(person.pk)).exists()


def test_only_the_person_concerned_confirms_with_the_code(api, demo):
    person = demo.user("thuebao").person
    pending = _ask(api, "hanoi", person, "0987654321")["pending_contact_changes"][0]
    code = _code_sent_to(person.phone_mobile)
    r = api("badinh").post(f"/api/v1/contact-changes/{pending['id']}/confirm/", {"code": code}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "org.contact.not_yours"


def test_wrong_codes_are_counted_across_requests_and_end_the_change(api, demo):
    person = demo.user("thuebao").person
    pending = _ask(api, "hanoi", person, "0987654321")["pending_contact_changes"][0]
    client = api("thuebao")
    for i in range(5):
        r = client.post(f"/api/v1/contact-changes/{pending['id']}/confirm/", {"code": "000000"}, format="json")
        assert r.status_code in (403, 409), r.json()
    change = ContactChange.objects.get(pk=pending["id"])
    assert change.attempts == 5 and change.state == "cancelled"
    r = client.post(f"/api/v1/contact-changes/{pending['id']}/confirm/", {"code": _code_sent_to(person.phone_mobile)},
                    format="json")
    assert r.status_code == 409
    person.refresh_from_db()
    assert person.phone_mobile != "0987654321"


def test_a_second_officer_approves_but_never_the_one_who_asked(api, demo):
    person = demo.user("thuebao").person
    pending = _ask(api, "hanoi", person, "0987654321")["pending_contact_changes"][0]
    r = api("hanoi").post(f"/api/v1/contact-changes/{pending['id']}/approve/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "steps.four_eyes"
    r = api("hcm").post(f"/api/v1/contact-changes/{pending['id']}/approve/")
    assert r.status_code == 404  # outside his scope: he does not even see it
    r = api("badinh").post(f"/api/v1/contact-changes/{pending['id']}/approve/")
    assert r.status_code == 200 and r.json()["method"] == "officer" and r.json()["decided_by"] == "badinh"
    person.refresh_from_db()
    assert person.phone_mobile == "0987654321"


def test_the_email_change_goes_the_same_way(api, demo):
    person = demo.user("thuebao").person
    r = api("hanoi").patch(f"/api/v1/people/{person.pk}/", {"email": "moi.thuebao@hanoi.vss.gov.vn"}, format="json")
    assert r.status_code == 200
    person.refresh_from_db()
    assert person.email != "moi.thuebao@hanoi.vss.gov.vn"
    assert Notification.objects.filter(recipient=person.email, topic="org.contact.code").exists()


def test_a_person_may_ask_for_his_own_and_a_subscriber_sees_only_his_own(api, demo):
    me = demo.user("thuebao").person
    r = api("thuebao").post("/api/v1/contact-changes/", {"person": me.pk, "field": "phone_mobile",
                                                         "new_value": "0987000222"}, format="json")
    assert r.status_code == 201, r.json()
    other = demo.user("badinh").person
    r = api("thuebao").post("/api/v1/contact-changes/", {"person": other.pk, "field": "phone_mobile",
                                                         "new_value": "0987000333"}, format="json")
    assert r.status_code == 404
    _ask(api, "hanoi", other, "0987000444")
    listed = api("thuebao").get("/api/v1/contact-changes/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {c["person"] for c in rows} == {me.pk}
