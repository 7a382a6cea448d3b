"""Four eyes, Decision 508: the IT Center officer who reviewed a certificate request never approves it — nor the
approval list (Form 02) holding it. The list's approval was separated only from steps on the list itself
(compiling it), while the review is recorded on each request: an officer who also held the approving role (the
administrator, or the IT officer made a leader too) reviewed a request and then approved the list that held it.
Now the approval is refused (403 `steps.four_eyes`, nothing changed), the list leaves his queue and his page,
and another leader approves it."""

import pytest
from django.db import transaction
from django.test import Client

from kyso import audit
from kyso.accounts.models import RoleAssignment
from kyso.accounts.roles import Role
from kyso.audit.models import AuditRecord
from kyso.core import workflow
from kyso.core.context import acting_as
from kyso.core.errors import Forbidden
from kyso.lifecycle.flows import REQUEST
from kyso.lifecycle.models import IssuanceRequest, RequestList, RequestState

from .factories import acting, in_state

pytestmark = pytest.mark.django_db
URL = "/api/v1/lifecycle/"


def reviewed_request(api, demo, reviewer: str) -> IssuanceRequest:
    """A request of Ba Đình received by the IT Center and found valid by `reviewer` through the API."""
    filed = api("badinh").post(f"{URL}requests/", {"kind": "person", "person": demo.person("HN.BD", "Giám đốc").pk},
                               format="json")
    assert filed.status_code == 201, filed.content
    req = in_state(IssuanceRequest.objects.get(pk=filed.json()["id"]), RequestState.RECEIVED)
    r = api(reviewer).post(f"{URL}requests/{req.pk}/review/", {"valid": True, "guidance": ""}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "valid", r.content
    return req


def approval_list_of(api, compiler: str, req: IssuanceRequest) -> RequestList:
    r = api(compiler).post(f"{URL}lists/", {"approval": True, "requests": [req.pk]}, format="json")
    assert r.status_code == 201, r.content
    return RequestList.objects.get(pk=r.json()["id"])


def waiting_lists(user):
    return [r.pk for e in workflow.work_for(user) if e.workflow.name == "lifecycle.list" for r in e.records]


def assert_refused_and_unchanged(api, approver: str, lst: RequestList, req: IssuanceRequest):
    refused = api(approver).post(f"{URL}lists/{lst.pk}/approve/", HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 403, refused.content
    assert refused.json()["error"]["code"] == "steps.four_eyes"
    assert refused.json()["error"]["message"].startswith("Anh/chị đã thực hiện một bước trước đó trên một hồ sơ")
    lst.refresh_from_db()
    req.refresh_from_db()
    assert lst.state == "submitted" and lst.approved_by is None
    assert req.state == "in_approval" and req.approved_by is None
    assert not AuditRecord.objects.filter(object_type="lifecycle.requestlist", object_id=str(lst.pk),
                                          action="lifecycle.list.approve").exists()


def test_the_administrator_who_reviewed_a_request_does_not_approve_its_list(api, demo):
    req = reviewed_request(api, demo, "admin")
    lst = approval_list_of(api, "cntt", req)

    assert_refused_and_unchanged(api, "admin", lst, req)

    approved = api("lanhdao").post(f"{URL}lists/{lst.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "approved", approved.content
    req.refresh_from_db()
    assert req.state == "approved" and req.approved_by == demo.user("lanhdao")


def test_an_it_officer_who_is_also_a_leader_does_not_approve_what_he_reviewed(api, demo):
    cntt = demo.user("cntt")
    with acting_as(label="test", channel="cli"), transaction.atomic(), audit.action("test.prepare"):
        RoleAssignment.objects.create(user=cntt, role=Role.LEADER, unit=demo.unit("VSS"))
    req = reviewed_request(api, demo, "cntt")
    lst = approval_list_of(api, "admin", req)

    assert lst.pk not in waiting_lists(cntt)
    assert lst.pk in waiting_lists(demo.user("lanhdao"))
    page = Client(HTTP_ACCEPT_LANGUAGE="vi")
    page.force_login(cntt)
    assert 'value="approve"' not in page.get(f"/lifecycle/lists/{lst.pk}/").content.decode()
    assert_refused_and_unchanged(api, "cntt", lst, req)

    # nor the request on its own: its approval is separated from its review too
    assert not REQUEST.may("approve", req, cntt) and REQUEST.may("approve", req, demo.user("lanhdao"))
    with pytest.raises(Forbidden) as refused, acting(cntt):
        REQUEST.perform("approve", req, actor=cntt)
    assert refused.value.code == "steps.four_eyes"
    req.refresh_from_db()
    assert req.state == "in_approval" and req.approved_by is None

    approved = api("lanhdao").post(f"{URL}lists/{lst.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "approved", approved.content
