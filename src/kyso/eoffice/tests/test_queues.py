"""Each role sees exactly the e-office work that waits for him (issue 17, point 1), from the workflow
declarations — on the home page, on /tasks/ and on the e-office page — at every step of a letter from the
draft to the recipient's book: the drafter his draft, the nearest reviewer (not the agency's leader), the named
leader the signature, Hanoi's clerk the seal (not Ba Đình's), Ba Đình's clerk the arrival (not Hanoi's), the
officer it is assigned to its handling; each with its deadline in working days."""

import pytest

from kyso.core.workflow import work_for
from kyso.eoffice import services
from kyso.eoffice.models import IncomingDocument

from .conftest import make_draft, sign_on_sim

pytestmark = pytest.mark.django_db

ROLES = ["hanoi", "badinh", "giamdoc.hn", "lanhdao", "vanthu.hn", "vanthu.bd"]


def _waiting(demo) -> dict:
    """login → the e-office steps waiting for him."""
    out = {}
    for login in ROLES:
        steps = {f"{e.workflow.name.split('.')[1]}.{e.transition.name}" for e in work_for(demo.user(login))
                 if e.workflow.name.startswith("eoffice.")}
        if steps:
            out[login] = steps
    return out


def _home_and_tasks(client, demo, login, step):
    client.force_login(demo.user(login))
    link = f"/tasks/eoffice.{step}/"
    assert link in client.get("/").content.decode(), f"{login}'s home page lists {step}"
    assert link in client.get("/tasks/").content.decode()
    assert link in client.get("/eoffice/").content.decode()
    return client.get(link)


def test_each_role_sees_its_own_work_at_every_step(demo, hn_leader, as_user, client):
    hanoi, clerk, bd_clerk = demo.user("hanoi"), demo.user("vanthu.hn"), demo.user("vanthu.bd")
    assert _waiting(demo) == {}
    doc = make_draft(as_user, hanoi, hn_leader, signer_title="Giám đốc")
    assert _waiting(demo) == {"hanoi": {"outgoing.submit"}}
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi)           # no reviewer named: the nearest reviewers of Hanoi
    assert _waiting(demo) == {"giamdoc.hn": {"outgoing.review"}}, "not the drafter, not the agency's leader"
    resp = _home_and_tasks(client, demo, "giamdoc.hn", "outgoing/review")
    assert doc.subject in resp.content.decode()
    with as_user(hn_leader):
        services.review(doc, hn_leader, approve=True)
    assert _waiting(demo) == {"giamdoc.hn": {"outgoing.sign"}}
    doc = sign_on_sim(doc, hn_leader, as_user)
    assert _waiting(demo) == {"vanthu.hn": {"outgoing.issue"}}, "Hanoi's clerk, not Ba Đình's"
    _home_and_tasks(client, demo, "vanthu.hn", "outgoing/issue")
    with as_user(clerk):
        doc = services.issue(doc, clerk)
    assert _waiting(demo) == {"vanthu.hn": {"outgoing.dispatch"}}
    with as_user(clerk):
        services.dispatch(doc, clerk)
    assert _waiting(demo) == {"vanthu.bd": {"incoming.assign"}}, "Ba Đình's clerk, not Hanoi's"
    resp = _home_and_tasks(client, demo, "vanthu.bd", "incoming/assign")
    incoming = IncomingDocument.objects.get()
    assert f"/eoffice/in/{incoming.pk}/" in resp.content.decode()
    with as_user(bd_clerk):
        services.assign(incoming, bd_clerk, demo.user("badinh"), days=2)
    assert _waiting(demo) == {"badinh": {"incoming.complete"}}
    entry = next(e for e in work_for(demo.user("badinh")) if e.workflow.name == "eoffice.incoming")
    incoming.refresh_from_db()
    assert entry.next_due == incoming.due_date, "the deadline in working days is the queue's"
    with as_user(demo.user("badinh")):
        services.complete(incoming, demo.user("badinh"), "Đã triển khai")
    assert _waiting(demo) == {}


def test_a_named_reviewer_alone_has_the_draft(demo, hn_leader, as_user):
    hanoi, lanhdao = demo.user("hanoi"), demo.user("lanhdao")
    doc = make_draft(as_user, hanoi, hn_leader)
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi, reviewer=lanhdao)
    assert _waiting(demo) == {"lanhdao": {"outgoing.review"}}
