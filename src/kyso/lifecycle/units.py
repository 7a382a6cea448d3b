"""Where a subscriber belongs under Decision 508: his managing unit, the unit a Form 02 list goes up to,
and the IT Center (the unit whose function is `it_center` — data, not a code in Python).

Who manages whom (Art. 2.6, 3): the managing units are the units directly under VSS, the province offices
and the district offices — the nearest unit up the tree whose level manages subscribers. The agency's
root (its leadership) has no managing-unit officer of its own: the General Director delegates the
management of the sector's subscribers to the IT Center (Art. 3.1), so the IT Center is the managing unit
of the people placed at the root, as it is of its own staff. Steps a managing-unit officer does for
those subscribers are done by the IT Center's officers (`flows.officer`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.core.errors import NotFound
from kyso.org.models import Unit, UnitFunction

from .models import Subscriber, SubscriberKind


def it_center() -> Unit:
    unit = Unit.objects.filter(function=UnitFunction.IT_CENTER, is_active=True).order_by("path").first()
    if unit is None:
        raise NotFound("lifecycle.it_center.missing", _("No active unit is marked as the IT Center."))
    return unit


def kept_by_it_center(unit: Unit) -> bool:
    """The IT Center is this managing unit: its officers do the managing-unit officer's steps."""
    return unit.function == UnitFunction.IT_CENTER


def managing_unit(unit: Unit) -> Unit:
    """The subscriber-managing unit of someone at `unit` (the IT Center for the agency's root)."""
    u = unit
    while u is not None:
        if u.level.manages_subscribers:
            return it_center() if u.parent_id is None else u
        u = u.parent
    return unit


def next_up(unit: Unit) -> Unit:
    """Where a managing unit sends its Form 02 list: district → its province office; province offices and
    units under the headquarters → the IT Center."""
    parent = unit.parent
    while parent is not None and not parent.level.manages_subscribers:
        parent = parent.parent
    if parent is None or parent.parent is None:   # the parent is the headquarters itself
        return it_center()
    return parent


def subscriber_for(kind: str, person, unit: Unit) -> Subscriber:
    """The subscriber record of a person (his own certificates) or of a unit (its seal certificate)."""
    if kind == SubscriberKind.PERSON:
        sub = Subscriber.objects.filter(kind=kind, person=person).first()
        if sub is None:
            sub = Subscriber.objects.create(kind=kind, person=person, unit=person.unit,
                                            managing_unit=managing_unit(person.unit))
        return sub
    sub = Subscriber.objects.filter(kind=kind, unit=unit).first()
    if sub is None:
        sub = Subscriber.objects.create(kind=kind, unit=unit, managing_unit=managing_unit(unit))
    return sub
