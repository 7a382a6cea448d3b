"""Issue 16 (scope): a credential whose holder has no staff record (his account unlinked when he left) belongs to
no unit, so to nobody's scope but the agency-wide roles'. "No unit" must never read as "anywhere": a clerk of a
province could ask him to sign (and the request then failed with a server error), an IT officer of a province
could disable, enable or unlock his credential."""

import pytest
from django.db import transaction

from kyso.accounts.models import RoleAssignment, User
from kyso.accounts.roles import Role
from kyso.audit.models import AuditRecord
from kyso.core.context import acting_as
from kyso.core.errors import Forbidden
from kyso.mobile import administration
from kyso.mobile.models import SignatureRequest
from kyso.org.models import Person, Unit

from .conftest import b64, digest


def _unlink(user):
    with acting_as(label="test"), transaction.atomic():
        user.person = None
        user.save()


def test_a_provincial_clerk_may_not_ask_a_holder_without_a_unit(api, app_credential, leader):
    _unlink(leader)
    body = {"signer": leader.username, "hashes": [b64(digest())], "display_text": "Ký Công văn 12/BHXH-VP"}
    r = api("vanthu.hn").post("/api/v1/mobile/requests/", body, format="json")
    # outside his scope: answered as an unknown login (test_logins_stay_hidden)
    assert r.status_code == 404 and r.json()["error"]["code"] == "mobile.holder.unknown"
    assert not SignatureRequest.objects.exists()


def test_nobody_asks_a_holder_without_a_staff_record_to_sign(api, app_credential, leader):
    _unlink(leader)   # even the holder himself, or the administrator: a clean refusal, not a server error
    body = {"signer": leader.username, "hashes": [b64(digest())], "display_text": "Ký"}
    r = api(leader.username).post("/api/v1/mobile/requests/", body, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "mobile.holder.no_person"
    assert not SignatureRequest.objects.exists()


def test_a_provincial_it_officer_may_not_manage_it_the_it_center_may(demo, app_credential, leader):
    _unlink(leader)
    with acting_as(label="test"), transaction.atomic():
        officer = User.objects.create(username="cntt.hn", person=Person.objects.filter(
            unit__path__startswith=Unit.objects.get(code="HN").path, user__isnull=True).first())
        RoleAssignment.objects.create(user=officer, role=Role.IT_OFFICER, unit=Unit.objects.get(code="HN"))
    before = AuditRecord.objects.count()
    for act in (lambda: administration.set_enabled(officer, app_credential, False),
                lambda: administration.unlock_pin(officer, app_credential)):
        with acting_as(officer), pytest.raises(Forbidden):
            act()
    app_credential.refresh_from_db()
    assert app_credential.enabled and AuditRecord.objects.count() == before
    it = User.objects.get(username="cntt")
    with acting_as(it), transaction.atomic():
        administration.set_enabled(it, app_credential, False)
    app_credential.refresh_from_db()
    assert not app_credential.enabled
    assert AuditRecord.objects.filter(action="mobile.credential.disable", object_id=str(app_credential.pk)).exists()
