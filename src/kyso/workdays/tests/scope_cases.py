"""Working-day endpoints in the role × endpoint × scope table. The calendar is the agency's, not a unit's: every
signed-in person reads it and computes deadlines with it; only the administrator changes it (no out-of-scope side:
the in- and out-of-scope targets of a unit officer read and are refused alike)."""

import datetime as dt

from kyso.core.scope_table import Endpoint
from kyso.workdays.models import DayKind, DayOverride


def _day(t) -> dt.date:
    """A date of the target's own (one per unit, so that the cases of two targets never collide)."""
    return dt.date(2031, 1, 1) + dt.timedelta(days=t.unit.pk % 300)


def _override(t):
    DayOverride.objects.update_or_create(date=_day(t), defaults={"kind": DayKind.HOLIDAY, "name": "Nghỉ bù"})


def _listed(t, data):
    rows = data["results"] if isinstance(data, dict) else data
    return any(row["date"] == _day(t).isoformat() for row in rows)


def _url(t):
    return f"/api/v1/workdays/overrides/{_day(t).isoformat()}/"


# Everybody reads the calendar; only the administrator changes it.
ENDPOINTS = [
    Endpoint("days.add", "GET", lambda t: "/api/v1/workdays/add/?date=2026-12-04&days=3"),
    Endpoint("days.between", "GET", lambda t: "/api/v1/workdays/between/?start=2026-12-01&end=2026-12-31"),
    Endpoint("overrides.list", "GET", lambda t: "/api/v1/workdays/overrides/?page_size=500", listed=_listed,
             prepare=_override),
    Endpoint("overrides.detail", "GET", _url, prepare=_override),
    Endpoint("overrides.create", "POST", lambda t: "/api/v1/workdays/overrides/",
             body=lambda t: {"date": _day(t).isoformat(), "kind": "holiday", "name": "Nghỉ bù"}),
    Endpoint("overrides.update", "PATCH", _url, body={"name": "Làm bù"}, prepare=_override),
    Endpoint("overrides.replace", "PUT", _url, prepare=_override,
             body=lambda t: {"date": _day(t).isoformat(), "kind": "working", "name": "Làm bù"}),
    Endpoint("overrides.delete", "DELETE", _url, prepare=_override),
]

EXPECT = """
endpoint          admin cntt  lanhdao kiemtoan hanoi   badinh  vanthu.hn thuebao motcua.hn
days.add          200/- 200/- 200/-   200/-    200/200 200/200 200/200   200/200 200/200
days.between      200/- 200/- 200/-   200/-    200/200 200/200 200/200   200/200 200/200
overrides.list    L/-   L/-   L/-     L/-      L/L     L/L     L/L       L/L     L/L
overrides.detail  200/- 200/- 200/-   200/-    200/200 200/200 200/200   200/200 200/200
overrides.create  201/- 403/- 403/-   403/-    403/403 403/403 403/403   403/403 403/403
overrides.update  200/- 403/- 403/-   403/-    403/403 403/403 403/403   403/403 403/403
overrides.replace 200/- 403/- 403/-   403/-    403/403 403/403 403/403   403/403 403/403
overrides.delete  204/- 403/- 403/-   403/-    403/403 403/403 403/403   403/403 403/403
"""
