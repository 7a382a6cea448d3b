"""Roles and permissions as `kyso.accounts` and the apps above it see them.

The registry (`Role`, `define`, `grant`) is in `kyso.core.roles` so that apps below `accounts` define their own
permissions; their constants are re-exported here for the apps above.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.audit.permissions import AUDIT_VERIFY, AUDIT_VIEW  # noqa: F401
from kyso.core.roles import Role, all_permissions, define, grant, permissions_of  # noqa: F401
from kyso.org.permissions import (ORG_IMPORT, ORG_MANAGE_PERSON, ORG_MANAGE_UNIT, ORG_VIEW_PERSON,  # noqa: F401
                                  ORG_VIEW_UNIT)

ACCOUNTS_MANAGE = define("accounts.manage", _("Manage accounts and role assignments"))
WORKDAYS_MANAGE = define("workdays.manage", _("Edit the working-day calendar"))
