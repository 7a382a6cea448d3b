"""Four eyes on Form 01 (issue 16, finding 3): the managing unit confirms a subscriber's certificate request — his
identity, his title, his need. Before, an officer of that unit filed a request (or a renewal) for himself and
confirmed it himself. Now another officer of the unit confirms it (API, page, queue); the officer still confirms
the requests of the others he files for."""

import pytest

from kyso.lifecycle.flows import REQUEST
from kyso.lifecycle.models import IssuanceRequest

pytestmark = pytest.mark.django_db
URL = "/api/v1/lifecycle/requests/"


def _file(api, who, person):
    r = api(who).post(URL, {"kind": "person", "person": person.pk}, format="json")
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_an_officer_does_not_confirm_his_own_request(api, demo):
    officer = demo.user("badinh")
    rid = _file(api, "badinh", officer.person)
    r = api("badinh").post(f"{URL}{rid}/confirm/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "lifecycle.four_eyes.own", r.content
    req = IssuanceRequest.objects.get(pk=rid)
    assert req.state == "submitted" and req.confirmed_by is None
    assert not REQUEST.may("confirm", req, officer)
    assert req.pk not in REQUEST.queue_for(officer, REQUEST.resolve("confirm", req)).values_list("pk", flat=True)
    r = api("hanoi").post(f"{URL}{rid}/confirm/")
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.content


def test_the_officer_confirms_a_colleagues_request(api, demo):
    rid = _file(api, "badinh", demo.user("thuebao").person)
    r = api("badinh").post(f"{URL}{rid}/confirm/")
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.content
