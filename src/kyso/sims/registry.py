"""The registry's changes (letter 346/BHXH-CNTT): a leader's line registered, its terms changed from a date,
suspended, resumed, ended. A subscription's terms (state, plan, fees) change only by a dated event that is not
earlier than the last one, nor in a closed month, so the payment of any past month is recomputed exactly as it
was (see `report`). Every change runs through the step runner: state and permission at the paying unit as the
workflow declares (`flows.SUBSCRIPTION`), audited, nothing half-written."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kyso.core import dates, steps
from kyso.core.errors import Forbidden, InvalidInput, KysoError
from kyso.lifecycle.models import Certificate, CertStatus
from kyso.mobile.models import Channel, Credential
from kyso.org.models import Person, Unit
from kyso.workdays.calendar import today

from .flows import REGISTER, SUBSCRIPTION, refused
from .identifiers import normalize_carrier, normalize_iccid, normalize_msisdn
from .models import SERVICE_START, DataPlan, EventKind, SimSubscription, SubscriptionEvent, SubState
from .months import closed_through
from .permissions import SIMS_MANAGE
from .plans import MAX_FEE_VND, paying_unit_for, plan_for


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
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        if required:
            errors[field] = ("sims.date.missing", _("The date is required."))
        return None
    try:
        day = dates.parse(value)
    except KysoError:
        day = None
    if day is None:
        errors[field] = ("sims.date.invalid", _("Not a date (use dd/mm/yyyy)."))
    return day


def _certificate_for(person: Person, msisdn: str, certificate, errors: dict):
    """The SIM's certificate: given (a lifecycle record or its serial), or the one our SIM PKI service issued for
    this number. It must be the holder's own and not revoked or expired."""
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
    elif on > today():
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


def register(actor, *, person: Person, msisdn, carrier, iccid, in_service_on, plan: DataPlan | None = None,
             unit: Unit | None = None, certificate=None, data_fee=None, line_fee=None, connection_fee=None,
             contract: str = "", note: str = "") -> SimSubscription:
    """Record a leader's official SIM PKI line. Every field is checked and all errors are reported together."""
    if not steps.has_anywhere(actor, SIMS_MANAGE):
        raise refused(Forbidden("forbidden", _("You are not allowed to do this for this unit.")))
    errors: dict = {}
    if person is None:
        raise refused(InvalidInput("sims.person.missing", _("The holder is required."), fields={
            "person": ("sims.person.missing", _("The holder is required."))}))
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
    elif day is not None and day > today():
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

    def body(attempt):
        _raise(errors)
        try:
            with transaction.atomic():
                sub = SimSubscription.objects.create(
                    person=person, unit=unit, msisdn=msisdn, carrier=carrier, iccid=iccid, certificate=cert,
                    in_service_on=day, plan=plan, contract=str(contract or "")[:120], note=str(note or "")[:300],
                    created_by=actor if getattr(actor, "pk", None) else None, **fees)
        except IntegrityError:  # a concurrent registration of the same number or SIM
            raise InvalidInput("sims.msisdn.taken", _("The number or SIM serial is already registered.")) from None
        _snapshot(sub, EventKind.REGISTER, day, actor, note)
        return sub

    return steps.run(REGISTER, body, actor=actor, unit=unit)


def change_terms(actor, sub: SimSubscription, *, effective_on, plan: DataPlan | None = None, data_fee=None,
                 line_fee=None, certificate=None, contract=None, note: str = "") -> SimSubscription:
    """A new plan or contracted fees from a date (billing follows it), or the certificate after a renewal."""
    def body(attempt):
        errors: dict = {}
        on = _effective(sub, effective_on, errors)
        if plan is not None and not plan.is_active:
            errors["plan"] = ("sims.plan.inactive", _("This data plan is no longer in use."))
        new_plan = plan or sub.plan
        data = plan.data_fee_vnd if plan is not None and plan != sub.plan and data_fee in (None, "") else data_fee
        sub.data_fee_vnd = _fee(data, sub.data_fee_vnd, "data_fee", errors)
        sub.line_fee_vnd = _fee(line_fee, sub.line_fee_vnd, "line_fee", errors)
        if certificate not in (None, ""):
            sub.certificate = _certificate_for(sub.person, sub.msisdn, certificate, errors)
        _raise(errors)
        sub.plan = new_plan
        if contract is not None:
            sub.contract = str(contract)[:120]
        sub.save()
        _snapshot(sub, EventKind.CHANGE, on, actor, note)

    return SUBSCRIPTION.perform("change", sub, actor=actor, body=body)


def _set_state(actor, sub: SimSubscription, *, kind: str, effective_on, reason: str,
               reason_required: bool) -> SimSubscription:
    """Suspend, resume or end a line from a date (the workflow says from which states)."""
    reason = " ".join(str(reason or "").split())

    def body(attempt):
        errors: dict = {}
        on = _effective(sub, effective_on, errors)
        if reason_required and not reason:
            errors["reason"] = ("sims.reason.missing", _("The reason is required."))
        _raise(errors)
        sub.state = SUBSCRIPTION.transition(kind).target
        if sub.state == SubState.ENDED:
            sub.ended_on = on
        sub.save()
        _snapshot(sub, kind, on, actor, reason)

    return SUBSCRIPTION.perform(kind, sub, actor=actor, body=body)


def suspend(actor, sub, *, effective_on, reason: str) -> SimSubscription:
    """The line is suspended (a leader on long leave, a lost SIM being replaced): not billed from that day."""
    return _set_state(actor, sub, kind=EventKind.SUSPEND, effective_on=effective_on, reason=reason,
                      reason_required=True)


def resume(actor, sub, *, effective_on, reason: str = "") -> SimSubscription:
    return _set_state(actor, sub, kind=EventKind.RESUME, effective_on=effective_on, reason=reason,
                      reason_required=False)


def end(actor, sub, *, effective_on, reason: str) -> SimSubscription:
    """The line leaves service (retirement, a new post, the contract ends); the number may then be registered
    again for someone else. The record stays."""
    return _set_state(actor, sub, kind=EventKind.END, effective_on=effective_on, reason=reason,
                      reason_required=True)
