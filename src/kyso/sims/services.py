"""The SIM PKI registry, step by step (letter 346/BHXH-CNTT). Views, API, CLI and the import call these; each
checks scope, keeps the dated history of billable terms and is audited in the same transaction.

A subscription's terms (state, plan, fees) change only by a dated event that is not earlier than the last one,
so the payment of any past month is recomputed exactly as it was (see `report`)."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core.errors import Forbidden, InvalidInput, InvalidState, NotFound
from kyso.core.tables import fold
from kyso.org.models import Person, Unit

from .models import (SERVICE_START, Carrier, DataPlan, EventKind, MonthClose, SimSubscription, SubscriptionEvent,
                     SubState)
from .permissions import SIMS_MANAGE, SIMS_VIEW

MAX_FEE_VND = 10_000_000  # a sanity bound per month for one line


def _today() -> dt.date:
    from kyso.workdays.calendar import today

    return today()


# ---------------------------------------------------------------- identifiers

def _luhn_sum(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total


def luhn_complete(prefix: str) -> str:
    """`prefix` with its Luhn check digit appended (how an ICCID's last digit is made)."""
    return prefix + str((10 - _luhn_sum(prefix + "0") % 10) % 10)


def normalize_iccid(value) -> str:
    """The SIM serial printed on the card (ITU-T E.118): 19–20 digits starting 89 (telecom), Luhn check digit."""
    raw = re.sub(r"[\s.\-]", "", str(value or ""))
    if not re.fullmatch(r"89\d{17,18}", raw):
        raise InvalidInput("sims.iccid.invalid", _("The SIM serial (ICCID) must be 19 or 20 digits starting with 89."))
    if _luhn_sum(raw) % 10:
        raise InvalidInput("sims.iccid.checksum", _("The SIM serial (ICCID) %(value)s has a wrong check digit."),
                           value=raw)
    return raw


def normalize_carrier(value) -> str:
    key = fold(value).replace(" ", "")
    for choice in Carrier:
        if key and (key == choice.value or key == fold(choice.label).replace(" ", "") or
                    (choice == Carrier.VINAPHONE and key in ("vnpt", "vinaphonevnpt", "vina"))
                    or (choice == Carrier.MOBIFONE and key == "mobi")):
            return choice.value
    raise InvalidInput("sims.carrier.unknown", _("The carrier must be Viettel, VinaPhone or MobiFone."))


def normalize_msisdn(value) -> str:
    from kyso.mobile.services import normalize_msisdn as mobile_msisdn

    return mobile_msisdn(value)


# ---------------------------------------------------------------- plans by title

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


def update_plan(actor, plan: DataPlan, **values) -> DataPlan:
    """Edit a plan's reference data (IT Center). Subscriptions keep their contracted fees."""
    scope.require(actor, SIMS_MANAGE)
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
    if errors:
        raise InvalidInput("sims.plan.invalid", _("The plan has errors."), fields=errors)
    with transaction.atomic(), audit.action("sims.plan.update"):
        plan.save()
    return plan


# ---------------------------------------------------------------- reading

def subscriptions_for(user, perm: str = SIMS_VIEW):
    qs = SimSubscription.objects.select_related("person", "unit", "plan", "certificate")
    return scope.filter_by_scope(qs, user, perm, "unit__path")


def get_subscription(user, pk) -> SimSubscription:
    try:
        return subscriptions_for(user).get(pk=int(pk))
    except (SimSubscription.DoesNotExist, ValueError, TypeError):
        raise NotFound("sims.subscription.not_found", _("No such SIM subscription.")) from None


def active_subscription(person: Person) -> SimSubscription | None:
    """The SIM PKI line a person signs with on his tablet now (None if he has none in service)."""
    return (SimSubscription.objects.filter(person=person, state=SubState.ACTIVE).select_related("plan")
            .order_by("-in_service_on").first())


CERT_WARNING_DAYS = 30


def needing_attention(user, perm: str = SIMS_MANAGE):
    """Lines in service that cannot sign on the tablet, or soon will not: no linked certificate, a certificate
    revoked or expired, or one expiring within 30 days (renew it and link the new one)."""
    from django.db.models import Q
    from django.utils import timezone

    from kyso.lifecycle.models import CertStatus

    soon = timezone.now() + dt.timedelta(days=CERT_WARNING_DAYS)
    return subscriptions_for(user, perm).filter(state=SubState.ACTIVE).filter(
        Q(certificate__isnull=True) | Q(certificate__status__in=[CertStatus.REVOKED, CertStatus.EXPIRED])
        | Q(certificate__not_after__lt=soon))


def line_refusal(msisdn: str):
    """Why a SIM cannot be asked to sign now (None if it can): its registered line is suspended or ended. A number
    the registry does not know is not refused (SIMs provisioned before the registry was kept)."""
    states = set(SimSubscription.objects.filter(msisdn=msisdn).values_list("state", flat=True))
    if not states or SubState.ACTIVE in states:
        return None
    if SubState.SUSPENDED in states:
        return Forbidden("sims.line.suspended", _("The SIM PKI line %(msisdn)s is suspended; the IT Center can "
                                                  "resume it."), msisdn="0" + msisdn[3:])
    return Forbidden("sims.line.ended", _("The SIM PKI line %(msisdn)s has ended."), msisdn="0" + msisdn[3:])


def search(user, *, q: str = "", unit: Unit | None = None, state: str = "", carrier: str = "",
           attention: bool = False):
    qs = needing_attention(user, SIMS_VIEW) if attention else subscriptions_for(user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if state in SubState.values:
        qs = qs.filter(state=state)
    if carrier in Carrier.values:
        qs = qs.filter(carrier=carrier)
    q = " ".join(str(q or "").split())[:100]
    if q:
        from django.db.models import Q

        digits = re.sub(r"\D", "", q)
        cond = Q(person__full_name__icontains=q) | Q(person__email__icontains=q)
        if len(digits) >= 4:
            cond |= Q(msisdn__contains=digits.lstrip("0")) | Q(iccid__contains=digits)
        qs = qs.filter(cond)
    return qs


# ---------------------------------------------------------------- validation helpers

def _fee(value, default: int, field: str, errors: dict) -> int:
    if value in (None, ""):
        return default
    try:
        n = int(str(value).replace(".", "").replace(",", "").replace(" ", "")) if not isinstance(value, int) else value
    except ValueError:
        n = -1
    if not 0 <= n <= MAX_FEE_VND:
        errors[field] = ("sims.fee.invalid", _("A fee must be a whole number of VND between 0 and 10,000,000."))
        return default
    return n


def _date(value, field: str, errors: dict, *, required: bool = True) -> dt.date | None:
    from kyso.org.services import parse_date

    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        if required:
            errors[field] = ("sims.date.missing", _("The date is required."))
        return None
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is None:
        errors[field] = ("sims.date.invalid", _("Not a date (use dd/mm/yyyy)."))
    return day


def _certificate_for(person: Person, msisdn: str, certificate, errors: dict):
    """The SIM's certificate: given (a lifecycle record or its serial), or the one our SIM PKI service issued for
    this number. It must be the holder's own and not revoked or expired."""
    from kyso.lifecycle.models import Certificate, CertStatus
    from kyso.mobile.models import Channel, Credential

    cred = Credential.objects.filter(channel=Channel.SIM, msisdn=msisdn).select_related("holder__person").first()
    if cred is not None and getattr(cred.holder, "person", None) != person:
        errors["msisdn"] = ("sims.msisdn.other_holder", _("This number's PKI SIM belongs to someone else."))
        return None
    if certificate in (None, ""):
        if cred is None:
            return None
        return Certificate.objects.filter(issued=cred.certificate).first()
    if not isinstance(certificate, Certificate):
        serial = re.sub(r"[\s:]", "", str(certificate)).lower()
        certificate = (Certificate.objects.filter(serial__iexact=serial, subscriber__person=person)
                       .order_by("-not_after").first())
        if certificate is None:
            errors["certificate"] = ("sims.certificate.not_found",
                                     _("No certificate of this holder with that serial number."))
            return None
    if certificate.subscriber.person_id != person.pk:
        errors["certificate"] = ("sims.certificate.other_holder", _("The certificate belongs to someone else."))
        return None
    if certificate.status in (CertStatus.REVOKED, CertStatus.EXPIRED):
        errors["certificate"] = ("sims.certificate.not_usable", _("The certificate is revoked or expired."))
        return None
    return certificate


def _check_unit(person: Person, unit: Unit | None, errors: dict) -> Unit:
    if unit is None:
        return paying_unit_for(person)
    if not person.unit.path.startswith(unit.path):
        errors["unit"] = ("sims.unit.not_above", _("The paying unit must be the holder's unit or a unit above it."))
    return unit


def _snapshot(sub: SimSubscription, kind: str, on: dt.date, actor, note: str = "") -> None:
    SubscriptionEvent.objects.create(subscription=sub, kind=kind, effective_on=on, state=sub.state, plan=sub.plan,
                                     data_fee_vnd=sub.data_fee_vnd, line_fee_vnd=sub.line_fee_vnd,
                                     note=str(note or "")[:300], actor=actor if getattr(actor, "pk", None) else None)


def _last_effective(sub: SimSubscription) -> dt.date:
    last = sub.events.order_by("-effective_on", "-pk").values_list("effective_on", flat=True).first()
    return last or sub.in_service_on


def closed_through() -> dt.date | None:
    """The last day of the latest closed month: nothing may be dated on or before it."""
    month = MonthClose.objects.order_by("-month").values_list("month", flat=True).first()
    if month is None:
        return None
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _closed_error(day: dt.date) -> tuple | None:
    cutoff = closed_through()
    if cutoff is not None and day <= cutoff:
        return ("sims.month.closed", _("The payment of %(month)s is closed; the date must be after %(day)s.") % {
            "month": cutoff.strftime("%m/%Y"), "day": cutoff.strftime("%d/%m/%Y")})
    return None


def _effective(sub: SimSubscription, value, errors: dict) -> dt.date | None:
    on = _date(value, "effective_on", errors)
    if on is None:
        return None
    if (closed := _closed_error(on)) is not None:
        errors["effective_on"] = closed
    elif on > _today():
        errors["effective_on"] = ("sims.date.future", _("The date cannot be in the future."))
    elif on < _last_effective(sub):
        errors["effective_on"] = ("sims.date.before_history",
                                  _("The date cannot be before the last change (%(day)s).") % {
                                      "day": _last_effective(sub).strftime("%d/%m/%Y")})
    return on


def _raise(errors: dict) -> None:
    if errors:
        first = next(iter(errors.values()))
        raise InvalidInput(first[0], first[1], fields=errors)


# ---------------------------------------------------------------- changes

def register(actor, *, person: Person, msisdn, carrier, iccid, in_service_on, plan: DataPlan | None = None,
             unit: Unit | None = None, certificate=None, data_fee=None, line_fee=None, connection_fee=None,
             contract: str = "", note: str = "") -> SimSubscription:
    """Record a leader's official SIM PKI line. Every field is checked and all errors are reported together."""
    if not scope.has_permission_anywhere(actor, SIMS_MANAGE):
        raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
    errors: dict = {}
    if person is None:
        raise InvalidInput("sims.person.missing", _("The holder is required."), fields={
            "person": ("sims.person.missing", _("The holder is required."))})
    if not person.is_active:
        errors["person"] = ("sims.person.inactive", _("The holder is no longer in service."))
    try:
        msisdn = normalize_msisdn(msisdn)
    except InvalidInput as exc:
        errors["msisdn"] = (exc.code, exc.message)
    try:
        carrier = normalize_carrier(carrier)
    except InvalidInput as exc:
        errors["carrier"] = (exc.code, exc.message)
    try:
        iccid = normalize_iccid(iccid)
    except InvalidInput as exc:
        errors["iccid"] = (exc.code, exc.message)
    day = _date(in_service_on, "in_service_on", errors)
    if day is not None and day < SERVICE_START:
        errors["in_service_on"] = ("sims.date.before_start",
                                   _("SIM PKI signing on tablets started on 10/02/2020 (letter 346/BHXH-CNTT)."))
    elif day is not None and day > _today():
        errors["in_service_on"] = ("sims.date.future", _("The date cannot be in the future."))
    elif day is not None and (closed := _closed_error(day)) is not None:
        errors["in_service_on"] = closed
    unit = _check_unit(person, unit, errors)
    if plan is None:
        plan = plan_for(person)
        if plan is None:
            errors["plan"] = ("sims.plan.none", _("The title %(title)s is not in the appendix of letter 346; choose "
                                                  "the plan of the equivalent title.") % {"title": person.title or "—"})
    elif not plan.is_active:
        errors["plan"] = ("sims.plan.inactive", _("This data plan is no longer in use."))
    if "msisdn" not in errors and SimSubscription.objects.filter(msisdn=msisdn).exclude(state=SubState.ENDED).exists():
        errors["msisdn"] = ("sims.msisdn.taken", _("The number %(msisdn)s is already registered.") % {
            "msisdn": "0" + msisdn[3:]})
    if "iccid" not in errors and SimSubscription.objects.filter(iccid=iccid).exclude(state=SubState.ENDED).exists():
        errors["iccid"] = ("sims.iccid.taken", _("This SIM serial is already registered."))
    cert = _certificate_for(person, msisdn, certificate, errors) if "msisdn" not in errors else None
    fees = {}
    if plan is not None:
        fees = dict(data_fee_vnd=_fee(data_fee, plan.data_fee_vnd, "data_fee", errors),
                    line_fee_vnd=_fee(line_fee, plan.line_fee_vnd, "line_fee", errors),
                    connection_fee_vnd=_fee(connection_fee, plan.connection_fee_vnd, "connection_fee", errors))
    _raise(errors)
    scope.require(actor, SIMS_MANAGE, unit)
    try:
        with transaction.atomic(), audit.action("sims.subscription.register"):
            sub = SimSubscription.objects.create(
                person=person, unit=unit, msisdn=msisdn, carrier=carrier, iccid=iccid, certificate=cert,
                in_service_on=day, plan=plan, contract=str(contract or "")[:120], note=str(note or "")[:300],
                created_by=actor if getattr(actor, "pk", None) else None, **fees)
            _snapshot(sub, EventKind.REGISTER, day, actor, note)
    except IntegrityError:  # a concurrent registration of the same number or SIM
        raise InvalidInput("sims.msisdn.taken", _("The number or SIM serial is already registered.")) from None
    return sub


def _locked(sub: SimSubscription) -> SimSubscription:
    return SimSubscription.objects.select_for_update().select_related("person", "unit", "plan").get(pk=sub.pk)


def change_terms(actor, sub: SimSubscription, *, effective_on, plan: DataPlan | None = None, data_fee=None,
                 line_fee=None, certificate=None, contract=None, note: str = "") -> SimSubscription:
    """A new plan or contracted fees from a date (billing follows it), or the certificate after a renewal."""
    scope.require(actor, SIMS_MANAGE, sub.unit)
    with transaction.atomic(), audit.action("sims.subscription.change"):
        sub = _locked(sub)
        if sub.state == SubState.ENDED:
            raise InvalidState("sims.subscription.ended", _("The subscription has ended."))
        errors: dict = {}
        on = _effective(sub, effective_on, errors)
        if plan is not None and not plan.is_active:
            errors["plan"] = ("sims.plan.inactive", _("This data plan is no longer in use."))
        new_plan = plan or sub.plan
        if plan is not None and plan != sub.plan:
            data_fee = plan.data_fee_vnd if data_fee in (None, "") else data_fee
        sub.data_fee_vnd = _fee(data_fee, sub.data_fee_vnd, "data_fee", errors)
        sub.line_fee_vnd = _fee(line_fee, sub.line_fee_vnd, "line_fee", errors)
        if certificate not in (None, ""):
            sub.certificate = _certificate_for(sub.person, sub.msisdn, certificate, errors)
        _raise(errors)
        sub.plan = new_plan
        if contract is not None:
            sub.contract = str(contract)[:120]
        sub.save()
        _snapshot(sub, EventKind.CHANGE, on, actor, note)
    return sub


def _set_state(actor, sub: SimSubscription, *, to: str, kind: str, allowed: tuple, effective_on, reason: str,
               reason_required: bool) -> SimSubscription:
    scope.require(actor, SIMS_MANAGE, sub.unit)
    reason = " ".join(str(reason or "").split())
    with transaction.atomic(), audit.action(f"sims.subscription.{kind}"):
        sub = _locked(sub)
        if sub.state not in allowed:
            raise InvalidState("sims.subscription.state", _("Not possible while the subscription is %(state)s.") % {
                "state": sub.get_state_display().lower()})
        errors: dict = {}
        on = _effective(sub, effective_on, errors)
        if reason_required and not reason:
            errors["reason"] = ("sims.reason.missing", _("The reason is required."))
        _raise(errors)
        sub.state = to
        if to == SubState.ENDED:
            sub.ended_on = on
        sub.save()
        _snapshot(sub, kind, on, actor, reason)
    return sub


def suspend(actor, sub, *, effective_on, reason: str) -> SimSubscription:
    """The line is suspended (a leader on long leave, a lost SIM being replaced): not billed from that day."""
    return _set_state(actor, sub, to=SubState.SUSPENDED, kind=EventKind.SUSPEND, allowed=(SubState.ACTIVE,),
                      effective_on=effective_on, reason=reason, reason_required=True)


def resume(actor, sub, *, effective_on, reason: str = "") -> SimSubscription:
    return _set_state(actor, sub, to=SubState.ACTIVE, kind=EventKind.RESUME, allowed=(SubState.SUSPENDED,),
                      effective_on=effective_on, reason=reason, reason_required=False)


def end(actor, sub, *, effective_on, reason: str) -> SimSubscription:
    """The line leaves service (retirement, a new post, the contract ends); the number may then be registered
    again for someone else. The record stays."""
    return _set_state(actor, sub, to=SubState.ENDED, kind=EventKind.END,
                      allowed=(SubState.ACTIVE, SubState.SUSPENDED), effective_on=effective_on, reason=reason,
                      reason_required=True)


# ---------------------------------------------------------------- closing a month

CLOSE_ON_WORKING_DAY = 5  # the month's payment is closed on the 5th working day of the next month


def close_due_on(month: dt.date) -> dt.date:
    """When `month` is closed automatically: its last day + 5 Vietnamese working days (holidays counted out)."""
    from kyso.workdays.calendar import add_working_days

    first_next = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return add_working_days(first_next - dt.timedelta(days=1), CLOSE_ON_WORKING_DAY)


def may_close_months(user) -> bool:
    """Closing settles every unit's month at once: only who keeps the registry for the whole agency."""
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    return root is not None and scope.can(user, SIMS_MANAGE, root)


def close_month(actor, month, *, notify: bool = True) -> MonthClose:
    """Settle `month`: archive its totals, refuse any later change dated in it, tell each paying unit's officers
    what they owe. Months close in order and only once they are over."""
    from kyso.accounts.models import RoleAssignment
    from kyso.accounts.roles import Role
    from kyso.notify.services import notify_person

    from . import report

    month = (month if isinstance(month, dt.date) else report.parse_month(month)).replace(day=1)
    if actor is not None and not may_close_months(actor):
        raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
    if month >= _today().replace(day=1):
        raise InvalidState("sims.month.not_over", _("%(month)s is not over yet.") % {"month": month.strftime("%m/%Y")})
    cutoff = closed_through()
    if cutoff is not None and month <= cutoff:
        raise InvalidState("sims.month.already_closed", _("%(month)s is already closed.") % {
            "month": month.strftime("%m/%Y")})
    with transaction.atomic(), audit.action("sims.month.close"):
        rep = report.payment_report(None, month)
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
        by_unit: dict = {}
        for g in rep.groups if notify else ():
            unit = by_unit.setdefault(g.unit.pk, [g.unit, 0, 0])
            unit[1] += len(g.lines)
            unit[2] += g.total_vnd
        for unit, lines, total in by_unit.values():
            text = _("SIM PKI payment for %(month)s of %(unit)s: %(lines)s lines, %(total)s VND. The statement: "
                     "/sims/payment/?month=%(ym)s&unit=%(code)s") % {
                "month": month.strftime("%m/%Y"), "unit": unit.name, "lines": lines,
                "total": report._money(total), "ym": month.strftime("%Y-%m"), "code": unit.code}
            for ra in RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_OFFICER).select_related("user__person"):
                if ra.user.person_id:
                    notify_person(ra.user.person, text, subject=str(_("SIM PKI payment statement")),
                                  topic="sims.month.closed", obj=closed)
    return closed


def close_due_months(today: dt.date | None = None) -> list[MonthClose]:
    """The daily job: close every month whose closing day has come (the first run closes from the earliest
    month with a line, telling the units about the latest one only)."""
    today = today or _today()
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
