"""Accounts, role assignments and API tokens (views, API and CLI call these)."""

from __future__ import annotations

import datetime as dt

from axes.utils import reset as axes_reset
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput

from . import scope, tokens
from .models import ApiToken, RoleAssignment, User
from .roles import ACCOUNTS_MANAGE, Role


def assign_role(user: User, role: str, unit, *, actor=None) -> RoleAssignment:
    if role not in Role.values:
        raise InvalidInput("accounts.role", _("Unknown role %(role)s."), role=role)
    if actor is not None:
        scope.require(actor, ACCOUNTS_MANAGE, unit)
        if role == Role.SYSADMIN and not scope.has_role(actor, Role.SYSADMIN):
            raise Forbidden("accounts.sysadmin_only", _("Only a system administrator can grant that role."))
    with audit.action("accounts.role.assign"):
        assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
        if not assignment.is_active:
            assignment.is_active = True
            assignment.save()
    scope.forget(user)
    return assignment


def revoke_role(assignment: RoleAssignment, *, actor=None) -> None:
    if actor is not None:
        scope.require(actor, ACCOUNTS_MANAGE, assignment.unit)
    with audit.action("accounts.role.revoke"):
        assignment.is_active = False
        assignment.save()
    scope.forget(assignment.user)


def issue_token(user: User, name: str, days: int = tokens.MAX_TOKEN_DAYS, scopes=None, *, parent=None) -> tuple[ApiToken, str]:
    return tokens.issue(user, name, days, scopes, parent=parent)


def revoke_token(user: User, key_id: str) -> ApiToken:
    return tokens.revoke(user, key_id)


LOCK = steps.step("accounts.lock", perm=ACCOUNTS_MANAGE, label=_("Lock an account"))
UNLOCK = steps.step("accounts.unlock", perm=ACCOUNTS_MANAGE, label=_("Unlock an account"))


def lock(user: User, *, actor=None, days: int = 3650) -> None:
    """Lock an account: its web sessions and remote-signing (CSC) access tokens end at once."""
    def body(attempt):
        user.locked_until = timezone.now() + dt.timedelta(days=days)
        user.save()

    steps.run(LOCK, body, actor=actor, obj=user, unit=scope.home_unit(user))


def unlock(user: User, *, actor=None) -> None:
    """Lift an account's lock and the log-in pause of every address that tried it (django-axes)."""
    def body(attempt):
        user.failed_logins = 0
        user.locked_until = None
        user.save()
        axes_reset(username=user.username)

    steps.run(UNLOCK, body, actor=actor, obj=user, unit=scope.home_unit(user))
