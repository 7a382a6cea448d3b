"""SIM PKI registry endpoints in the role × endpoint × scope table. A line belongs to its paying unit: unit
officers see their subtree's lines; the IT Center (agency-wide) keeps them; the auditor reads all."""

from kyso.core.scope_table import Endpoint


def _line(t):
    import datetime as dt

    from kyso.accounts.models import User
    from kyso.core.context import acting_as
    from kyso.sims import seed, services
    from kyso.sims.models import DataPlan

    seed.apply()  # a transactional test may have flushed the migration's plans
    it = User.objects.get(username="cntt")
    n = 1 + services.SimSubscription.objects.count()
    with acting_as(it, channel="cli"):
        sub = services.register(it, person=t.person, unit=t.unit, msisdn=f"09110000{n:02d}", carrier="viettel",
                                iccid=services.luhn_complete(f"898402000001{n:06d}"), in_service_on=dt.date(2026, 1, 5),
                                plan=DataPlan.objects.get(tier=4))
    t.extra["sim"] = sub.pk


def _listed(t, data):
    return any(s["id"] == t.extra["sim"] for s in data)


def _in_report(t, data):
    return any(line["id"] == t.extra["sim"] for g in data["groups"] for line in g["lines"])


ENDPOINTS = [
    Endpoint("sims.list", "GET", lambda t: "/api/v1/sims/subscriptions/", listed=_listed, prepare=_line),
    Endpoint("sims.detail", "GET", lambda t: f"/api/v1/sims/subscriptions/{t.extra['sim']}/", prepare=_line),
    Endpoint("sims.suspend", "POST", lambda t: f"/api/v1/sims/subscriptions/{t.extra['sim']}/suspend/",
             prepare=_line, body={"effective_on": "2026-02-01", "reason": "Kiểm tra phạm vi"}),
    Endpoint("sims.report", "GET", lambda t: "/api/v1/sims/report/?month=2026-02", listed=_in_report, prepare=_line),
    Endpoint("sims.close", "POST", lambda t: "/api/v1/sims/report/close/", prepare=_line, body={"month": "2026-01"}),
]

EXPECT = """
endpoint      admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
sims.list     L/-   L/-   U/-     L/U     L/U     U/U       U/U     U/U       L/-
sims.detail   200/- 200/- 404/-   200/404 200/404 404/404   404/404 404/404   200/-
sims.suspend  200/- 200/- 404/-   403/404 403/404 404/404   404/404 404/404   403/-
sims.report   L/-   L/-   403/-   L/U     L/U     403/403   403/403 403/403   L/-
# closing a month is agency-wide: only those who keep the registry at the root
sims.close    201/- 201/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
"""
