"""Existence oracles in the e-office API: the drafter names the signing leader and the reviewer, the clerk the
officer who handles an incoming document, by login. Before, an unknown login was refused with its own code
(`eoffice.signer.unknown`, `eoffice.reviewer.unknown`, `eoffice.assignee.unknown`) and a login outside the unit
with another (`not_leader`, `invalid`, `outside`): whoever may draft or assign learnt which logins exist
elsewhere. Now both get the same answer — the one a person outside the unit gets — with the same status, code
and message, and nothing is written."""

import pytest

from kyso.eoffice import services
from kyso.eoffice.drafting import render_draft
from kyso.eoffice.models import IncomingDocument, OutgoingDocument, OutgoingState

pytestmark = pytest.mark.django_db

UNKNOWN = "khong.ton.tai"
BASE = {"subject": "V/v thử nghiệm", "recipients": ["HN.BD"], "body": "Đề nghị các đơn vị thực hiện."}


def _answer(r):
    return r.status_code, r.json()["error"]["code"], r.json()["error"]["message"]


def test_the_drafter_does_not_learn_who_exists_outside_his_unit(api, demo, hn_leader):
    hanoi = api("hanoi")
    outside = [_answer(hanoi.post("/api/v1/eoffice/outgoing/", {**BASE, "signer": login}, format="json"))
               for login in ("hcm", "thuebao")]
    unknown = _answer(hanoi.post("/api/v1/eoffice/outgoing/", {**BASE, "signer": UNKNOWN}, format="json"))
    assert outside == [unknown, unknown] and unknown[:2] == (400, "eoffice.signer.not_leader")
    assert not OutgoingDocument.objects.exists()


def test_the_drafter_does_not_learn_who_exists_when_naming_a_reviewer(api, demo, hn_leader):
    hanoi = api("hanoi")
    r = hanoi.post("/api/v1/eoffice/outgoing/", {**BASE, "signer": "giamdoc.hn"}, format="json")
    assert r.status_code == 201, r.content
    url = f"/api/v1/eoffice/outgoing/{r.json()['id']}/submit/"
    outside = _answer(hanoi.post(url, {"reviewer": "hcm"}, format="json"))
    unknown = _answer(hanoi.post(url, {"reviewer": UNKNOWN}, format="json"))
    assert outside == unknown and unknown[:2] == (400, "eoffice.reviewer.invalid")
    doc = OutgoingDocument.objects.get()
    assert doc.state == OutgoingState.DRAFT and doc.reviewer is None
    # a reviewer of the unit, named by login, is still taken
    assert hanoi.post(url, {"reviewer": "giamdoc.hn"}, format="json").json()["state"] == "in_review"


def test_the_assigning_clerk_does_not_learn_who_exists_outside_his_unit(api, demo, as_user):
    clerk = demo.user("vanthu.bd")
    pdf = render_draft(organization="BHXH thành phố Hà Nội", symbol_suffix="BHXH-VP", place="Hà Nội",
                       subject="V/v thử nghiệm", body="Nội dung.")
    with as_user(clerk):
        doc = services.receive_external(clerk, demo.unit("HN.BD"), pdf, filename="cv.pdf", sender="BHXH Hà Nội",
                                        subject="V/v thử nghiệm")
    url = f"/api/v1/eoffice/incoming/{doc.pk}/assign/"
    bd = api("vanthu.bd")
    outside = [_answer(bd.post(url, {"assignee": login, "days": 2}, format="json")) for login in ("hcm", "lanhdao")]
    unknown = _answer(bd.post(url, {"assignee": UNKNOWN, "days": 2}, format="json"))
    assert outside == [unknown, unknown] and unknown[:2] == (400, "eoffice.assignee.outside")
    assert IncomingDocument.objects.get(pk=doc.pk).assignee is None
    assert bd.post(url, {"assignee": "thuebao", "days": 2}, format="json").json()["state"] == "assigned"
