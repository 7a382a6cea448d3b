"""Exceptions to the four-eyes rule for units that really have one officer (issue 16, finding 3).

The rule itself is in the step runner (`kyso.core.steps`, checked from the audit trail). Only the IT Center
sets an exception — for one unit, one pair of steps, with a reason and an end date — and every use of it is
audited by the runner ("steps.four_eyes.exception_used")."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import authz, steps
from kyso.core.errors import InvalidInput

from .models import DutyException, Unit
from .permissions import ORG_DUTY_EXCEPTION

SET = steps.step("org.duty_exception.set", perm=ORG_DUTY_EXCEPTION)
END = steps.step("org.duty_exception.end", perm=ORG_DUTY_EXCEPTION)
MAX_DAYS = 366


def set_exception(unit: Unit, *, step: str, other: str, reason: str, valid_until: dt.date, actor) -> DutyException:
    def body(attempt):
        if not reason.strip():
            raise InvalidInput("org.duty_exception.reason", _("State why this unit has only one officer."),
                               fields={"reason": ("required", _("This field is required."))})
        today = timezone.localdate()
        if not (today <= valid_until <= today + dt.timedelta(days=MAX_DAYS)):
            raise InvalidInput("org.duty_exception.until", _("The end date must be within a year from today."),
                               fields={"valid_until": ("range", _("The end date must be within a year from today."))})
        if not step or not other:
            raise InvalidInput("org.duty_exception.steps", _("Name both steps of the pair."))
        return DutyException.objects.create(unit=unit, step=step, other=other, reason=reason.strip(),
                                            valid_until=valid_until, set_by=actor)

    return steps.run(SET, body, actor=actor, unit=unit)


def end_exception(exc: DutyException, *, actor) -> DutyException:
    def body(attempt):
        exc.ended_at = timezone.now()
        exc.save()
        return exc

    return steps.run(END, body, actor=actor, obj=exc, unit=exc.unit)


def allows(actor, step, other: str, obj) -> bool:
    """Whether an exception in force lets `actor` do `step` after `other` (his units: where he holds a role)."""
    today = timezone.localdate()
    candidates = DutyException.objects.filter(step=step.name, other=other, ended_at__isnull=True,
                                              valid_until__gte=today).select_related("unit")
    return any(authz.has_role_at(actor, c.unit.path) for c in candidates)


def in_force() -> list[tuple[str, str, str]]:
    """(step, other, unit path) of every exception in force today (the queues ask who it lets, once a page)."""
    today = timezone.localdate()
    return list(DutyException.objects.filter(ended_at__isnull=True, valid_until__gte=today)
                .values_list("step", "other", "unit__path"))
