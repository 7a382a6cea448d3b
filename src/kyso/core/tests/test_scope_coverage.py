"""Issue 16, "make the checks permanent": the role × endpoint × scope table covers every app and every endpoint.

It used to skip, silently, any app without a `tests/scope_cases.py` (accounts, audit, workdays), and nothing told
when an endpoint had no case. Now every app that publishes an API must have its cases, and every API operation
(path and method, under /api/v1/) must be reached by at least one case of the table."""

import pytest
from django.db import transaction
from django.urls import resolve
from drf_spectacular.generators import EndpointEnumerator

from kyso.core import scope_table
from kyso.core.scope_table import Target, collect
from kyso.urls import API_APPS

# Not unit-scoped, so not in the table, each for a reason: public documents and schema, the CSC API (its own bearer
# tokens and tests in kyso.mobile), the signing service whose scope is the signer's own key (kyso.signing tests).
OUTSIDE_THE_TABLE = {"/api/schema/", "/api/docs/", "/api/redoc/"}

# Operations still without a case (issue 16: to be added by the apps' owners). The list may only shrink: a new
# operation without a case fails, and so does one listed here once it has its case.
NOT_YET_COVERED: set[str] = set()


def test_every_app_with_an_api_has_its_cases():
    assert sorted(scope_table.APPS_WITH_CASES) == sorted(API_APPS)


def test_an_app_without_cases_is_an_error_not_a_skip(monkeypatch):
    monkeypatch.setattr(scope_table, "APPS_WITH_CASES", [*scope_table.APPS_WITH_CASES, "core"])
    with pytest.raises(ModuleNotFoundError):
        collect()


def _key(callback, method: str):
    """One operation: the view class and the action (a viewset) or the method; `/sign` and `/sign/` are one."""
    actions = getattr(callback, "actions", None) or {}
    return getattr(callback, "cls", callback), actions.get(method.lower(), method.upper())


def _operations() -> dict:
    ops = {}
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        if path.startswith("/api/v1/") and path not in OUTSIDE_THE_TABLE:
            ops.setdefault(_key(callback, method), f"{method} {path}")
    return ops


@pytest.mark.django_db
def test_every_api_operation_has_a_case(demo):
    covered, seen = set(), set()
    for ep, _user, _expected in collect():
        if ep.name in seen:
            continue
        seen.add(ep.name)
        with transaction.atomic():  # each case prepares its objects alone, as in the table's own test
            unit = demo.unit("HN.BD")
            target = Target(unit=unit, person=unit.people.order_by("pk").first())
            if ep.prepare:
                ep.prepare(target)
            match = resolve(ep.url(target).split("?")[0])
            transaction.set_rollback(True)
        covered.add(_key(match.func, ep.method))
    missing = {label for key, label in _operations().items() if key not in covered}
    new = sorted(missing - NOT_YET_COVERED)
    assert new == [], f"{len(new)} API operations without a scope case:\n" + "\n".join(new)
    done = sorted(NOT_YET_COVERED - missing)
    assert done == [], "these now have a case (or are gone): remove them from NOT_YET_COVERED:\n" + "\n".join(done)
