"""Lifecycle endpoints in the role × endpoint × scope table. Targets are built straight in the state
each step needs (a request of the target unit's first staff member, its list, its certificate…)."""

import io

from django.db import transaction

from kyso import audit
from kyso.core.context import acting_as
from kyso.core.scope_table import Endpoint
from kyso.jobs.models import Job
from kyso.jobs.worker import drain

BASE = "/api/v1/lifecycle/"


def _ctx():
    return acting_as(label="scope-table", channel="cli")


def _request(t, state="submitted", with_cert=False):
    from kyso.lifecycle.models import IssuanceRequest
    from kyso.lifecycle.units import subscriber_for as _subscriber_for
    from kyso.workdays.calendar import today

    with _ctx(), transaction.atomic(), audit.action("test.prepare"):
        sub = _subscriber_for("person", t.person, t.unit)
        req = IssuanceRequest.objects.create(subscriber=sub, kind="person", unit=t.person.unit, state=state,
                                             full_name=t.person.full_name, workplace=t.unit.name, email=t.person.email,
                                             submitted_on=today())
    t.extra["request"] = req.pk
    if with_cert:
        _certificate(t)
        from kyso.lifecycle.models import Certificate

        with _ctx(), transaction.atomic(), audit.action("test.prepare"):
            Certificate.objects.filter(pk=t.extra["certificate"]).update(request=req)
    return req


def _certificate(t):
    from kyso.lifecycle.tests.factories import certificate_for

    t.extra["certificate"] = certificate_for("person", person=t.person).pk


def _list(t, state="draft", sent_to_it=False):
    from kyso.lifecycle.models import RequestList
    from kyso.lifecycle.units import it_center, managing_unit
    from kyso.workdays.calendar import today

    req = _request(t, "listed")
    with _ctx(), transaction.atomic(), audit.action("test.prepare"):
        lst = RequestList.objects.create(unit=managing_unit(t.unit), number="01/2026/DS-T", state=state,
                                         sent_to=it_center() if sent_to_it else None, created_on=today())
        req.unit_list = lst
        req.save()
    t.extra["list"] = lst.pk


def _approval_list(t, state="submitted"):
    from kyso.lifecycle.models import RequestList
    from kyso.lifecycle.units import it_center
    from kyso.workdays.calendar import today

    req = _request(t, "in_approval" if state == "submitted" else "approved")
    with _ctx(), transaction.atomic(), audit.action("test.prepare"):
        lst = RequestList.objects.create(unit=it_center(), number="01/2026/DSPD-T", state=state, is_approval_list=True,
                                         created_on=today())
        req.approval_list = lst
        req.save()
    t.extra["list"] = lst.pk


def _revocation(t, state="requested"):
    from kyso.lifecycle.models import Certificate, RevocationRequest
    from kyso.workdays.calendar import today

    _certificate(t)
    with _ctx(), transaction.atomic(), audit.action("test.prepare"):
        rev = RevocationRequest.objects.create(certificate=Certificate.objects.get(pk=t.extra["certificate"]),
                                               reason="d", detail="scope", state=state, requested_on=today())
    t.extra["revocation"] = rev.pk


def _device(t):
    from kyso.lifecycle.models import KeyDevice

    with _ctx(), transaction.atomic(), audit.action("test.prepare"):
        t.extra["device"] = KeyDevice.objects.create(serial=f"SCOPE-{t.unit.code}", unit=t.unit).pk


def _job(t):
    from django.utils import timezone

    from kyso.jobs.models import Job

    with _ctx(), transaction.atomic(), audit.action("test.prepare"):
        t.extra["job"] = Job.objects.create(kind="lifecycle.bulk_revoke", unit=t.unit, items=[0],
                                            run_after=timezone.now()).pk


def _record(t):
    from kyso.files.storage import store
    from kyso.lifecycle.models import Record
    from kyso.workdays.calendar import today

    with _ctx(), transaction.atomic(), audit.action("test.prepare"):
        pdf = store(b"%PDF-1.4 scope", name="x.pdf", media_type="application/pdf", purpose="test",
                    unit_path=t.unit.path)
        t.extra["record"] = Record.objects.create(form="01", title="x", subject_type="request", subject_id=0,
                                                  unit=t.unit, pdf=pdf, created_on=today()).pk


def _register(t):
    data = f"Loại,Mã đơn vị,Số hiệu,Hiệu lực đến\ntổ chức,{t.unit.code},ab{t.unit.pk:04x},31/12/2030\n".encode()
    f = io.BytesIO(data)
    f.name = "so.csv"
    return {"register": f}


def _imported(t, data):
    drain()
    return bool(Job.objects.get(pk=data["id"]).result["applied"])


def _issued_file(t):
    from kyso.lifecycle.tests.factories import ExternalCa, csr_for, pem

    key, _csr = csr_for(t.person.full_name)
    f = io.BytesIO(pem(ExternalCa().issue(key.public_key(), t.person.full_name, t.person.email)))
    f.name = "issued.pem"
    return {"file": f}


def _signed_pdf(t):
    f = io.BytesIO(b"%PDF-1.4 signed scan")
    f.name = "bien-ban-da-ky.pdf"
    return {"file": f}


def _has(key):
    return lambda t, d: any(r["id"] == t.extra[key] for r in d["results"])


R = lambda t: f"{BASE}requests/{t.extra['request']}/"    # noqa: E731
L = lambda t: f"{BASE}lists/{t.extra['list']}/"          # noqa: E731
C = lambda t: f"{BASE}certificates/{t.extra['certificate']}/"    # noqa: E731
V = lambda t: f"{BASE}revocations/{t.extra['revocation']}/"      # noqa: E731


def _waiting(state, step="", **fields):
    """A request in `state` with its open deadline step (the unit's, or the IT Center's) and these fields."""
    def prepare(t):
        from kyso.lifecycle import deadlines
        from kyso.lifecycle.models import IssuanceRequest
        from kyso.lifecycle.units import it_center

        req = _request(t, state)
        with _ctx(), transaction.atomic(), audit.action("test.prepare"):
            IssuanceRequest.objects.filter(pk=req.pk).update(**fields)
            if step:
                unit = req.subscriber.managing_unit if step == "supplement_complete" else it_center()
                deadlines.open_step("request", req.pk, step, unit)
    return prepare


_returned_request = _waiting("returned", guidance="Bổ sung địa chỉ thường trú")   # a return has its guidance
_supplement_request = _waiting("supplement", "supplement_complete")               # the unit was told: 5 days run
_refused_request = _waiting("refused", "refusal_notice")                          # the written notice still due
_sent_to_ca_request = _waiting("sent_to_ca")


ENDPOINTS = [
    Endpoint("lc.requests", "GET", lambda t: f"{BASE}requests/", listed=_has("request"), prepare=_request),
    Endpoint("lc.request", "GET", R, prepare=_request),
    Endpoint("lc.request.file", "POST", lambda t: f"{BASE}requests/", body=lambda t: {"kind": "person",
                                                                                         "person": t.person.pk}),
    Endpoint("lc.request.confirm", "POST", lambda t: R(t) + "confirm/", prepare=_request),
    Endpoint("lc.request.edit", "POST", lambda t: R(t) + "edit/", body={"title": "Chuyên viên chính"},
             prepare=_request),
    Endpoint("lc.request.hold", "POST", lambda t: R(t) + "hold/", body={"reason": "Đang xác minh"}, prepare=_request),
    Endpoint("lc.request.review", "POST", lambda t: R(t) + "review/", body={"valid": True},
             prepare=lambda t: _request(t, "received")),
    Endpoint("lc.request.resubmit", "POST", lambda t: R(t) + "resubmit/", prepare=_returned_request),
    Endpoint("lc.request.ca_outcome", "POST", lambda t: R(t) + "ca-outcome/",
             body={"outcome": "supplement", "reason": "Thiếu bản sao"}, prepare=_sent_to_ca_request),
    Endpoint("lc.request.notify_outcome", "POST", lambda t: R(t) + "notify-outcome/", prepare=_refused_request),
    Endpoint("lc.request.supplement_done", "POST", lambda t: R(t) + "supplement-done/",
             prepare=_supplement_request),
    Endpoint("lc.request.handover_unit", "POST", lambda t: R(t) + "handover-unit/",
             prepare=lambda t: _request(t, "issued", with_cert=True)),
    Endpoint("lc.request.handover_subscriber", "POST", lambda t: R(t) + "handover-subscriber/",
             prepare=lambda t: _request(t, "handed_to_unit", with_cert=True)),
    Endpoint("lc.request.activate", "POST", lambda t: R(t) + "activate/",
             prepare=lambda t: _request(t, "handed_to_subscriber", with_cert=True)),
    Endpoint("lc.request.signed_record", "POST", lambda t: R(t) + "signed-record/", body=_signed_pdf,
             format="multipart", prepare=lambda t: _request(t, "handed_to_unit", with_cert=True)),
    Endpoint("lc.request.form01", "GET", lambda t: R(t) + "form01.pdf/", prepare=_request),
    Endpoint("lc.request.form03", "GET", lambda t: R(t) + "form03.docx/",
             prepare=lambda t: _request(t, "issued", with_cert=True)),
    Endpoint("lc.request.form04", "GET", lambda t: R(t) + "form04.pdf/",
             prepare=lambda t: _request(t, "handed_to_subscriber", with_cert=True)),
    Endpoint("lc.lists", "GET", lambda t: f"{BASE}lists/", listed=_has("list"), prepare=_list),
    Endpoint("lc.list", "GET", L, prepare=_list),
    Endpoint("lc.list.compile", "POST", lambda t: f"{BASE}lists/", body=lambda t: {"unit": t.unit.code},
             prepare=lambda t: _request(t, "confirmed")),
    Endpoint("lc.list.send", "POST", lambda t: L(t) + "send/", prepare=_list),
    Endpoint("lc.list.receive", "POST", lambda t: L(t) + "receive/",
             prepare=lambda t: _list(t, "sent", sent_to_it=True)),
    Endpoint("lc.list.form02", "GET", lambda t: L(t) + "form02.xlsx/", prepare=_list),
    Endpoint("lc.list.approve", "POST", lambda t: L(t) + "approve/", prepare=_approval_list),
    Endpoint("lc.list.send_to_ca", "POST", lambda t: L(t) + "send-to-ca/",
             prepare=lambda t: _approval_list(t, "approved")),
    Endpoint("lc.list.export", "GET", lambda t: L(t) + "export/", prepare=lambda t: _approval_list(t, "approved")),
    Endpoint("lc.list.import_issued", "POST", lambda t: f"{BASE}lists/import-issued/", body=_issued_file,
             format="multipart", prepare=_sent_to_ca_request),
    Endpoint("lc.certs", "GET", lambda t: f"{BASE}certificates/", listed=_has("certificate"), prepare=_certificate),
    Endpoint("lc.cert", "GET", C, prepare=_certificate),
    Endpoint("lc.cert.renew", "POST", lambda t: C(t) + "renew/", prepare=_certificate),
    Endpoint("lc.cert.expiry", "GET", lambda t: f"{BASE}certificates/expiry/"),
    Endpoint("lc.cert.campaign", "GET", lambda t: f"{BASE}certificates/campaign/"),
    # a job (202): L = it recorded the row, U = it refused the register (a unit outside the importer's scope)
    Endpoint("lc.cert.import", "POST", lambda t: f"{BASE}certificates/import/", body=_register, format="multipart",
             listed=_imported),
    Endpoint("lc.cert.bulk_revoke", "POST", lambda t: f"{BASE}certificates/bulk-revoke/",
             body=lambda t: {"certificates": [t.extra["certificate"]], "reason": "d", "detail": "Giải thể"},
             prepare=_certificate),
    Endpoint("lc.revocations", "GET", lambda t: f"{BASE}revocations/", listed=_has("revocation"), prepare=_revocation),
    Endpoint("lc.revocation", "GET", V, prepare=_revocation),
    Endpoint("lc.revocation.file", "POST", lambda t: f"{BASE}revocations/",
             body=lambda t: {"certificate": t.extra["certificate"], "reason": "d", "detail": "Nghỉ hưu"},
             prepare=_certificate),
    Endpoint("lc.revocation.confirm", "POST", lambda t: V(t) + "confirm/", prepare=_revocation),
    Endpoint("lc.revocation.send", "POST", lambda t: V(t) + "send-to-ca/",
             prepare=lambda t: _revocation(t, "confirmed")),
    Endpoint("lc.revocation.ca_confirmed", "POST", lambda t: V(t) + "ca-confirmed/",
             prepare=lambda t: _revocation(t, "sent_to_ca")),
    Endpoint("lc.revocation.notify_unit", "POST", lambda t: V(t) + "notify-unit/",
             prepare=lambda t: _revocation(t, "revoked")),
    Endpoint("lc.revocation.return_device", "POST", lambda t: V(t) + "return-device/", body={},
             prepare=lambda t: _revocation(t, "unit_notified")),
    Endpoint("lc.revocation.form05", "GET", lambda t: V(t) + "form05.pdf/", prepare=_revocation),
    Endpoint("lc.devices", "GET", lambda t: f"{BASE}devices/", listed=_has("device"), prepare=_device),
    Endpoint("lc.device", "GET", lambda t: f"{BASE}devices/{t.extra['device']}/", prepare=_device),
    Endpoint("lc.device.register", "POST", lambda t: f"{BASE}devices/",
             body=lambda t: {"serial": f"NEW-{t.unit.code}", "unit": t.unit.code}),
    Endpoint("lc.device.change", "POST", lambda t: f"{BASE}devices/{t.extra['device']}/change/",
             body={"state": "damaged", "note": "Hỏng cổng USB"}, prepare=_device),
    Endpoint("lc.steps", "GET", lambda t: f"{BASE}steps/"),
    Endpoint("lc.jobs", "GET", lambda t: f"{BASE}jobs/", listed=_has("job"), prepare=_job),
    Endpoint("lc.job", "GET", lambda t: f"{BASE}jobs/{t.extra['job']}/", prepare=_job),
    Endpoint("lc.records", "GET", lambda t: f"{BASE}records/", listed=_has("record"), prepare=_record),
    Endpoint("lc.record.pdf", "GET", lambda t: f"{BASE}records/{t.extra['record']}/pdf/", prepare=_record),
    Endpoint("lc.record", "GET", lambda t: f"{BASE}records/{t.extra['record']}/", prepare=_record),
]

# A request, a list or a revocation is its unit's officers' (in their subtree) and the IT Center's, each at its own
# steps; the leadership and the auditor read them; the unit's other staff are not told it exists (404) — but they
# see the unit's certificates, devices and jobs.
PROFILES = """
profile          admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
officers_list    L/-   L/-   L/-     L/U     L/U     U/U       U/U     U/U       L/-
officers_read    200/- 200/- 200/-   200/404 200/404 404/404   404/404 404/404   200/-
staff_list       L/-   L/-   L/-     L/U     L/U     L/U       L/U     U/U       L/-
staff_read       200/- 200/- 200/-   200/404 200/404 200/404   200/404 404/404   200/-
officers_file    201/- 201/- 403/-   201/404 201/404 403/404   403/404 404/404   403/-
unit_step        200/- 403/- 403/-   200/404 200/404 404/404   404/404 404/404   403/-
it_step          200/- 200/- 403/-   403/404 403/404 404/404   404/404 404/404   403/-
unit_or_it_step  200/- 200/- 403/-   200/404 200/404 404/404   404/404 404/404   403/-
"""

EXPECT = """
endpoint                         admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
lc.requests                      officers_list
lc.request                       officers_read
lc.request.file                  officers_file
lc.request.confirm               unit_step
lc.request.edit                  unit_or_it_step
lc.request.hold                  unit_or_it_step
lc.request.review                it_step
lc.request.resubmit              unit_step
lc.request.ca_outcome            it_step
lc.request.notify_outcome        it_step
lc.request.supplement_done       unit_step
lc.request.handover_unit         it_step
lc.request.handover_subscriber   unit_step
lc.request.activate              it_step
lc.request.signed_record         201/- 201/- 403/-   403/404 403/404 404/404   404/404 404/404   403/-
lc.request.form01                200/- 200/- 404/-   200/404 200/404 404/404   404/404 404/404   404/-
lc.request.form03                officers_read
lc.request.form04                officers_read
lc.lists                         officers_list
lc.list                          officers_read
lc.list.compile                  201/- 403/- 403/-   201/403 201/403 403/403   403/403 403/403   403/-
lc.list.send                     unit_step
lc.list.receive                  it_step
lc.list.form02                   officers_read
lc.list.approve                  200/- 403/- 200/-   404/404 404/404 404/404   404/404 404/404   403/-
lc.list.send_to_ca               200/- 200/- 403/-   404/404 404/404 404/404   404/404 404/404   403/-
lc.list.export                   lc.list.send_to_ca
lc.list.import_issued            it_center_creates
lc.certs                         staff_list
lc.cert                          staff_read
lc.cert.renew                    officers_file
lc.cert.expiry                   anyone
lc.cert.campaign                 anyone
lc.cert.import                   L/-   L/-   403/-   L/U     L/U     403/403   403/403 403/403   403/-
lc.cert.bulk_revoke              202/- 403/- 403/-   202/404 202/404 403/404   403/404 404/404   403/-
lc.revocations                   officers_list
lc.revocation                    officers_read
lc.revocation.file               officers_file
lc.revocation.confirm            unit_step
lc.revocation.send               it_step
lc.revocation.ca_confirmed       it_step
lc.revocation.notify_unit        it_step
lc.revocation.return_device      unit_step
lc.revocation.form05             officers_read
lc.devices                       staff_list
lc.device                        staff_read
lc.device.register               201/- 201/- 403/-   201/403 201/403 403/403   403/403 403/403   403/-
lc.device.change                 200/- 200/- 403/-   200/404 200/404 403/404   403/404 404/404   403/-
lc.steps                         anyone
lc.jobs                          staff_list
lc.job                           staff_read
lc.records                       officers_list
lc.record.pdf                    officers_read
lc.record                        officers_read
"""
