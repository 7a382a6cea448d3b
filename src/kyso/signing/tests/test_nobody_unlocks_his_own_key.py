"""Issue 16, four eyes on the second factor: the wrong-PIN count is a limit only if the one who guesses cannot lift
it. An IT Center officer holds the right to unlock keys and to release suspended certificates — before, he used it
on his own: signed in as him (his password alone), one could guess his PIN five times, unlock the key through the
API, guess five more… and sign (the phone page and a USB token ask the PIN and nothing more), or lift the
suspension someone had put on his certificate. His own key, remote or on a device, and his own suspended
certificate are unlocked and released by another officer; the refusal is the runner's, audited, nothing changed."""

import pytest
from django.db import transaction

from kyso.audit.models import AuditRecord
from kyso.core.context import acting_as
from kyso.mobile.services import enrol_credential
from kyso.pki import pins, revocation
from kyso.pki.issuance import SubjectInfo
from kyso.pki.models import CertStatus
from kyso.pki.testing import make_signer

pytestmark = pytest.mark.django_db
PIN = "246810"


def _lock(token_label):
    with acting_as(label="t"), transaction.atomic():
        for _ in range(pins.max_failures()):
            pins._count_failure(token_label)
    assert pins.is_locked(token_label)


def _unlocks():
    return list(AuditRecord.objects.filter(action="pki.token.pin_unlock").values_list("actor", flat=True))


@pytest.fixture
def second_it_officer(demo, as_user):
    from kyso.accounts.models import RoleAssignment, User
    from kyso.accounts.roles import Role

    officer = demo.user("cntt")
    colleague = User.objects.filter(person__unit=officer.person.unit).exclude(pk=officer.pk).first()
    with as_user(demo.user("admin")):
        if colleague is None or not colleague.person_id:
            from kyso.org.models import Person
            person = Person.objects.filter(unit=officer.person.unit, user__isnull=True).first()
            colleague = User.objects.create(username="cntt2", person=person)
        RoleAssignment.objects.get_or_create(user=colleague, role=Role.IT_OFFICER, unit=demo.unit("VSS"))
    return colleague


def test_an_it_officer_does_not_unlock_his_own_remote_key(api, demo, pki, as_user, second_it_officer):
    officer = demo.user("cntt")
    with as_user(officer):
        cred = enrol_credential(officer, channel="app", pin=PIN, key_spec="p256")
    _lock(cred.token_label)
    r = api("cntt").post(f"/api/v1/mobile/credentials/{cred.credential_id}/unlock/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "pki.pin.own_key", r.content
    assert "Bạn không được tự mở khóa" in r.json()["error"]["message"]
    assert pins.is_locked(cred.token_label) and _unlocks() == []
    # another IT Center officer does, audited as his
    r = api(second_it_officer.username).post(f"/api/v1/mobile/credentials/{cred.credential_id}/unlock/")
    assert r.status_code == 200, r.content
    assert not pins.is_locked(cred.token_label) and _unlocks() == [second_it_officer.username]


def test_an_it_officer_does_not_unlock_the_token_of_his_own_certificate(api, demo, pki, second_it_officer):
    person = demo.user("cntt").person
    with acting_as(label="t"), transaction.atomic():
        cert, _key = make_signer("person", SubjectInfo(common_name=person.full_name, email=person.email.upper()),
                                 key_spec="p256", in_token=True)
    token = cert.key_location.split("token=", 1)[1].split(";", 1)[0]
    _lock(token)
    r = api("cntt").post(f"/api/v1/pki/certificates/{cert.serial}/unlock-pin/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "pki.pin.own_key", r.content
    assert pins.is_locked(token)
    assert api(second_it_officer.username).post(f"/api/v1/pki/certificates/{cert.serial}/unlock-pin/").status_code == 200
    assert not pins.is_locked(token)


def test_an_it_officer_does_not_release_his_own_suspended_certificate(api, demo, pki, second_it_officer):
    person = demo.user("cntt").person
    with acting_as(label="t"), transaction.atomic():
        cert, _key = make_signer("person", SubjectInfo(common_name=person.full_name, email=person.email),
                                 key_spec="p256")
    assert api(second_it_officer.username).post(f"/api/v1/pki/certificates/{cert.serial}/suspend/").status_code == 200
    r = api("cntt").post(f"/api/v1/pki/certificates/{cert.serial}/release/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "pki.cert.own_release", r.content
    cert.refresh_from_db()
    assert cert.status == CertStatus.HOLD
    assert not AuditRecord.objects.filter(action="pki.certificate.release").exists()
    assert api(second_it_officer.username).post(f"/api/v1/pki/certificates/{cert.serial}/release/").status_code == 200
    cert.refresh_from_db()
    assert cert.status == CertStatus.GOOD
    assert revocation.holder_of(cert) == demo.user("cntt")


def test_the_page_does_not_offer_him_the_release(client, demo, pki, second_it_officer):
    person = demo.user("cntt").person
    with acting_as(label="t"), transaction.atomic():
        cert, _key = make_signer("person", SubjectInfo(common_name=person.full_name, email=person.email),
                                 key_spec="p256")
        revocation.suspend(cert.serial)
    client.force_login(demo.user("cntt"))
    assert 'value="release"' not in client.get(f"/pki/certificates/{cert.serial}/").content.decode()
    client.post(f"/pki/certificates/{cert.serial}/", {"op": "release"})
    cert.refresh_from_db()
    assert cert.status == CertStatus.HOLD
    client.force_login(second_it_officer)
    assert 'value="release"' in client.get(f"/pki/certificates/{cert.serial}/").content.decode()
