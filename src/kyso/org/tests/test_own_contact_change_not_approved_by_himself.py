"""Issue 16, finding 1's four eyes: a change of the phone that receives a person's one-time codes is confirmed by
him with the code sent to his OLD phone, or approved by a second officer. Before, when the person was himself an
officer over his unit, he could approve as that "second officer" a change of his own phone another officer had
asked for — applied on his log-in alone, without the old phone. Now he confirms it with the code (the page no
longer offers him the approval); a true second officer still approves it."""

import pytest

from kyso.org.models import ContactChange

pytestmark = pytest.mark.django_db


def test_the_person_is_not_the_second_officer_of_his_own_change(api, client, demo):
    officer = demo.user("badinh")          # unit officer of Ba Đình, his staff record at Ba Đình
    person = officer.person
    old = person.phone_mobile
    r = api("hanoi").patch(f"/api/v1/people/{person.pk}/", {"phone_mobile": "0987654321"}, format="json")
    assert r.status_code == 200, r.json()
    [pending] = r.json()["pending_contact_changes"]
    r = api("badinh").post(f"/api/v1/contact-changes/{pending['id']}/approve/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "org.contact.own", r.content
    assert "mã gửi tới kênh cũ" in r.json()["error"]["message"]
    person.refresh_from_db()
    assert person.phone_mobile == old
    assert ContactChange.objects.get(pk=pending["id"]).state == "pending"
    client.force_login(officer)
    page = client.get(f"/org/contact-changes/{pending['id']}/").content.decode()
    assert 'value="approve"' not in page
    client.post(f"/org/contact-changes/{pending['id']}/", {"action": "approve"})
    person.refresh_from_db()
    assert person.phone_mobile == old
