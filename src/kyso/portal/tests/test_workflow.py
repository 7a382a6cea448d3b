"""A dossier through the one-stop workflow: steps in the configured order, one written supplement
request that pauses the clock, a late apology with a new date, the result signed with the
organisation certificate and returned; refusal with reasons; control slip; notifications."""

import datetime as dt

import pytest
from django.utils import timezone

from kyso.notify.models import Notification
from kyso.portal.models import Dossier
from kyso.signing.verify import verify_bytes
from kyso.workdays.calendar import add_working_days, working_days_between

from . import helpers as h


def test_supplement_apology_and_signed_result(api, employer, employer_api, signed_600):
    sub, issued, key = employer
    code = h.submit(employer_api, signed_600)
    officer, leader, desk = api("badinh"), api("lanhdao"), api("motcua.bd")
    assert h.act(officer, code, "steps", {"step": "process"}).json()["error"]["code"] == "portal.step.out_of_order"
    assert h.act(officer, code, "steps", {"step": "assign"}).status_code == 200

    # one written supplement request listing what is missing; the clock stops
    r = h.act(officer, code, "supplement-request", {"missing": ["Tờ khai TK1-TS của lao động Nguyễn Văn B"]})
    assert r.status_code == 200 and r.json()["status"] == "supplement"
    assert h.act(officer, code, "supplement-request", {"missing": ["x"]}).json()["error"]["code"] == "portal.supplement.once"
    assert h.act(officer, code, "steps", {"step": "process"}).json()["error"]["code"] == "portal.dossier.paused"

    # the paused working days move the due date (simulate a request made 3 working days ago)
    d = Dossier.objects.get(code=code)
    today = timezone.localdate()
    paused_on = today
    while working_days_between(paused_on, today) < 3:
        paused_on -= dt.timedelta(days=1)
    Dossier.objects.filter(pk=d.pk).update(paused_on=paused_on)
    due_before = d.due_date
    r = h.act(employer_api, code, "supplement", {"files": [h.b64file("TK1-TS-b.xml", h.signed(h.tk1("Nguyễn Văn B"), issued, key))]})
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "in_progress" and r.json()["paused_days"] == 3
    assert dt.date.fromisoformat(r.json()["due_date"]) == add_working_days(due_before, 3)

    # a tampered supplement would have been refused like any intake (checked before the state changes)
    # late: apology with a new date
    due = dt.date.fromisoformat(r.json()["due_date"])
    new_date = add_working_days(due, 2)
    assert h.act(officer, code, "apology", {"reason": "x", "new_date": due.isoformat()}).json()["error"]["code"] == "portal.apology.date"
    r = h.act(officer, code, "apology", {"reason": "Chờ xác minh thời gian đóng tại đơn vị cũ", "new_date": new_date.isoformat()})
    assert r.status_code == 200 and r.json()["due_date"] == new_date.isoformat() and r.json()["apologised"]

    assert h.act(desk, code, "steps", {"step": "process", "note": "Đủ điều kiện"}).status_code == 200
    assert h.act(leader, code, "steps", {"step": "approve", "note": "Đồng ý"}).status_code == 200
    assert h.act(h.leader_api(), code, "steps", {"step": "sign", "note": "Đồng ý", **h.sign_fields()}).status_code == 200
    r = h.act(desk, code, "steps", {"step": "return"})
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "returned" and body["on_time"] is True
    kinds = [doc["kind"] for doc in body["documents"]]
    assert kinds == ["receipt", "supplement", "apology", "result"]
    for doc in body["documents"]:
        pdf = employer_api.get(f"/api/v1/portal/dossiers/{code}/documents/{doc['id']}/")
        assert pdf.status_code == 200
        report = verify_bytes(pdf.content)
        assert report.indication == "TOTAL_PASSED", (doc["kind"], report.to_dict())
    actions = [e["action"] for e in body["events"]]
    assert actions == ["receive", "assign", "supplement_request", "supplement", "apology", "process", "approve", "sign", "return"]
    slip = employer_api.get(f"/api/v1/portal/dossiers/{code}/control-slip/")
    assert slip.status_code == 200 and slip.content.startswith(b"%PDF")
    mails = Notification.objects.filter(object_id=str(Dossier.objects.get(code=code).pk), channel="email")
    assert mails.count() == len(actions)
    assert Notification.objects.filter(object_id=str(Dossier.objects.get(code=code).pk), channel="sms").count() == len(actions)


def test_refusal_with_reasons_is_final(api, employer_api, signed_600):
    code = h.submit(employer_api, signed_600)
    r = h.act(api("motcua.bd"), code, "refusal", {"reasons": ["Người lao động đã có quá trình đóng tại đơn vị khác"]})
    assert r.status_code == 200 and r.json()["status"] == "refused"
    assert r.json()["documents"][-1]["kind"] == "refusal"
    assert h.act(api("badinh"), code, "steps", {"step": "assign"}).json()["error"]["code"] == "portal.step.out_of_order"
    assert h.act(api("badinh"), code, "refusal", {"reasons": ["x"]}).json()["error"]["code"] == "portal.refusal.state"


def test_steps_need_the_right_role(api, employer_api, signed_600):
    code = h.submit(employer_api, signed_600)
    assert h.act(api("badinh"), code, "steps", {"step": "assign"}).status_code == 200
    assert h.act(api("motcua.bd"), code, "steps", {"step": "process"}).status_code == 200
    r = h.act(api("motcua.bd"), code, "steps", {"step": "approve"})  # approving is a leader's act
    assert r.status_code == 403
    assert h.act(api("lanhdao"), code, "steps", {"step": "approve"}).status_code == 200


def test_submitter_sees_only_own_dossiers_and_status_is_public(api, employer_api, signed_600, ivan_api):
    code = h.submit(employer_api, signed_600)
    assert [d["code"] for d in employer_api.get("/api/v1/portal/dossiers/").json()["results"]] == [code]
    assert ivan_api.get("/api/v1/portal/dossiers/").json()["results"] == []
    assert ivan_api.get(f"/api/v1/portal/dossiers/{code}/").status_code == 404
    r = api().get(f"/api/v1/portal/status/{code}/")
    assert r.status_code == 200
    assert set(r.json()) == {"code", "procedure", "unit", "status", "status_label", "received_on", "due_date", "finished_on"}
    assert r.json()["status_label"] == "Đang giải quyết"
    assert api().get("/api/v1/portal/status/nonsense/").json()["error"]["code"] == "portal.lookup.bad_code"


@pytest.mark.django_db
def test_dossiers_are_never_deleted(demo, pki):
    from kyso.core.errors import InvalidState

    d = h.make_dossier(demo.unit("HN.BD"))
    with pytest.raises(InvalidState):
        d.delete()
