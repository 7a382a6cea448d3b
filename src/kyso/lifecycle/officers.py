"""Who acts for whom: a subscriber acts for himself only (Form 01, Form 05); the officers of his managing
unit — the IT Center's officers where the IT Center is that unit — and the IT Center act for anyone in
their scope."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.core.errors import Forbidden

from .permissions import LC_CONFIRM, LC_REQUEST, LC_REVIEW
from .units import kept_by_it_center, managing_unit


def officer_perm(managing) -> str:
    """The permission of the officers who act for a managing unit."""
    return LC_REVIEW if kept_by_it_center(managing) else LC_CONFIRM


def is_managing_officer(user, managing) -> bool:
    """An officer of the managing unit `managing` (his scope covers it)."""
    return scope.can(user, officer_perm(managing), managing)


def is_officer_of(user, managing) -> bool:
    """An officer of the managing unit `managing`, or the IT Center."""
    return is_managing_officer(user, managing) or scope.can(user, LC_REVIEW)


def is_officer_for(user, unit) -> bool:
    """An officer over the managing unit of someone at `unit`, or the IT Center."""
    return is_officer_of(user, managing_unit(unit))


def require_acts_for(user, person, unit) -> None:
    """`user` may file or change a Form 01/05 for `person` (None: for the unit itself) at `unit`."""
    scope.require(user, LC_REQUEST, unit)
    if not is_officer_for(user, unit) and (person is None or getattr(user, "person_id", None) != person.pk):
        raise Forbidden("lifecycle.request.only_own",
                        _("A subscriber acts only for himself; the managing unit acts for others."))


def recorded(user):
    """The user to record as having done something (None for the system)."""
    return user if getattr(user, "pk", None) else None


def label(user) -> str:
    return getattr(user, "username", "") or "system"


def acts_for(user, person, unit) -> bool:
    """Whether `require_acts_for` would let `user` act (to show a control only to who may use it)."""
    try:
        require_acts_for(user, person, unit)
    except Forbidden:
        return False
    return True
