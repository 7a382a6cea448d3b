"""Accounts, role assignments and API tokens (views, API and CLI call these)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.core.errors import Forbidden, InvalidInput, NotFound

from . import scope
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


def issue_token(user: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("accounts.token.name", _("Give the token a name."))
    if not 1 <= int(days) <= 730:
        raise InvalidInput("accounts.token.days", _("A token is valid for 1 to 730 days."))
    with audit.action("accounts.token.issue"):
        return ApiToken.issue(user, name[:100], timezone.now() + dt.timedelta(days=int(days)))


def revoke_token(user: User, key_id: str) -> ApiToken:
    token = ApiToken.objects.filter(user=user, key_id=key_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound("accounts.token.not_found", _("No active token with that id."))
    with audit.action("accounts.token.revoke"):
        token.revoked_at = timezone.now()
        token.save()
    return token


def unlock(user: User, *, actor=None) -> None:
    if actor is not None:
        unit = user.person.unit if user.person_id else None
        scope.require(actor, ACCOUNTS_MANAGE, unit)
    with audit.action("accounts.unlock"):
        user.failed_logins = 0
        user.locked_until = None
        user.save()
