"""Role × endpoint × in-scope/out-of-scope: every endpoint of every app, one table each."""

import json

import pytest

from kyso.audit.models import AuditRecord
from kyso.core.scope_table import TARGET_UNITS, Target, collect

CASES = collect()


def _target(demo, unit_code):
    unit = demo.unit(unit_code)
    person = unit.people.order_by("pk").first()
    return Target(unit=unit, person=person)


def _call(client, ep, target):
    url = ep.url(target)
    body = ep.body(target) if callable(ep.body) else ep.body
    method = getattr(client, ep.method.lower())
    if body is None:
        return method(url)
    if ep.format == "json":
        return method(url, data=json.dumps(body), content_type="application/json")
    return method(url, data=body, format=ep.format)


REFUSED = {"403", "404"}


def _checked_call(client, ep, target):
    """The outcome of the call; a refusal (403/404) must leave nothing behind: no audited change of any kind (every
    registered model's save writes an audit record in the same transaction), so a refused step changed nothing."""
    before = AuditRecord.objects.count()
    got = _outcome(ep, _call(client, ep, target), target)
    if got in REFUSED:
        written = list(AuditRecord.objects.order_by("seq").values_list("action", flat=True)[before:])
        assert written == [], f"{ep.name}: refused with {got} but wrote {written}"
    return got


def _outcome(ep, response, target):
    if ep.listed is not None:   # a list (200), or a job (202: `listed` runs it and says whether it did its work)
        if response.status_code not in (200, 202):
            return str(response.status_code)
        return "L" if ep.listed(target, response.json()) else "U"
    return str(response.status_code)


@pytest.mark.parametrize("ep,user,expected", CASES, ids=[f"{ep.name}-{u}" for ep, u, _e in CASES])
def test_scope(demo, api, ep, user, expected):
    client = api(user)
    inside_code, outside_code = TARGET_UNITS[user]
    expected_in, expected_out = expected
    inside = _target(demo, inside_code)
    if ep.prepare:
        ep.prepare(inside)
    got_in = _checked_call(client, ep, inside)
    assert got_in == expected_in, f"{ep.name} as {user} on in-scope {inside_code}: got {got_in}, expected {expected_in}"
    if outside_code is None:
        assert expected_out == "-"
        return
    outside = _target(demo, outside_code)
    if ep.prepare:
        ep.prepare(outside)
    got_out = _checked_call(client, ep, outside)
    assert got_out == expected_out, f"{ep.name} as {user} on out-of-scope {outside_code}: got {got_out}, expected {expected_out}"
