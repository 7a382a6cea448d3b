"""API tokens: at most 90 days, scoped to API areas (read or write), listed and revoked by their owner and by
the administrator of the owner's unit.

A scope is "<area>:read" or "<area>:write" (write includes read); the area is the app that serves the endpoint
(`/api/v1/lifecycle/…` → "lifecycle"), "*" every area. Reading is GET/HEAD/OPTIONS; everything else writes.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput, NotFound

from . import scope
from .models import MAX_TOKEN_DAYS, ApiToken, User
from .roles import ACCOUNTS_MANAGE

AREAS = {
    "org": _("Units and staff"),
    "accounts": _("Accounts and API tokens"),
    "audit": _("Audit trail"),
    "workdays": _("Working-day calendar"),
    "pki": _("Certification authority"),
    "lifecycle": _("Certificate lifecycle"),
    "signing": _("Signing and verification"),
    "portal": _("Public service portal"),
    "mobile": _("Mobile and remote signing"),
    "sims": _("SIM subscriptions"),
    "eoffice": _("E-office"),
}
ACCESS = {"read": _("read"), "write": _("read and write")}
_VERBS = {"read": _("read data"), "write": _("change data")}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
ANY_AREA = "any"  # a view's `token_area`: readable with any token (who am I)

ISSUE = steps.step("accounts.token.issue", label=_("Create an API token"))
REVOKE = steps.step("accounts.token.revoke", label=_("Revoke an API token"))


def area_of(view) -> str:
    """The API area of a view: the Kyso app whose module defines it ('' for anything else)."""
    cls = getattr(view, "view_class", None) or getattr(view, "cls", None) or type(view)
    if getattr(cls, "token_area", None):
        return cls.token_area
    parts = (getattr(cls, "__module__", "") or "").split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "kyso" else ""


def check_use(token: ApiToken, area: str, method: str) -> None:
    """Refuse a call the token's scopes do not cover."""
    write = method.upper() not in SAFE_METHODS
    if area == ANY_AREA and not write:
        return
    if not token.allows(area or "*", write):
        raise Forbidden("accounts.token.scope",
                        _("This API token may not %(access)s in the area “%(area)s”; create a token with that scope."),
                        access=_VERBS["write" if write else "read"], area=AREAS.get(area, area or "*"))


def clean_scopes(values) -> list[str]:
    """Normalise scopes given as ["lifecycle:read", …]; refuse unknown areas or access levels."""
    if isinstance(values, str):
        values = [v for v in values.replace(",", " ").split() if v]
    if not isinstance(values, (list, tuple)) or not values:
        raise InvalidInput("accounts.token.scopes", _("Choose at least one API area the token may use."),
                           fields={"scopes": ("accounts.token.scopes", _("Choose at least one API area the token may use."))})
    cleaned: list[str] = []
    for value in values:
        area, _sep, access = str(value).strip().partition(":")
        if (area != "*" and area not in AREAS) or access not in ACCESS:
            raise InvalidInput("accounts.token.scope_unknown", _("Unknown token scope %(scope)s."), scope=str(value)[:60],
                               fields={"scopes": ("accounts.token.scope_unknown", _("Unknown token scope %(scope)s.") % {"scope": str(value)[:60]})})
        if f"{area}:{access}" not in cleaned:
            cleaned.append(f"{area}:{access}")
    return cleaned


def issue(user: User, name: str, days=MAX_TOKEN_DAYS, scopes=None, *, parent: ApiToken | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`. `parent`: the token the request came with — a token never mints a wider one."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("accounts.token.name", _("Give the token a name."))
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidInput("accounts.token.days", _("A token is valid for 1 to %(max)s days."), max=MAX_TOKEN_DAYS,
                           fields={"days": ("accounts.token.days", _("A token is valid for 1 to %(max)s days.") % {"max": MAX_TOKEN_DAYS})})
    wanted = clean_scopes(scopes)
    if parent is not None:
        for s in wanted:
            area, _sep, access = s.partition(":")
            if not parent.allows(area, access == "write"):
                raise Forbidden("accounts.token.wider", _("A token cannot create a token with more rights than its own."))
        expires = min(timezone.now() + dt.timedelta(days=days), parent.expires_at)
    else:
        expires = timezone.now() + dt.timedelta(days=days)
    return steps.run(ISSUE, lambda attempt: ApiToken.issue(user, name[:100], expires, wanted), actor=user)


def _owner_path(user: User) -> str:
    """The unit under which the account's tokens are managed; accounts without a staff record (I-VAN,
    external) belong to the whole agency."""
    return user.person.unit.path if user.person_id else ""


def may_manage(actor: User, owner: User) -> bool:
    path = _owner_path(owner)
    if path:
        return scope.can(actor, ACCOUNTS_MANAGE, path)
    return any(p.count("/") <= 2 for p in scope.scope_paths(actor, ACCOUNTS_MANAGE))


def managed(actor: User):
    """Tokens the actor administers: of accounts in his scope for managing accounts (his own excluded)."""
    paths = scope.scope_paths(actor, ACCOUNTS_MANAGE)
    if not paths:
        return ApiToken.objects.none()
    qs = ApiToken.objects.select_related("user", "user__person").exclude(user=actor)
    q = scope.scope_q(actor, ACCOUNTS_MANAGE, "user__person__unit__path")
    if any(p.count("/") <= 2 for p in paths):
        q |= Q(user__person__isnull=True)
    return qs.filter(q)


def revoke(actor: User, key_id: str) -> ApiToken:
    """The owner revokes his own token; an administrator any token of an account in his scope."""
    token = ApiToken.objects.select_related("user", "user__person").filter(key_id=str(key_id)[:16], revoked_at__isnull=True).first()
    if token is None or (token.user_id != actor.pk and not may_manage(actor, token.user)):
        raise NotFound("accounts.token.not_found", _("No active token with that id."))

    def body(attempt):
        token.revoked_at = timezone.now()
        token.save()
        return token

    return steps.run(REVOKE, body, actor=actor, obj=token)


def describe(token: ApiToken) -> list[str]:
    """The scopes in words."""
    out = []
    for s in token.scopes or []:
        area, _sep, access = s.partition(":")
        label = _("every area") if area == "*" else AREAS.get(area, area)
        out.append(f"{label} ({ACCESS.get(access, access)})")
    return out
