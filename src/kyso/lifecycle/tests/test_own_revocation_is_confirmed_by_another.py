"""Four eyes on Form 05 (issue 16): a subscriber's own request to revoke (reason b) is confirmed by his managing
unit. Before, an officer of that unit filing b for his own certificate had it confirmed at once by the rule (he
counted as the unit), and could confirm it himself when it waited: the requester was the approver. Now his request
waits like anyone's, he is refused its confirmation (API, page, queue) and another officer confirms it."""

import pytest

from kyso.audit.models import AuditRecord
from kyso.lifecycle.flows import REVOCATION
from kyso.lifecycle.models import RevocationRequest

from .factories import certificate_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/lifecycle/revocations/"


def test_an_officers_own_form05_waits_for_another_officer(api, demo):
    officer = demo.user("badinh")           # unit officer of Ba Đình, whose managing unit confirms its Form 05
    cert = certificate_for("person", person=officer.person)
    rev = api("badinh").post(URL, {"certificate": cert.pk, "reason": "b", "detail": "Chuyển công tác"},
                             format="json").json()
    assert rev["state"] == "requested", rev
    r = api("badinh").post(f"{URL}{rev['id']}/confirm/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "lifecycle.four_eyes.own", r.content
    obj = RevocationRequest.objects.get(pk=rev["id"])
    assert obj.state == "requested"
    assert not REVOCATION.may("confirm", obj, officer)
    queue = REVOCATION.queue_for(officer, REVOCATION.resolve("confirm", obj))
    assert obj.pk not in queue.values_list("pk", flat=True)
    assert not AuditRecord.objects.filter(action__startswith="lifecycle.revocation.confirm",
                                          object_id=str(obj.pk)).exists()
    r = api("hanoi").post(f"{URL}{rev['id']}/confirm/")
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.content


def test_the_officer_still_confirms_a_colleagues_form05_as_he_files_it(api, demo):
    cert = certificate_for("person", person=demo.user("thuebao").person)
    rev = api("badinh").post(URL, {"certificate": cert.pk, "reason": "b", "detail": "Nghỉ hưu"}, format="json").json()
    assert rev["state"] == "confirmed"
