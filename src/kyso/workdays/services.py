"""Changes to the calendar: the override table (views, API and CLI call these)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.core.errors import InvalidInput

from .calendar import as_date
from .models import DayKind, DayOverride


def set_override(date, kind: str, name: str, legal_basis: str = "") -> DayOverride:
    day = as_date(date)
    if kind not in DayKind.values:
        raise InvalidInput("workdays.kind", _("The kind must be 'working' or 'holiday'."))
    if not (name or "").strip():
        raise InvalidInput("workdays.name", _("Give the override a name (e.g. the reason for the swap)."))
    with audit.action("workdays.override.set"):
        obj, _created = DayOverride.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name.strip()[:200], "legal_basis": (legal_basis or "").strip()[:200]}
        )
    return obj


def remove_override(date) -> None:
    day = as_date(date)
    with audit.action("workdays.override.remove"):
        for obj in DayOverride.objects.filter(date=day):
            obj.delete()
