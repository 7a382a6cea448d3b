"""Roles and what each may do. Grants are data in code: one table, tested.

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


# --- the foundation's permissions
ORG_VIEW_UNIT = define("org.view_unit", _("See units"))
ORG_MANAGE_UNIT = define("org.manage_unit", _("Create and change units"))
ORG_VIEW_PERSON = define("org.view_person", _("See staff records"))
ORG_MANAGE_PERSON = define("org.manage_person", _("Create and change staff records"))
ORG_IMPORT = define("org.import", _("Import units and staff from CSV/XLSX"))
ACCOUNTS_MANAGE = define("accounts.manage", _("Manage accounts and role assignments"))
AUDIT_VIEW = define("audit.view", _("Read the audit trail"))
AUDIT_VERIFY = define("audit.verify", _("Verify the audit chain"))
WORKDAYS_MANAGE = define("workdays.manage", _("Edit the working-day calendar"))

grant(Role.IT_OFFICER, ORG_VIEW_UNIT, ORG_VIEW_PERSON, ORG_MANAGE_PERSON)
grant(Role.LEADER, ORG_VIEW_UNIT, ORG_VIEW_PERSON)
grant(Role.UNIT_OFFICER, ORG_VIEW_UNIT, ORG_VIEW_PERSON, ORG_MANAGE_PERSON, ORG_IMPORT)
grant(Role.CLERK, ORG_VIEW_UNIT, ORG_VIEW_PERSON)
grant(Role.ONESTOP_OFFICER, ORG_VIEW_UNIT)
grant(Role.AUDITOR, ORG_VIEW_UNIT, ORG_VIEW_PERSON, AUDIT_VIEW, AUDIT_VERIFY)
