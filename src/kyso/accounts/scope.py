"""Who may see and act on what: roles held at units cover those units' subtrees.

Every list, detail and action in Kyso asks this module. Lists filter with
`filter_by_scope(qs, user, perm, path_field)`, details and actions call `require()`.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import Forbidden
from kyso.org.models import Unit

from .models import RoleAssignment
from .roles import Role, permissions_of

_CACHE_ATTR = "_kyso_scope_cache"


def _assignments(user) -> list[tuple[str, str]]:
    """[(role, unit_path)] of the user's active roles, cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, is_active=True, unit__is_active=True).values_list("role", "unit__path")
        )
        if user.is_superuser:
            for root in Unit.objects.filter(parent__isnull=True).values_list("path", flat=True):
                cached.append((Role.SYSADMIN, root))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles(user) -> set[str]:
    return {role for role, _p in _assignments(user)}


def role_labels(user) -> list[str]:
    return sorted({str(Role(r).label) for r in roles(user) if r in Role.values})


def has_role(user, role: str) -> bool:
    return role in roles(user)


def permissions(user) -> set[str]:
    perms: set[str] = set()
    for role, _p in _assignments(user):
        perms |= permissions_of(role)
    return perms


def has_permission_anywhere(user, perm: str) -> bool:
    return perm in permissions(user)


def scope_paths(user, perm: str) -> list[str]:
    """Minimal list of unit paths under which `user` holds `perm`."""
    paths = sorted({p for role, p in _assignments(user) if perm in permissions_of(role)}, key=len)
    minimal: list[str] = []
    for p in paths:
        if not any(p.startswith(m) for m in minimal):
            minimal.append(p)
    return minimal


def scope_q(user, perm: str, path_field: str = "unit__path") -> Q:
    q = Q(pk__in=[])
    for p in scope_paths(user, perm):
        q |= Q(**{f"{path_field}__startswith": p})
    return q


def filter_by_scope(qs, user, perm: str, path_field: str = "unit__path"):
    paths = scope_paths(user, perm)
    if not paths:
        return qs.none()
    if "/" in paths:  # pragma: no cover - roots are "/<id>/", never "/"
        return qs
    return qs.filter(scope_q(user, perm, path_field))


def can(user, perm: str, unit=None) -> bool:
    """May `user` do `perm` on something belonging to `unit` (or anywhere, when unit is None)?"""
    if unit is None:
        return has_permission_anywhere(user, perm)
    path = unit if isinstance(unit, str) else unit.path
    return any(path.startswith(p) for p in scope_paths(user, perm))


def require(user, perm: str, unit=None) -> None:
    if not can(user, perm, unit):
        raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))


def role_labels_for(perm: str) -> list[str]:
    """The roles (other than the administrator) that hold `perm`: who a waiting step waits for."""
    return [str(r.label) for r in Role if r != Role.SYSADMIN and perm in permissions_of(r)]


def has_role_at(user, path: str) -> bool:
    """Whether `user` holds any role exactly at the unit with this path (a one-officer unit's officer)."""
    return any(p == path for _r, p in _assignments(user))


def home_unit(user) -> Unit | None:
    """The unit whose scope covers acting *on* `user`'s account or credentials: his staff record's unit. An
    account without one (the administrator's, a service account, one unlinked from its staff record) belongs to
    the agency root, so only roles held there act on it; "no unit" never means "anywhere" (issue 16)."""
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is not None:
        return person.unit
    return agency_root()


def agency_root() -> Unit | None:
    """The agency's root unit: where a step that concerns the whole agency (the CA's own operations, an account
    of no unit) is checked, so that only roles held there take it — a role held in a province never reads as
    "anywhere" (issue 16)."""
    return Unit.objects.filter(parent__isnull=True).order_by("path").first()
