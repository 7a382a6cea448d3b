"""Role × endpoint × in-scope/out-of-scope: every endpoint of every app, one table each."""

import json

import pytest

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


def _outcome(ep, response, target):
    if ep.listed is not None:
        if response.status_code != 200:
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
    got_in = _outcome(ep, _call(client, ep, inside), inside)
    assert got_in == expected_in, f"{ep.name} as {user} on in-scope {inside_code}: got {got_in}, expected {expected_in}"
    if outside_code is None:
        assert expected_out == "-"
        return
    outside = _target(demo, outside_code)
    if ep.prepare:
        ep.prepare(outside)
    got_out = _outcome(ep, _call(client, ep, outside), outside)
    assert got_out == expected_out, f"{ep.name} as {user} on out-of-scope {outside_code}: got {got_out}, expected {expected_out}"
