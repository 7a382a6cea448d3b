"""SIM PKI registry endpoints in the role × endpoint × scope table. A line belongs to its paying unit: unit
officers see their subtree's lines; the IT Center (agency-wide) keeps them; the auditor reads all."""

import io

from kyso.core.scope_table import Endpoint
from kyso.jobs.models import Job
from kyso.jobs.worker import drain
from kyso.sims.services import luhn_complete


def _line(t):
    import datetime as dt

    from kyso.accounts.models import User
    from kyso.core.context import acting_as
    from kyso.sims import seed, services
    from kyso.sims.models import DataPlan, SimSubscription

    seed.apply()  # a transactional test may have flushed the migration's plans
    it = User.objects.get(username="cntt")
    n = 1 + SimSubscription.objects.count()
    with acting_as(it, channel="cli"):
        sub = services.register(it, person=t.person, unit=t.unit, msisdn=f"09110000{n:02d}", carrier="viettel",
                                iccid=services.luhn_complete(f"898402000001{n:06d}"), in_service_on=dt.date(2026, 1, 5),
                                plan=DataPlan.objects.get(tier=4))
    t.extra["sim"] = sub.pk


def _listed(t, data):
    return any(s["id"] == t.extra["sim"] for s in data["results"])


def _in_report(t, data):
    return any(line["id"] == t.extra["sim"] for g in data["groups"] for line in g["lines"])


def _plans(t):
    """The plans of the appendix (agency-wide reference data: no out-of-scope side)."""
    from kyso.sims import seed

    seed.apply()


ENDPOINTS = [
    Endpoint("sims.list", "GET", lambda t: "/api/v1/sims/subscriptions/", listed=_listed, prepare=_line),
    Endpoint("sims.detail", "GET", lambda t: f"/api/v1/sims/subscriptions/{t.extra['sim']}/", prepare=_line),
    Endpoint("sims.suspend", "POST", lambda t: f"/api/v1/sims/subscriptions/{t.extra['sim']}/suspend/",
             prepare=_line, body={"effective_on": "2026-02-01", "reason": "Kiểm tra phạm vi"}),
    Endpoint("sims.report", "GET", lambda t: "/api/v1/sims/report/?month=2026-02", listed=_in_report, prepare=_line),
    Endpoint("sims.close", "POST", lambda t: "/api/v1/sims/report/close/", prepare=_line, body={"month": "2026-01"}),
    Endpoint("plans.list", "GET", lambda t: "/api/v1/sims/plans/", prepare=_plans),
    Endpoint("plans.detail", "GET", lambda t: "/api/v1/sims/plans/1/", prepare=_plans),
    Endpoint("plans.update", "PATCH", lambda t: "/api/v1/sims/plans/1/", body={"name": "Lãnh đạo"}, prepare=_plans),
]

EXPECT = """
endpoint      admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
sims.list     L/-   L/-   U/-     L/U     L/U     U/U       U/U     U/U       L/-
sims.detail   200/- 200/- 404/-   200/404 200/404 404/404   404/404 404/404   200/-
sims.suspend  200/- 200/- 404/-   403/404 403/404 404/404   404/404 404/404   403/-
sims.report   L/-   L/-   403/-   L/U     L/U     403/403   403/403 403/403   L/-
# closing a month is agency-wide: only those who keep the registry at the root
sims.close    it_center_creates
# The plans of the appendix: read by all, changed by the administrator and the IT Center.
plans.list    anyone
plans.detail  anyone
plans.update  it_center
"""


# ---------------------------------------------------------------- issue 16: registering a line, importing lines

def _free_line(t):
    _plans(t)
    n = 50 + t.unit.pk
    t.extra["line"] = {"msisdn": f"09120000{n:02d}", "iccid": f"898402000002{n:06d}"}


def _register_body(t):
    return {"holder": t.person.email, "msisdn": t.extra["line"]["msisdn"], "carrier": "viettel",
            "iccid": luhn_complete(t.extra["line"]["iccid"]), "in_service_on": "05/01/2026", "plan": "4",
            "unit": t.unit.code}


def _import_body(t):
    line = t.extra["line"]
    f = io.BytesIO(("Email;Số điện thoại;Nhà mạng;Số serial SIM;Ngày sử dụng;Gói cước;Mã đơn vị thanh toán\n"
                    f"{t.person.email};{line['msisdn']};viettel;{luhn_complete(line['iccid'])};05/01/2026;4;"
                    f"{t.unit.code}\n").encode())
    f.name = "sim.csv"
    return {"file": f}


def _imported(t, data):
    """The import is a job (202): run it; did it write the line?"""
    drain()
    return bool(Job.objects.get(pk=data["id"]).result["applied"])


ENDPOINTS += [
    Endpoint("sims.register", "POST", lambda t: "/api/v1/sims/subscriptions/", prepare=_free_line, body=_register_body),
    Endpoint("sims.import", "POST", lambda t: "/api/v1/sims/import/", prepare=_free_line, body=_import_body,
             format="multipart", listed=_imported),
]

EXPECT += """sims.register it_center_creates
sims.import   L/-   L/-   403/-   403/403 403/403 403/403   403/403 403/403   403/-
"""
