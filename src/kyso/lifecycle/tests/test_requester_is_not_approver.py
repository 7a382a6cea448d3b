"""Issue 16, finding 3: a leader never approves a request for himself — the renewal of his own certificate
filed for him by the IT Center, nor any list holding such a request — and nobody approves a list he
compiled or a request he filed. Another leader does; the list waits in his queue, not in the one of the
leader it concerns, and the page offers the approval only to who may give it."""

import pytest
from django.db import transaction
from django.test import Client

from kyso import audit
from kyso.accounts.models import RoleAssignment, User
from kyso.accounts.roles import Role
from kyso.core import workflow
from kyso.core.context import acting_as
from kyso.lifecycle.models import IssuanceRequest, RequestList, RequestState

from .factories import certificate_for, in_state

pytestmark = pytest.mark.django_db
URL = "/api/v1/lifecycle/"


def second_leader(demo):
    """The General Director: another approving leader."""
    person = demo.person("VSS", "Tổng Giám đốc")
    with acting_as(label="test", channel="cli"), transaction.atomic(), audit.action("test.prepare"):
        user = User.objects.create(username="tonggiamdoc", person=person, email=person.email)
        RoleAssignment.objects.create(user=user, role=Role.LEADER, unit=demo.unit("VSS"))
    return user


def approval_list_with(api, *request_ids):
    for pk in request_ids:
        in_state(IssuanceRequest.objects.get(pk=pk), RequestState.VALID)
    r = api("cntt").post(f"{URL}lists/", {"approval": True, "requests": list(request_ids)}, format="json")
    assert r.status_code == 201, r.content
    return RequestList.objects.get(pk=r.json()["id"])


def waiting_lists(user):
    return [r.pk for e in workflow.work_for(user) if e.workflow.name == "lifecycle.list" for r in e.records]


def test_a_leader_does_not_approve_the_renewal_of_his_own_certificate(api, demo):
    leader = demo.user("lanhdao")
    cert = certificate_for("person", person=leader.person)
    renewal = api("cntt").post(f"{URL}certificates/{cert.pk}/renew/")          # filed for him by the IT Center
    assert renewal.status_code == 201, renewal.content
    lst = approval_list_with(api, renewal.json()["id"])

    refused = api("lanhdao").post(f"{URL}lists/{lst.pk}/approve/")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "lifecycle.approve.four_eyes"
    lst.refresh_from_db()
    assert lst.state == "submitted" and lst.approved_by is None
    assert IssuanceRequest.objects.get(pk=renewal.json()["id"]).state == "in_approval"
    assert lst.pk not in waiting_lists(leader)
    page = Client(HTTP_ACCEPT_LANGUAGE="vi")
    page.force_login(leader)
    assert 'value="approve"' not in page.get(f"/lifecycle/lists/{lst.pk}/").content.decode()

    other = second_leader(demo)
    assert lst.pk in waiting_lists(other)
    assert api("tonggiamdoc").post(f"{URL}lists/{lst.pk}/approve/").json()["state"] == "approved"
    assert IssuanceRequest.objects.get(pk=renewal.json()["id"]).approved_by == other


def test_nor_any_list_holding_a_request_for_himself(api, demo):
    leader = demo.user("lanhdao")
    mine = api("cntt").post(f"{URL}requests/", {"kind": "person", "person": leader.person.pk}, format="json")
    colleague = api("badinh").post(f"{URL}requests/", {"kind": "person", "person": demo.person("HN.BD", "Giám đốc").pk},
                                   format="json")
    lst = approval_list_with(api, mine.json()["id"], colleague.json()["id"])
    assert api("lanhdao").post(f"{URL}lists/{lst.pk}/approve/").status_code == 403
    # with nobody else to approve it, the administrator finds it in his queue
    assert lst.pk in waiting_lists(demo.user("admin"))
    assert api("admin").post(f"{URL}lists/{lst.pk}/approve/").json()["state"] == "approved"


def test_nobody_approves_a_list_he_compiled(api, demo):
    in_state(IssuanceRequest.objects.get(pk=api("badinh").post(
        f"{URL}requests/", {"kind": "person", "person": demo.person("HN.BD", "Giám đốc").pk},
        format="json").json()["id"]), RequestState.VALID)
    compiled = api("admin").post(f"{URL}lists/", {"approval": True}, format="json").json()
    refused = api("admin").post(f"{URL}lists/{compiled['id']}/approve/")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "steps.four_eyes"
    assert api("lanhdao").post(f"{URL}lists/{compiled['id']}/approve/").json()["state"] == "approved"
