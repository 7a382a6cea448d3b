"""Audit endpoints in the role × endpoint × scope table: records of a unit, the chain check."""

from kyso import audit
from kyso.core.context import acting_as
from kyso.core.scope_table import Endpoint


def _record(t):
    """An audit record about the target unit."""
    with acting_as(label="scope-table"):
        rec = audit.record("org.unit.scope_table", object_type="org.unit", object_id=t.unit.pk,
                           object_repr=t.unit.name, unit_path=t.unit.path, after={"x": 1})
    t.extra["seq"] = rec.seq


def _listed(t, data):
    return any(r["seq"] == t.extra["seq"] for r in data["results"])


ENDPOINTS = [
    Endpoint("records.list", "GET", lambda t: "/api/v1/audit/records/?action=org.unit.scope_table&page_size=500",
             listed=_listed, prepare=_record),
    Endpoint("records.detail", "GET", lambda t: f"/api/v1/audit/records/{t.extra['seq']}/", prepare=_record),
    Endpoint("verify", "POST", lambda t: "/api/v1/audit/verify/"),
]

# The auditor and the administrator read the whole trail and check the chain; nobody else reads it.
EXPECT = """
endpoint        admin   cntt    lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
records.list    L/-     403/-   403/-   403/403 403/403 403/403   403/403 403/403   L/-
records.detail  200/-   403/-   403/-   403/403 403/403 403/403   403/403 403/403   200/-
verify          200/-   403/-   403/-   403/403 403/403 403/403   403/403 403/403   200/-
"""
