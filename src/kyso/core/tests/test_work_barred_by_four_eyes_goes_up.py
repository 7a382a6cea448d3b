"""Work the four eyes keep every nearest officer off waits for the next office up (red team F1).

Before: a record waited for the officers holding the step's permission at the NEAREST office at or above it, and
the four eyes then took it out of the queue of each of them who did a step separated from this one. In Ba Đình,
`motcua.bd` assigned a dossier to `badinh`, Ba Đình's only approver, who processed it: his approval was (rightly)
refused — and no officer's home page showed the dossier any more. The province (`hanoi`, who may approve it) did
not see it because Ba Đình "had" an approver; `badinh` did not because he processed it. It ran silently past its
deadline. The same in every domain reading `lifecycle.flows.waiting_for`: the Form 02 approval list at the IT Center
when its only leader reviewed a request in it (nobody's queue), an e-office draft written by its unit's only
reviewer (nobody's), an officer's own Form 05 at a district where he is the only officer (the administrator's,
not the province's that confirms it). An IT Center exception (`org.DutyException`) that lets a one-officer unit
take both steps did not bring the record back to that officer's queue either.

Now a record waits at the deepest office at or above it that has a holder of the permission whom the rules do not
keep off THIS record (the audit trail's four eyes, an IT Center exception lifting them, the people the record
concerns, the drafter): it is in that officer's queue with its count and deadline, and the record's page says it
waits there. While the nearest office has one holder who may still act, nothing changes."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation

from kyso import audit
from kyso.accounts import scope
from kyso.accounts.models import RoleAssignment, User
from kyso.accounts.roles import Role
from kyso.core import workflow
from kyso.core.context import acting_as
from kyso.core.errors import KysoError
from kyso.eoffice import services as eoffice
from kyso.eoffice.flows import OUTGOING
from kyso.lifecycle import services as lifecycle
from kyso.lifecycle.flows import LIST, REVOCATION
from kyso.lifecycle.models import IssuanceRequest, RequestList, RequestState, RevocationRequest
from kyso.lifecycle.tests.factories import certificate_for, in_state
from kyso.org.models import DutyException
from kyso.portal import processing
from kyso.portal.flows import DOSSIER
from kyso.portal.models import Dossier
from kyso.portal.tests import helpers as h

pytestmark = pytest.mark.django_db
OFFICERS = ["admin", "cntt", "lanhdao", "hanoi", "badinh", "hcm", "giamdoc.hn", "motcua.hn", "motcua.bd"]


def waiting(demo, flow: str, pk, users=OFFICERS) -> dict[str, set[str]]:
    """login → the steps of `flow` at which the record `pk` waits for him (only those it waits for)."""
    out = {}
    for login in users:
        steps = {e.transition.name for e in workflow.work_for(demo.user(login)) if e.workflow.name == flow
                 for r in e.records if r.pk == pk}
        if steps:
            out[login] = steps
    return out


def entry(demo, login, flow, step):
    return next(e for e in workflow.work_for(demo.user(login))
                if e.workflow.name == flow and e.transition.name == step)


def officer(demo, login: str, role: str, unit_code: str, title: str = "Chuyên viên") -> User:
    """Another account with `role` at `unit_code`."""
    with acting_as(label="test", channel="cli"), transaction.atomic(), audit.action("test.prepare"):
        user = User.objects.create(username=login, person=demo.person(unit_code, title),
                                   email=f"{login}@example.vn")
        RoleAssignment.objects.create(user=user, role=role, unit=demo.unit(unit_code))
    return user


def page(demo, login, url) -> str:
    return demo.client(login).get(url).content.decode()


def where(flow, record) -> str:
    """The record's "now … waiting for …" line, in Vietnamese."""
    with translation.override("vi"):
        return flow.where(record)


def processed_by_badinh(demo) -> Dossier:
    """A Ba Đình dossier the one-stop desk assigned to `badinh`, who processed it."""
    dossier = h.make_dossier(demo.unit("HN.BD"))
    desk, badinh = demo.user("motcua.bd"), demo.user("badinh")
    with acting_as(desk):
        processing.advance(desk, dossier, "assign", assignee="badinh")
    with acting_as(badinh):
        processing.advance(badinh, Dossier.objects.get(pk=dossier.pk), "process")
    return Dossier.objects.get(pk=dossier.pk)


# ---------------------------------------------------------------- the dossier of the finding


def test_the_districts_only_approver_processed_it_so_the_province_approves_and_signs(demo, pki):
    dossier = processed_by_badinh(demo)
    badinh, hanoi = demo.user("badinh"), demo.user("hanoi")
    with acting_as(badinh), pytest.raises(KysoError) as refused:
        processing.advance(badinh, dossier, "approve")
    assert refused.value.code == "steps.four_eyes"

    assert waiting(demo, "portal.dossier", dossier.pk) == {"hanoi": {"approve"}}, "the province's, nobody else's"
    queue = entry(demo, "hanoi", "portal.dossier", "approve")
    assert queue.count == 1 and queue.next_due == dossier.due_date
    home = page(demo, "hanoi", "/")
    assert "Hồ sơ cần phê duyệt" in home and "/tasks/portal.dossier/approve/" in home
    assert dossier.code in page(demo, "hanoi", "/tasks/portal.dossier/approve/")
    text = page(demo, "badinh", f"/portal/d/{dossier.code}/")
    assert "đang chờ" in text and "(BHXH thành phố Hà Nội): Phê duyệt" in text
    assert "(BHXH quận Ba Đình): Phê duyệt" not in text

    with acting_as(hanoi):
        processing.advance(hanoi, dossier, "approve")
    # the result is signed by a leader (Decision 508, Art. 8.2): none at Ba Đình or Hà Nội here, so the agency's
    assert waiting(demo, "portal.dossier", dossier.pk) == {"lanhdao": {"sign"}}


def test_up_again_while_everyone_at_the_province_is_kept_off_too(demo, pki):
    """Recursively: the province's only approver is in the trail as having processed it too (an earlier round) —
    the agency's leadership approves it."""
    dossier = processed_by_badinh(demo)
    hanoi, leader = demo.user("hanoi"), demo.user("lanhdao")
    with acting_as(hanoi), transaction.atomic(), audit.action("portal.dossier.process"):
        audit.record("portal.dossier.process", dossier, after={"step": "portal.dossier.process"})
    assert waiting(demo, "portal.dossier", dossier.pk) == {"lanhdao": {"approve"}}
    assert "(Bảo hiểm xã hội Việt Nam): Phê duyệt" in where(DOSSIER, dossier)
    with acting_as(leader):
        processing.advance(leader, dossier, "approve")
    assert Dossier.objects.get(pk=dossier.pk).step == "approve"


def test_while_another_ba_dinh_approver_may_act_it_stays_at_ba_dinh(demo, pki):
    deputy = officer(demo, "phogiamdoc.bd", Role.UNIT_OFFICER, "HN.BD", "Giám đốc")
    dossier = processed_by_badinh(demo)
    assert waiting(demo, "portal.dossier", dossier.pk, OFFICERS + [deputy.username]) == \
        {"phogiamdoc.bd": {"approve"}}, "not the province's: Ba Đình has an approver who did not process it"
    text = page(demo, "badinh", f"/portal/d/{dossier.code}/")
    assert "(BHXH quận Ba Đình): Phê duyệt" in text and "(BHXH thành phố Hà Nội)" not in text


def test_an_it_center_exception_keeps_it_with_the_one_officer_it_lets(demo, pki):
    with acting_as(demo.user("cntt")):
        DutyException.objects.create(unit=demo.unit("HN.BD"), step="portal.dossier.approve",
                                     other="portal.dossier.process", reason="Một cán bộ",
                                     valid_until=timezone.localdate() + dt.timedelta(days=30),
                                     set_by=demo.user("cntt"))
    dossier = processed_by_badinh(demo)
    assert waiting(demo, "portal.dossier", dossier.pk) == {"badinh": {"approve"}}
    assert "(BHXH quận Ba Đình): Phê duyệt" in page(demo, "badinh", f"/portal/d/{dossier.code}/")
    # the exception covers that pair only: the signature still goes up
    badinh = demo.user("badinh")
    with acting_as(badinh):
        processing.advance(badinh, dossier, "approve")
    assert waiting(demo, "portal.dossier", dossier.pk) == {"lanhdao": {"sign"}}


def test_the_districts_only_leader_processed_it_so_the_provinces_leader_signs(demo, pki):
    """The result's signature is the leaders' (portal.sign) and separated from the processing: when Ba Đình's only
    leader processed the dossier himself, it waits for Hà Nội's leader — in his queue and open to him — not in
    nobody's queue."""
    bd_leader = officer(demo, "giamdoc.bd2", Role.LEADER, "HN.BD", "(không có trong danh bạ)")
    with acting_as(label="test", channel="cli"), transaction.atomic(), audit.action("test.prepare"):
        RoleAssignment.objects.create(user=bd_leader, role=Role.UNIT_OFFICER, unit=demo.unit("HN.BD"))
    hn_leader = officer(demo, "giamdoc.hn2", Role.LEADER, "HN", "(không có trong danh bạ)")
    dossier = h.make_dossier(demo.unit("HN.BD"))
    desk = demo.user("motcua.bd")
    with acting_as(desk):
        processing.advance(desk, dossier, "assign", assignee="giamdoc.bd2")
    with acting_as(bd_leader):
        processing.advance(bd_leader, Dossier.objects.get(pk=dossier.pk), "process")
    with acting_as(demo.user("badinh")):
        processing.advance(demo.user("badinh"), Dossier.objects.get(pk=dossier.pk), "approve")
    dossier = Dossier.objects.get(pk=dossier.pk)
    users = [*OFFICERS, "giamdoc.bd2", "giamdoc.hn2"]
    assert waiting(demo, "portal.dossier", dossier.pk, users) == {"giamdoc.hn2": {"sign"}}
    assert "sign" in {t.name for t in DOSSIER.allowed(dossier, hn_leader)}
    assert "sign" not in {t.name for t in DOSSIER.allowed(dossier, bd_leader)}


# ---------------------------------------------------------------- the same rule in the other domains


def test_an_officers_own_form05_waits_for_the_province_when_he_is_the_districts_only_officer(demo, api):
    badinh = demo.user("badinh")
    cert = certificate_for("person", person=badinh.person)
    rev = api("badinh").post("/api/v1/lifecycle/revocations/", {"certificate": cert.pk, "reason": "b",
                                                                "detail": "Chuyển công tác"}, format="json").json()
    assert rev["state"] == "requested", rev
    assert waiting(demo, "lifecycle.revocation", rev["id"]) == {"hanoi": {"confirm"}}, "not the administrator's"
    assert "(BHXH thành phố Hà Nội): Xác nhận" in where(REVOCATION, RevocationRequest.objects.get(pk=rev["id"]))


def test_the_approval_list_goes_up_when_the_it_centers_only_leader_reviewed_a_request_in_it(demo, api):
    """The approval list (Form 02) is the IT Center's: a leader there is its nearest approver. He reviewed a request
    in it (`steps.Related`): the agency's leadership above approves it."""
    cntt = demo.user("cntt")
    with acting_as(label="test", channel="cli"), transaction.atomic(), audit.action("test.prepare"):
        RoleAssignment.objects.create(user=cntt, role=Role.LEADER, unit=demo.unit("VSS.CNTT"))
    scope.forget(cntt)
    filed = api("badinh").post("/api/v1/lifecycle/requests/", {"kind": "person",
                                                               "person": demo.person("HN.BD", "Giám đốc").pk},
                               format="json").json()
    req = in_state(IssuanceRequest.objects.get(pk=filed["id"]), RequestState.RECEIVED)
    assert api("cntt").post(f"/api/v1/lifecycle/requests/{req.pk}/review/", {"valid": True, "guidance": ""},
                            format="json").json()["state"] == "valid"
    r = api("admin").post("/api/v1/lifecycle/lists/", {"approval": True, "requests": [req.pk]}, format="json")
    lst = RequestList.objects.get(pk=r.json()["id"])
    assert lst.unit.code == "VSS.CNTT"
    assert waiting(demo, "lifecycle.list", lst.pk) == {"lanhdao": {"approve"}}
    assert "(Bảo hiểm xã hội Việt Nam): Phê duyệt" in where(LIST, lst)


def test_a_draft_written_by_its_units_only_reviewer_waits_for_the_reviewers_above(demo, pki, as_user):
    badinh = demo.user("badinh")
    with as_user(badinh):
        doc = eoffice.create_draft(badinh, subject="V/v rà soát thiết bị ký số", signer=demo.user("lanhdao"),
                                   body="Đề nghị rà soát.\n\nTrân trọng.", recipients=("HN",))
        eoffice.submit_for_review(doc, badinh)
    assert waiting(demo, "eoffice.outgoing", doc.pk) == {"hanoi": {"review"}}
    assert "(BHXH thành phố Hà Nội)" in where(OUTGOING, doc)
    hanoi = demo.user("hanoi")
    with as_user(hanoi):
        eoffice.review(doc, hanoi, approve=True)
