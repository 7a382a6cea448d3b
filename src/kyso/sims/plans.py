"""The data plans of the appendix of letter 346 by title (editable reference data), the plan for a person's
title, and the unit that pays for a line."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import InvalidInput
from kyso.core.tables import fold
from kyso.org.models import Person, Unit

from .flows import PLAN_UPDATE
from .models import DataPlan

MAX_FEE_VND = 10_000_000  # a sanity bound per month for one line


def _rules(plan: DataPlan):
    for line in plan.title_rules.splitlines():
        title, _sep, where = line.partition("@")
        if not title.strip():
            continue
        level, _sep, province = where.strip().partition(":")
        yield fold(title), level.strip(), fold(province)


def _title_matches(title: str, rule_title: str) -> bool:
    return title == rule_title or title.startswith(rule_title + " ")


def plan_for(person: Person, unit: Unit | None = None) -> DataPlan | None:
    """The plan of the appendix of letter 346 for a person's title in his unit: the first (lowest) tier with a
    matching line; None for titles the appendix does not cover ("equivalent" titles are chosen by hand)."""
    unit = unit or person.unit
    title = fold(person.title)
    if not title:
        return None
    level, province = unit.level.code, fold(unit.province_name)
    for plan in DataPlan.objects.filter(is_active=True).order_by("tier"):
        for rule_title, rule_level, rule_province in _rules(plan):
            if not _title_matches(title, rule_title):
                continue
            if rule_level and rule_level != level:
                continue
            if rule_province and rule_province != province:
                continue
            return plan
    return None


def unit_by_code(code: str) -> Unit | None:
    """The unit a caller named by code (None when none was named)."""
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise InvalidInput("org.unit.not_found", _("No unit with code %(code)s."), code=code)
    return unit


def paying_unit_for(person: Person) -> Unit:
    """The unit that contracts the carrier and pays (letter 346): the nearest unit up from the person's own that
    has a seal of its own (an organisation with its own accounts)."""
    u = person.unit
    while u is not None:
        if u.has_own_seal:
            return u
        u = u.parent
    return person.unit


def agency_root() -> Unit | None:
    return Unit.objects.filter(parent__isnull=True).order_by("pk").first()


def may_edit_plans(user) -> bool:
    root = agency_root()
    return root is not None and steps.can(user, PLAN_UPDATE.perm, root)


def update_plan(actor, plan: DataPlan, **values) -> DataPlan:
    """Edit a plan's reference data (IT Center). Subscriptions keep their contracted fees."""
    errors = {}
    for name in ("high_speed_mb_per_day", "throttled_down_kbps", "throttled_up_kbps", "data_fee_vnd", "line_fee_vnd",
                 "connection_fee_vnd"):
        if name not in values or values[name] in (None, ""):
            continue
        try:
            n = int(str(values[name]).replace(".", "").replace(",", "").strip())
        except ValueError:
            n = -1
        if not 0 <= n <= MAX_FEE_VND:
            errors[name] = ("sims.number.invalid", _("Must be a whole number between 0 and 10,000,000."))
        else:
            setattr(plan, name, n)
    if "name" in values:
        name = " ".join(str(values["name"] or "").split())
        if not name:
            errors["name"] = ("sims.plan.name", _("The titles of the plan are required."))
        plan.name = name[:300]
    if "title_rules" in values:
        plan.title_rules = "\n".join(ln.strip() for ln in str(values["title_rules"] or "").splitlines() if ln.strip())
    if "is_active" in values:
        plan.is_active = bool(values["is_active"])

    def body(attempt):
        if errors:
            raise InvalidInput("sims.plan.invalid", _("The plan has errors."), fields=errors)
        plan.save()
        return plan

    # the appendix is the whole agency's reference data: only who keeps the registry at the root edits it (an IT
    # officer of a province may not change every unit's fees — issue 16)
    return steps.run(PLAN_UPDATE, body, actor=actor, unit=agency_root())
