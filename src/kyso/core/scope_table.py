"""The role × endpoint × scope table: one test proves every endpoint honours unit scope.

Each app declares its endpoints in `<app>/tests/scope_cases.py`:

    ENDPOINTS = [Endpoint("units.detail", "GET", lambda t: f"/api/v1/units/{t.unit.code}/")]
    EXPECT = '''
    endpoint       admin cntt lanhdao hanoi badinh vanthu.hn thuebao motcua.hn kiemtoan
    units.detail   200/-  200/- 200/- 200/404 200/404 200/404 403/403 200/404 200/-
    '''

A cell is "<in scope>/<out of scope>": an HTTP status, `L` (listed) or `U` (not listed)
for list endpoints, `-` where the user has no out-of-scope target (agency-wide roles).
Endpoints that answer every role alike need not spell the same cells again: instead of its cells a row
may name an access profile (`PROFILES` below, or the app's own `PROFILES`, in the same format) or an
earlier row of its table:

    units.children   units.detail
    duty.end         it_center

The test builds, for each user, a target inside and one outside his scope (`Target`),
calls the endpoint as that user and compares.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

# For every demo user: the unit of an in-scope target and of an out-of-scope one.
# Agency-wide roles (assigned at VSS) have no out-of-scope unit.
TARGET_UNITS = {
    "admin": ("HCM.Q1", None),
    "cntt": ("HCM.Q1", None),
    "lanhdao": ("HCM.Q1", None),
    "kiemtoan": ("HCM.Q1", None),
    "hanoi": ("HN.BD", "HCM.Q1"),
    "badinh": ("HN.BD", "HN.CG"),
    "vanthu.hn": ("HN.BD", "HCM.Q1"),
    "thuebao": ("HN.BD", "HN.CG"),
    "motcua.hn": ("HN.BD", "HCM.Q1"),
}
USERS = list(TARGET_UNITS)


@dataclass
class Target:
    """What an endpoint acts on. Apps put their own objects in `extra` via `prepare`."""

    unit: object
    person: object
    extra: dict = field(default_factory=dict)


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable[[Target], str]
    body: Callable[[Target], dict] | dict | None = None
    listed: Callable[[Target, dict], bool] | None = None  # for list endpoints: is the target in the response?
    # (for an endpoint that answers 202 with a job, `listed` runs the job: L = it did its work, U = it refused)
    prepare: Callable[[Target], None] | None = None  # create the app's objects for a target
    format: str = "json"


# Every app that publishes an API (kyso.urls.API_APPS; core/tests/test_scope_coverage.py keeps them equal and checks
# that every API operation has a case). An app without `tests/scope_cases.py` is an error, never a silent skip.
APPS_WITH_CASES = ["org", "accounts", "audit", "workdays", "pki", "lifecycle", "signing", "portal", "mobile", "sims",
                   "eoffice", "jobs"]


# Access profiles several apps' endpoints share: a row of an EXPECT table may name one instead of spelling its cells.
PROFILES = """
profile            admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
# every role, whatever the unit (reference data, public lookups)
anyone             200/- 200/- 200/-   200/200 200/200 200/200   200/200 200/200   200/-
# the IT Center's alone (the administrator and its officers), agency-wide
it_center          200/- 200/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
it_center_creates  201/- 201/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
"""


def parse_expectations(text: str, profiles: dict | None = None) -> dict[tuple[str, str], tuple[str, str]]:
    """{(row, user): (in scope, out of scope)}; a row of one word takes the cells of that profile or earlier row."""
    profiles = profiles or {}
    lines = [ln.split() for ln in text.strip().splitlines() if ln.strip() and not ln.strip().startswith("#")]
    header = lines[0][1:]
    table = {}
    for row in lines[1:]:
        name, cells = row[0], row[1:]
        if len(cells) == 1:
            like = cells[0]
            source = table if (like, header[0]) in table else profiles
            for user in header:
                if (like, user) not in source:
                    raise KeyError(f"scope table row {name}: no profile or earlier row {like} for {user}")
                table[(name, user)] = source[(like, user)]
            continue
        if len(cells) != len(header):
            raise ValueError(f"scope table row {name}: {len(cells)} cells for {len(header)} users")
        for user, cell in zip(header, cells):
            inside, _sep, outside = cell.partition("/")
            table[(name, user)] = (inside, outside or "-")
    return table


def collect() -> list[tuple[Endpoint, str, tuple[str, str]]]:
    cases = []
    for app in APPS_WITH_CASES:
        module = importlib.import_module(f"kyso.{app}.tests.scope_cases")
        profiles = parse_expectations(PROFILES)
        if hasattr(module, "PROFILES"):
            profiles.update(parse_expectations(module.PROFILES))
        expect = parse_expectations(module.EXPECT, profiles)
        for ep in module.ENDPOINTS:
            for user in USERS:
                if (ep.name, user) not in expect:
                    raise KeyError(f"{app}: no expectation for {ep.name} × {user}")
                cases.append((ep, user, expect[(ep.name, user)]))
    return cases
