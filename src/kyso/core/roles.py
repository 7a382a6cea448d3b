"""Roles and what each may do: the registry every app fills in (grants are data in code, one table, tested).

It lives in the bottom layer so that every app — `org` and `audit` too — defines and grants its permissions
without importing `accounts`, which sits above them and holds who has which role where.

A role is assigned to a user *at a unit*; it then covers that unit's whole subtree. A
role at the headquarters therefore covers the agency; a province officer's role covers
his province and its districts. Apps add their own permissions in `AppConfig.ready()`
with `grant()`, so the table grows with the product but stays in one place at run time.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("System administrator")
    IT_OFFICER = "it_officer", _("IT Center officer")
    LEADER = "leader", _("Approving leader")
    UNIT_OFFICER = "unit_officer", _("Managing-unit officer")
    CLERK = "clerk", _("Clerk")
    SUBSCRIBER = "subscriber", _("Subscriber")
    ONESTOP_OFFICER = "onestop_officer", _("One-stop officer")
    AUDITOR = "auditor", _("Auditor")


_GRANTS: dict[str, set[str]] = defaultdict(set)
_ALL_PERMISSIONS: dict[str, str] = {}


def define(perm: str, description) -> str:
    _ALL_PERMISSIONS[perm] = description
    return perm


def grant(role: str, *perms: str) -> None:
    for p in perms:
        if p not in _ALL_PERMISSIONS:
            raise KeyError(f"undefined permission {p}")
        _GRANTS[role].add(p)


def permissions_of(role: str) -> frozenset[str]:
    if role == Role.SYSADMIN:
        return frozenset(_ALL_PERMISSIONS)
    return frozenset(_GRANTS.get(role, ()))


def all_permissions() -> dict[str, str]:
    return dict(_ALL_PERMISSIONS)
