"""Issue 16, finding 3 (portal): one officer assigned, processed, approved and signed the same dossier.
Whoever assigned a dossier does not process it, whoever processed it neither approves nor signs its result —
through the step runner, from the API and the pages alike; the controls offered follow the same rule; an
IT Center exception (org.DutyException) lets a unit that really has one officer do both, each use audited."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from kyso.audit.models import AuditRecord
from kyso.core.context import acting_as
from kyso.org.models import DutyException
from kyso.portal.flows import DOSSIER
from kyso.portal.models import Dossier

from . import helpers as h


def _step(client, code, step, **extra):
    return client.post(f"/api/v1/portal/dossiers/{code}/steps/", {"step": step, **extra}, format="json")


def test_the_assigner_does_not_process_and_the_processor_neither_approves_nor_signs(api, demo, employer_api,
                                                                                   signed_600):
    code = h.submit(employer_api, signed_600)
    badinh, desk, leader = api("badinh"), api("motcua.bd"), api("lanhdao")
    assert _step(badinh, code, "assign").status_code == 200
    r = _step(badinh, code, "process")
    assert r.status_code == 403 and r.json()["error"]["code"] == "steps.four_eyes"
    assert Dossier.objects.get(code=code).step == "assign"
    assert _step(desk, code, "process").status_code == 200
    # badinh (who only assigned) may approve; motcua.bd, who processed, could not (and lacks the role anyway)
    d = Dossier.objects.get(code=code)
    assert not DOSSIER.may("approve", d, demo.user("motcua.bd"))
    assert DOSSIER.may("approve", d, demo.user("badinh"))
    assert _step(badinh, code, "approve").status_code == 200
    assert _step(h.leader_api(), code, "sign", **h.sign_fields()).status_code == 200
    assert Dossier.objects.get(code=code).status == "result_ready"


def test_a_processor_with_the_approvers_role_cannot_approve_his_own_work(api, demo, employer_api, signed_600):
    code = h.submit(employer_api, signed_600)
    assert _step(api("motcua.bd"), code, "assign").status_code == 200
    assert _step(api("badinh"), code, "process").status_code == 200
    for step in ("approve", "sign"):
        r = _step(api("badinh"), code, step)
        assert r.status_code in (403, 409), (step, r.json())
    r = _step(api("badinh"), code, "approve")
    assert r.json()["error"]["code"] == "steps.four_eyes"
    # the page does not offer the refused step, and refuses it when posted by hand
    web = Client(HTTP_ACCEPT_LANGUAGE="vi")
    web.force_login(demo.user("badinh"))
    page = web.get(f"/portal/d/{code}/").content.decode()
    assert 'name="step" value="approve"' not in page
    page = web.post(f"/portal/d/{code}/", {"op": "step", "step": "approve"}, follow=True).content.decode()
    assert "cán bộ khác" in page.lower() or "người khác" in page.lower()
    assert Dossier.objects.get(code=code).step == "process"
    # the leader approves and signs
    assert _step(api("lanhdao"), code, "approve").status_code == 200
    assert _step(h.leader_api(), code, "sign", **h.sign_fields()).status_code == 200


def test_an_assignee_named_at_assignment_processes_it(api, employer_api, signed_600):
    code = h.submit(employer_api, signed_600)
    r = _step(api("badinh"), code, "assign", assignee="badinh")
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.assign.self"
    r = _step(api("badinh"), code, "assign", assignee="hcm")
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.assign.not_an_officer"
    assert _step(api("badinh"), code, "assign", assignee="motcua.bd").status_code == 200
    assert Dossier.objects.get(code=code).assignee.username == "motcua.bd"
    r = _step(api("hanoi"), code, "process")
    assert r.status_code == 403 and r.json()["error"]["code"] == "portal.process.not_assignee"
    assert _step(api("motcua.bd"), code, "process").status_code == 200


def test_an_it_center_exception_lets_a_one_officer_unit_assign_and_process(api, demo, employer_api, signed_600):
    code = h.submit(employer_api, signed_600)
    badinh = demo.user("badinh")
    assert _step(api("badinh"), code, "assign").status_code == 200
    assert _step(api("badinh"), code, "process").status_code == 403
    with acting_as(demo.user("cntt")):
        DutyException.objects.create(unit=demo.unit("HN.BD"), step="portal.dossier.process",
                                     other="portal.dossier.assign", reason="Một cán bộ",
                                     valid_until=timezone.localdate() + dt.timedelta(days=30),
                                     set_by=demo.user("cntt"))
    assert DOSSIER.may("process", Dossier.objects.get(code=code), badinh)
    assert _step(api("badinh"), code, "process").status_code == 200
    assert AuditRecord.objects.filter(action="steps.four_eyes.exception_used").exists()
    # the exception covers that pair only: he still does not approve what he processed
    assert _step(api("badinh"), code, "approve").json()["error"]["code"] == "steps.four_eyes"
