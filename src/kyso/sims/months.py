"""Closing a month's SIM PKI payment: its totals archived, nothing dated in it afterwards, each paying unit's
officers told what they owe; the daily job closes each month on the 5th working day after it."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.accounts.models import RoleAssignment
from kyso.accounts.roles import Role
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidState
from kyso.notify.services import notify_person
from kyso.org.models import Unit
from kyso.workdays.calendar import add_working_days
from kyso.workdays.calendar import today as workday_today

from . import report
from .flows import MONTH_CLOSE
from .models import MonthClose, SimSubscription
from .permissions import SIMS_MANAGE


def closed_through() -> dt.date | None:
    """The last day of the latest closed month: nothing may be dated on or before it."""
    month = MonthClose.objects.order_by("-month").values_list("month", flat=True).first()
    if month is None:
        return None
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


CLOSE_ON_WORKING_DAY = 5  # the month's payment is closed on the 5th working day of the next month


def close_due_on(month: dt.date) -> dt.date:
    """When `month` is closed automatically: its last day + 5 Vietnamese working days (holidays counted out)."""
    first_next = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return add_working_days(first_next - dt.timedelta(days=1), CLOSE_ON_WORKING_DAY)


def may_close_months(user) -> bool:
    """Closing settles every unit's month at once: only who keeps the registry for the whole agency."""
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    return root is not None and scope.can(user, SIMS_MANAGE, root)


def close_month(actor, month, *, notify: bool = True) -> MonthClose:
    """Settle `month`: archive its totals, refuse any later change dated in it, tell each paying unit's officers
    what they owe. Months close in order and only once they are over."""
    month = (month if isinstance(month, dt.date) else report.parse_month(month)).replace(day=1)

    def body(attempt):
        if actor is not None and not may_close_months(actor):
            raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
        if month >= workday_today().replace(day=1):
            raise InvalidState("sims.month.not_over", _("%(month)s is not over yet.") % {
                "month": month.strftime("%m/%Y")})
        cutoff = closed_through()
        if cutoff is not None and month <= cutoff:
            raise InvalidState("sims.month.already_closed", _("%(month)s is already closed.") % {
                "month": month.strftime("%m/%Y")})
        rep = report.payment_report(None, month, via=None)   # totals only: no number is read
        groups = [{"unit": g.unit.code, "carrier": g.carrier, "lines": len(g.lines), "total_vnd": g.total_vnd}
                  for g in rep.groups]
        try:
            with transaction.atomic():
                closed = MonthClose.objects.create(month=month, lines=rep.line_count, total_vnd=rep.total_vnd,
                                                   groups=groups,
                                                   closed_by=actor if getattr(actor, "pk", None) else None)
        except IntegrityError:
            raise InvalidState("sims.month.already_closed", _("%(month)s is already closed.") % {
                "month": month.strftime("%m/%Y")}) from None
        if notify:
            _tell_units(rep, month, closed)
        return closed

    return steps.run(MONTH_CLOSE, body, actor=actor)


def _tell_units(rep, month: dt.date, closed: MonthClose) -> None:
    by_unit: dict = {}
    for g in rep.groups:
        unit = by_unit.setdefault(g.unit.pk, [g.unit, 0, 0])
        unit[1] += len(g.lines)
        unit[2] += g.total_vnd
    for unit, lines, total in by_unit.values():
        text = _("SIM PKI payment for %(month)s of %(unit)s: %(lines)s lines, %(total)s VND. The statement: "
                 "/sims/payment/?month=%(ym)s&unit=%(code)s") % {
            "month": month.strftime("%m/%Y"), "unit": unit.name, "lines": lines,
            "total": report._money(total), "ym": month.strftime("%m/%Y"), "code": unit.code}
        for ra in RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_OFFICER).select_related("user__person"):
            if ra.user.person_id:
                notify_person(ra.user.person, text, subject=str(_("SIM PKI payment statement")),
                              topic="sims.month.closed", obj=closed)


def close_due_months(today: dt.date | None = None) -> list[MonthClose]:
    """The daily job: close every month whose closing day has come (the first run closes from the earliest
    month with a line, telling the units about the latest one only)."""
    today = today or workday_today()
    cutoff = closed_through()
    if cutoff is not None:
        month = cutoff + dt.timedelta(days=1)
    else:
        first = SimSubscription.objects.order_by("in_service_on").values_list("in_service_on", flat=True).first()
        if first is None:
            return []
        month = first.replace(day=1)
    due = []
    while close_due_on(month) <= today and month < today.replace(day=1):
        due.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    # Catching up on a backlog (a new install), only the latest month's statement is sent.
    return [close_month(None, m, notify=(m == due[-1])) for m in due]
