"""The one-stop workflow: configurable steps per procedure (receive → assign → process → approve →
sign → return), one written supplement request that pauses the clock, an apology with a new date
when late, refusal with reasons, the result signed with the organisation certificate (Decree 61/2018,
Circular 01/2018/TT-VPCP). Every step is scoped, audited, logged on the control slip and notified."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core.errors import Forbidden, InvalidInput, InvalidState, NotFound
from kyso.files import storage
from kyso.org.models import Unit
from kyso.workdays.calendar import add_working_days, is_working_day, working_days_between

from . import documents, tracking
from .intake import Upload, check_uploads
from .models import DocKind, Dossier, DossierFile, DossierKind, Status, Step, Submitter
from .permissions import PORTAL_APPROVE, PORTAL_PROCESS, PORTAL_RECEIVE, PORTAL_VIEW

STEP_PERMISSION = {Step.RECEIVE: PORTAL_RECEIVE, Step.ASSIGN: PORTAL_PROCESS, Step.PROCESS: PORTAL_PROCESS,
                   Step.APPROVE: PORTAL_APPROVE, Step.SIGN: PORTAL_APPROVE, Step.RETURN: PORTAL_RECEIVE}


def visible(user):
    """Dossiers `user` may see: a submitter his own, staff those of the units in their scope."""
    qs = Dossier.objects.all()
    if user is None or not user.is_authenticated:
        return qs.none()
    if Submitter.objects.filter(user=user).exists():
        return qs.filter(submitted_by=user)
    paths = scope.scope_paths(user, PORTAL_VIEW)
    if not paths:
        return qs.none()
    from django.db.models import Q
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p)
    return qs.filter(unit_id__in=list(Unit.objects.filter(q).values_list("id", flat=True)))


def get(user, code: str) -> Dossier:
    dossier = visible(user).select_related("unit", "procedure", "intake_rule").filter(code=code).first()
    if dossier is None:
        raise NotFound("portal.dossier.not_found", _("There is no dossier %(code)s you may see."), code=code)
    return dossier


def steps_of(dossier: Dossier) -> list[str]:
    return list(dossier.procedure.steps.order_by("position").values_list("step", flat=True))


def next_step(dossier: Dossier) -> str | None:
    if dossier.status not in (Status.IN_PROGRESS, Status.RESULT_READY):
        return None
    steps = steps_of(dossier)
    i = steps.index(dossier.step) if dossier.step in steps else 0
    return steps[i + 1] if i + 1 < len(steps) else None


def _require_any(user, unit, *perms):
    if not any(scope.can(user, p, unit) for p in perms):
        raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("unit", "procedure").get(pk=dossier.pk)


def advance(user, dossier: Dossier, step: str, *, note: str = "", assignee=None) -> Dossier:
    if step not in Step.values:
        raise InvalidInput("portal.step.unknown", _("Unknown workflow step %(step)s."), step=step)
    scope.require(user, STEP_PERMISSION[step], dossier.unit)
    dossier = _lock(dossier)
    if dossier.status == Status.SUPPLEMENT:
        raise InvalidState("portal.dossier.paused", _("The dossier waits for the supplement the submitter was asked for."))
    expected = next_step(dossier)
    if step != expected:
        raise InvalidState("portal.step.out_of_order", _("The next step of dossier %(code)s is %(expected)s, not %(step)s."),
                           code=dossier.code, expected=Step(expected).label if expected else "—", step=Step(step).label)
    with audit.action(f"portal.dossier.{step}"):
        if step == Step.ASSIGN:
            dossier.assignee = assignee or user
        if step == Step.SIGN:
            dossier.status = Status.RESULT_READY
        if step == Step.RETURN:
            dossier.status = Status.RETURNED
            dossier.finished_on = timezone.localdate()
            dossier.on_time = dossier.finished_on <= dossier.due_date
        dossier.step = step
        dossier.save()
        if step == Step.SIGN:
            documents.issue(dossier, DocKind.RESULT, documents.result(dossier, note), {"note": note})
        tracking.log(dossier, step, note)
    messages = {Step.SIGN: _("The result of dossier %(code)s is signed and ready."),
                Step.RETURN: _("The result of dossier %(code)s has been returned to you electronically.")}
    tracking.tell(dossier, str(messages.get(step, _("Dossier %(code)s: step %(step)s done."))) %
                  {"code": dossier.code, "step": Step(step).label})
    return dossier


def request_supplement(user, dossier: Dossier, missing: list[str], note: str = "") -> Dossier:
    """The one written request listing everything missing; the clock stops until the supplement arrives."""
    _require_any(user, dossier.unit, PORTAL_PROCESS, PORTAL_RECEIVE)
    missing = [m.strip() for m in missing if m and m.strip()]
    if not missing:
        raise InvalidInput("portal.supplement.nothing_listed", _("List what is missing from the dossier."),
                           fields={"missing": ("required", _("List what is missing from the dossier."))})
    dossier = _lock(dossier)
    if dossier.supplement_requested:
        raise InvalidState("portal.supplement.once", _("A dossier gets one written supplement request only (Decree 61/2018)."))
    if dossier.status != Status.IN_PROGRESS or dossier.step in (Step.SIGN, Step.RETURN):
        raise InvalidState("portal.supplement.state", _("A supplement can be requested only while the dossier is processed."))
    with audit.action("portal.dossier.supplement_request"):
        dossier.status = Status.SUPPLEMENT
        dossier.supplement_requested = True
        dossier.paused_on = timezone.localdate()
        dossier.save()
        documents.issue(dossier, DocKind.SUPPLEMENT, documents.supplement_request(dossier, missing, note),
                        {"missing": missing, "note": note})
        tracking.log(dossier, "supplement_request", "; ".join(missing))
    tracking.tell(dossier, _("Dossier %(code)s needs a supplement: %(missing)s") % {"code": dossier.code, "missing": "; ".join(missing)})
    return dossier


def supplement(user, dossier: Dossier, files: list[Upload], note: str = "") -> Dossier:
    """The submitter's supplement: checked like an intake; the due date moves by the paused working days."""
    if dossier.submitted_by_id != getattr(user, "pk", None) and not scope.can(user, PORTAL_RECEIVE, dossier.unit):
        raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
    dossier = _lock(dossier)
    if dossier.status != Status.SUPPLEMENT:
        raise InvalidState("portal.supplement.not_requested", _("No supplement was requested for this dossier."))
    checked = check_uploads(files, dossier.procedure, signed=dossier.kind == DossierKind.SIGNED, complete=False)
    today = timezone.localdate()
    paused = max(working_days_between(dossier.paused_on, today), 0)
    with audit.action("portal.dossier.supplement"):
        for c in checked:
            stored = storage.store(c.upload.data, name=c.upload.name or f"{c.form.code}.xml", media_type="application/xml",
                                   purpose="portal.dossier", unit_path=dossier.unit.path)
            DossierFile.objects.create(dossier=dossier, form=c.form, file=stored, supplement=True, indication=c.indication,
                                       signer=c.signer[:300], report=c.report)
        dossier.paused_days += paused
        dossier.due_date = add_working_days(dossier.due_date, paused)
        dossier.paused_on = None
        dossier.status = Status.IN_PROGRESS
        dossier.save()
        tracking.log(dossier, "supplement", note or _("%(n)s working day(s) paused") % {"n": paused})
    tracking.tell(dossier, _("Supplement to dossier %(code)s received; result now due on %(due)s.")
                  % {"code": dossier.code, "due": dossier.due_date.strftime("%d/%m/%Y")})
    return dossier


def apologise(user, dossier: Dossier, reason: str, new_date: dt.date) -> Dossier:
    """Late (or about to be): an apology with a new date, signed and sent; the due date moves."""
    scope.require(user, PORTAL_PROCESS, dossier.unit)
    if not reason.strip():
        raise InvalidInput("portal.apology.reason_required", _("Give the reason for the delay."),
                           fields={"reason": ("required", _("Give the reason for the delay."))})
    dossier = _lock(dossier)
    if dossier.status not in (Status.IN_PROGRESS, Status.RESULT_READY):
        raise InvalidState("portal.apology.state", _("Only a dossier still being processed can be given a new date."))
    if new_date <= dossier.due_date or not is_working_day(new_date):
        raise InvalidInput("portal.apology.date", _("The new date must be a working day after the current due date %(due)s."),
                           due=dossier.due_date.strftime("%d/%m/%Y"),
                           fields={"new_date": ("after_due", _("The new date must be a working day after the current due date."))})
    old = dossier.due_date
    with audit.action("portal.dossier.apology"):
        dossier.due_date = new_date
        dossier.apologised = True
        dossier.save()
        documents.issue(dossier, DocKind.APOLOGY, documents.apology(dossier, reason, old, new_date),
                        {"reason": reason, "old_date": old.isoformat(), "new_date": new_date.isoformat()})
        tracking.log(dossier, "apology", f"{reason} ({old:%d/%m/%Y} → {new_date:%d/%m/%Y})")
    tracking.tell(dossier, _("We apologise: dossier %(code)s is late; the new date is %(due)s.")
                  % {"code": dossier.code, "due": new_date.strftime("%d/%m/%Y")})
    return dossier


def refuse(user, dossier: Dossier, reasons: list[str]) -> Dossier:
    _require_any(user, dossier.unit, PORTAL_PROCESS, PORTAL_RECEIVE)
    reasons = [r.strip() for r in reasons if r and r.strip()]
    if not reasons:
        raise InvalidInput("portal.refusal.reason_required", _("Give the reasons for the refusal."),
                           fields={"reasons": ("required", _("Give the reasons for the refusal."))})
    dossier = _lock(dossier)
    if dossier.status in (Status.RETURNED, Status.REFUSED) or dossier.step in (Step.SIGN, Step.RETURN):
        raise InvalidState("portal.refusal.state", _("A dossier whose result is signed or returned cannot be refused."))
    with audit.action("portal.dossier.refuse"):
        dossier.status = Status.REFUSED
        dossier.finished_on = timezone.localdate()
        dossier.paused_on = None
        dossier.save()
        documents.issue(dossier, DocKind.REFUSAL, documents.refusal(dossier, reasons), {"reasons": reasons})
        tracking.log(dossier, "refuse", "; ".join(reasons))
    tracking.tell(dossier, _("Dossier %(code)s is refused: %(reasons)s") % {"code": dossier.code, "reasons": "; ".join(reasons)})
    return dossier
