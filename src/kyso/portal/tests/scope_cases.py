"""Portal endpoints in the role × endpoint × scope table. Dossiers belong to the receiving office;
the catalogue and the status lookup are public; only submitter accounts submit (staff get 403)."""

import base64

from django.db import transaction

from kyso.accounts.models import User
from kyso.core.context import acting_as
from kyso.core.scope_table import Endpoint
from kyso.portal import processing, receipt_stamps
from kyso.portal.models import Dossier, DossierDocument, IntakeRule, SignerAuthorisation
from kyso.workdays.calendar import add_working_days


def _dossier(t):
    from .helpers import make_dossier

    t.extra["code"] = make_dossier(t.unit).code


def _a_later_working_day(t) -> str:
    """A working day after the dossier's due date and within a year of it: an apology's new date."""
    due = Dossier.objects.get(code=t.extra["code"]).due_date
    return add_working_days(due, 10).isoformat()


def _listed(t, data):
    return any(d["code"] == t.extra["code"] for d in data["results"])


_FILE = {"name": "D02-TS.xml", "content": base64.b64encode(b"<x/>").decode()}

ENDPOINTS = [
    Endpoint("portal.procedures", "GET", lambda t: "/api/v1/portal/procedures/",
             listed=lambda t, d: any(p["code"] == "600" for p in d["results"])),
    Endpoint("portal.procedure.edit", "PATCH", lambda t: "/api/v1/portal/procedures/601/", body={"processing_days": 6}),
    Endpoint("portal.dossiers", "GET", lambda t: "/api/v1/portal/dossiers/", listed=_listed, prepare=_dossier),
    Endpoint("portal.dossier", "GET", lambda t: f"/api/v1/portal/dossiers/{t.extra['code']}/", prepare=_dossier),
    Endpoint("portal.control_slip", "GET", lambda t: f"/api/v1/portal/dossiers/{t.extra['code']}/control-slip/",
             prepare=_dossier),
    Endpoint("portal.step", "POST", lambda t: f"/api/v1/portal/dossiers/{t.extra['code']}/steps/",
             body={"step": "assign"}, prepare=_dossier),
    Endpoint("portal.submit", "POST", lambda t: "/api/v1/portal/dossiers/", body={"procedure": "600", "files": [_FILE]}),
    Endpoint("portal.status", "GET", lambda t: f"/api/v1/portal/status/{t.extra['code']}/", prepare=_dossier),
]

# A dossier is its receiving office's: the unit's officers and its one-stop desk (and the administrator) act on it
# (`office`), the leadership and the auditor read it too (`office_and_readers`). The I-VAN registrations and the
# signer authorisations the office keeps are the office's alone. The IT Center has none of them.
PROFILES = """
profile               admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
office_and_readers    200/- 403/- 200/-   200/404 200/404 403/403   403/403 200/404   200/-
office                200/- 403/- 403/-   200/404 200/404 403/403   403/403 200/404   403/-
"""

EXPECT = """
endpoint              admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
portal.procedures     L/-   L/-   L/-     L/L     L/L     L/L       L/L     L/L       L/-
portal.procedure.edit it_center
portal.dossiers       L/-   403/- L/-     L/U     L/U     403/403   403/403 L/U       L/-
portal.dossier        office_and_readers
portal.control_slip   office_and_readers
portal.step           office
portal.submit         403/- 403/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
portal.status         anyone
"""


def _png(t):
    import io

    from ..barcode import encode_png
    from .helpers import d03

    f = io.BytesIO(encode_png(d03()))
    f.name = "scan.png"
    return {"image": f}


def _d03():
    from .helpers import d03

    return d03().decode()


def _counted(t, data):
    return any(r["received"] for r in data["rows"] if r["key"] == t.unit.name)


ENDPOINTS += [
    Endpoint("portal.statistics", "GET", lambda t: "/api/v1/portal/statistics/?group=unit", prepare=_dossier),
    Endpoint("portal.desk.decode", "POST", lambda t: "/api/v1/portal/desk/decode/", body=_png, format="multipart"),
    Endpoint("portal.desk.receive", "POST", lambda t: "/api/v1/portal/desk/dossiers/",
             body=lambda t: {"unit": t.unit.code, "procedure": "TE6", "submitter_kind": "commune",
                             "name": "UBND phường Kim Mã", "payload": _d03()}),
]

EXPECT += """portal.statistics     200/- 403/- 200/-   200/200 200/200 403/403   403/403 200/200   200/-
portal.desk.decode    200/- 403/- 403/-   403/403 403/403 403/403   403/403 200/200   403/-
portal.desk.receive   201/- 403/- 403/-   403/403 403/403 403/403   403/403 201/403   403/-
"""


def _registration(t):
    from kyso.core.context import acting_as
    from kyso.accounts.models import User
    from kyso.portal.models import IvanRegistration, Submitter

    from .helpers import submitter

    ivan = Submitter.objects.filter(user__username="scope.ivan").first() or \
        submitter("scope.ivan", "ivan", "HN", name="I-VAN phạm vi", tax_code="0100000009", with_cert=False)[0]
    with acting_as(label="test"):
        reg = IvanRegistration.objects.create(ivan=ivan, employer_tax_code="0100000001", employer_name="Công ty Phạm vi",
                                              unit=t.unit, valid_from="2020-01-01",
                                              registered_by=User.objects.get(username="admin"))
    t.extra["registration"] = reg.pk


ENDPOINTS += [
    Endpoint("portal.ivan_registrations", "GET", lambda t: "/api/v1/portal/ivan-registrations/", prepare=_registration,
             listed=lambda t, d: any(r["id"] == t.extra["registration"] for r in d["results"])),
    Endpoint("portal.ivan_registration.end", "POST",
             lambda t: f"/api/v1/portal/ivan-registrations/{t.extra['registration']}/end/", prepare=_registration),
    Endpoint("portal.ivan_registration.create", "POST", lambda t: "/api/v1/portal/ivan-registrations/",
             prepare=_registration,
             body=lambda t: {"ivan": "scope.ivan", "employer_tax_code": "0100000002", "employer_name": "Công ty B",
                             "unit": t.unit.code}),
]

EXPECT += """portal.ivan_registrations       L/-   403/- 403/-   L/U     L/U     403/403   403/403 L/U       403/-
portal.ivan_registration.end    office
portal.ivan_registration.create 201/- 403/- 403/-   201/403 201/403 403/403   403/403 201/403   403/-
"""


# ---------------------------------------------------------------- issue 16: the rest of the portal's operations

def _rule(t):
    t.extra["rule"] = IntakeRule.objects.order_by("code").values_list("code", flat=True).first()


def _with_receipt(t):
    _dossier(t)
    t.extra["doc"] = DossierDocument.objects.filter(dossier__code=t.extra["code"]).values_list("pk", flat=True).first()


def _stamped(t):
    _dossier(t)
    with acting_as(label="scope-table"), transaction.atomic():
        receipt_stamps.stamp_pending()


def _waiting_for_supplement(t):
    """A dossier whose office asked the submitter for a supplement (the step taken by the system)."""
    _dossier(t)
    with acting_as(label="scope-table"):
        processing.request_supplement(None, Dossier.objects.get(code=t.extra["code"]), ["Tờ khai D02-TS"])


def _authorisation(t):
    with acting_as(label="test"):
        t.extra["authorisation"] = SignerAuthorisation.objects.create(
            employer_tax_code="0100000001", employer_name="Công ty Phạm vi", person_id=f"0010{t.unit.pk:08d}",
            person_name="Nguyễn Văn Ủy Quyền", unit=t.unit, valid_from="2020-01-01",
            registered_by=User.objects.get(username="admin")).pk


D = "/api/v1/portal/dossiers/"
ENDPOINTS += [
    Endpoint("portal.procedure", "GET", lambda t: "/api/v1/portal/procedures/600/"),
    Endpoint("portal.intake_rules", "GET", lambda t: "/api/v1/portal/intake-rules/", prepare=_rule,
             listed=lambda t, d: any(r["code"] == t.extra["rule"] for r in d)),
    Endpoint("portal.intake_rule", "GET", lambda t: f"/api/v1/portal/intake-rules/{t.extra['rule']}/", prepare=_rule),
    Endpoint("portal.document", "GET", lambda t: f"{D}{t.extra['code']}/documents/{t.extra['doc']}/",
             prepare=_with_receipt),
    Endpoint("portal.receipt", "GET", lambda t: f"{D}{t.extra['code']}/receipt/", prepare=_dossier),
    Endpoint("portal.receipt_evidence", "GET", lambda t: f"{D}{t.extra['code']}/receipt/evidence/", prepare=_stamped),
    Endpoint("portal.supplement_request", "POST", lambda t: f"{D}{t.extra['code']}/supplement-request/",
             prepare=_dossier, body={"missing": ["Tờ khai D02-TS"]}),
    # the desk files a supplement for the submitter; a file that is no form of the procedure is refused (400) only
    # after the scope and the step were let through
    Endpoint("portal.supplement", "POST", lambda t: f"{D}{t.extra['code']}/supplement/",
             prepare=_waiting_for_supplement, body={"files": [_FILE]}),
    # a new date within a year of the due date (processing.APOLOGY_MAX_DAYS)
    Endpoint("portal.apology", "POST", lambda t: f"{D}{t.extra['code']}/apology/", prepare=_dossier,
             body=lambda t: {"reason": "Chờ xác minh", "new_date": _a_later_working_day(t)}),
    Endpoint("portal.refusal", "POST", lambda t: f"{D}{t.extra['code']}/refusal/", prepare=_dossier,
             body={"reasons": ["Không thuộc thẩm quyền"]}),
    Endpoint("portal.ivan_registration", "GET",
             lambda t: f"/api/v1/portal/ivan-registrations/{t.extra['registration']}/", prepare=_registration),
    Endpoint("portal.signer_authorisations", "GET", lambda t: "/api/v1/portal/signer-authorisations/",
             prepare=_authorisation, listed=lambda t, d: any(r["id"] == t.extra["authorisation"] for r in d["results"])),
    Endpoint("portal.signer_authorisation", "GET",
             lambda t: f"/api/v1/portal/signer-authorisations/{t.extra['authorisation']}/", prepare=_authorisation),
    Endpoint("portal.signer_authorisation.create", "POST", lambda t: "/api/v1/portal/signer-authorisations/",
             body=lambda t: {"employer_tax_code": "0100000001", "employer_name": "Công ty Phạm vi",
                             "person_id": f"0020{t.unit.pk:08d}", "person_name": "Trần Thị Ký", "unit": t.unit.code}),
    Endpoint("portal.signer_authorisation.end", "POST",
             lambda t: f"/api/v1/portal/signer-authorisations/{t.extra['authorisation']}/end/", prepare=_authorisation),
]

EXPECT += """portal.procedure                anyone
portal.intake_rules             portal.procedures
portal.intake_rule              anyone
portal.document                 office_and_readers
portal.receipt                  office_and_readers
portal.receipt_evidence         office_and_readers
portal.supplement_request       office
portal.supplement               400/- 403/- 403/-   403/404 403/404 403/403   403/403 400/404   403/-
portal.apology                  office
portal.refusal                  office
portal.ivan_registration        office
portal.signer_authorisations    portal.ivan_registrations
portal.signer_authorisation     office
portal.signer_authorisation.create portal.ivan_registration.create
portal.signer_authorisation.end office
"""


# ---------------------------------------------------------------- issue 16: a submitted file's contents (CCCDs)

def _with_file(t):
    """A dossier with an employee list the employer sent (its reads by staff are audited)."""
    from kyso.files.storage import store
    from kyso.portal.models import DossierFile

    _dossier(t)
    dossier = Dossier.objects.get(code=t.extra["code"])
    with acting_as(label="scope-table"), transaction.atomic():
        stored = store(b"<D02-TS><CCCD>001099000001</CCCD></D02-TS>", name="D02-TS.xml", media_type="application/xml",
                       purpose="portal.dossier", unit_path=dossier.unit.path)
        t.extra["file"] = DossierFile.objects.create(dossier=dossier, file=stored).pk


ENDPOINTS += [
    Endpoint("portal.dossier_file", "GET", lambda t: f"{D}{t.extra['code']}/files/{t.extra['file']}/",
             prepare=_with_file),
]

EXPECT += """portal.dossier_file             office_and_readers
"""
