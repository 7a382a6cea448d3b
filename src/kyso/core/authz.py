"""The permission model as the bottom layer sees it: `kyso.accounts` plugs its scope in at start-up.

`core` may not import `accounts` (it is below it), yet the menu, the DRF permission class, the step runner
and the queues all ask "may this user…". They ask here; `accounts.wiring` calls `install(scope)`."""

from __future__ import annotations

from typing import Any, Protocol


class Scope(Protocol):
    def require(self, user, perm: str, unit) -> None: ...
    def can(self, user, perm: str, unit) -> bool: ...
    def has_permission_anywhere(self, user, perm: str) -> bool: ...
    def scope_q(self, user, perm: str, path_field: str): ...
    def has_role(self, user, role: str) -> bool: ...
    def scope_paths(self, user, perm: str) -> list[str]: ...
    def has_role_at(self, user, path: str) -> bool: ...
    def permissions(self, user) -> set[str]: ...
    def role_labels(self, user) -> list[str]: ...
    def role_labels_for(self, perm: str) -> list[str]: ...


_scope: Any = None


def install(scope: Scope) -> None:
    global _scope
    _scope = scope


def _s() -> Scope:
    if _scope is None:
        raise RuntimeError("kyso.core.authz: no scope installed (kyso.accounts is not loaded)")
    return _scope


def require(user, perm: str, unit=None) -> None:
    _s().require(user, perm, unit)


def can(user, perm: str, unit=None) -> bool:
    return _s().can(user, perm, unit)


def has_permission_anywhere(user, perm: str) -> bool:
    return _s().has_permission_anywhere(user, perm)


def scope_q(user, perm: str, path_field: str = "unit__path"):
    return _s().scope_q(user, perm, path_field)


def has_role(user, role: str) -> bool:
    return _s().has_role(user, role)


def has_role_at(user, path: str) -> bool:
    """Whether `user` holds any role exactly at the unit with this path."""
    return _s().has_role_at(user, path)


def scope_paths(user, perm: str) -> list[str]:
    """The unit paths under which `user` holds `perm`."""
    return _s().scope_paths(user, perm)


def filter_by_scope(qs, user, perm: str, path_field: str = "unit__path"):
    return qs.filter(scope_q(user, perm, path_field))


def permissions(user) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return _s().permissions(user)


def role_labels(user) -> list[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return _s().role_labels(user)


def role_labels_for(perm: str) -> list[str]:
    return _s().role_labels_for(perm) if _scope is not None else []
