"""Taking a dossier through the one-stop workflow (`flows.DOSSIER`): the configured steps, one written
supplement request that pauses the clock, an apology with a new date when late, refusal with reasons, the
result signed by the office's leader with his own certificate, then sealed (Decree 61/2018, Circular
01/2018/TT-VPCP; Decision 508, Art. 8.2 and 8.5). Every step goes through the step runner (state, permission at
the receiving office, four eyes, savepoint, audit), is logged on the control slip and told to the submitter."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import InvalidInput
from kyso.files import storage
from kyso.workdays.calendar import add_working_days, is_working_day, working_days_between

from . import documents, result_signature, signers, tracking
from .flows import ASSIGN, DOSSIER, ORDER, RETURN, SIGN
from .intake import Upload, check_uploads
from .models import DocKind, Dossier, DossierFile, DossierKind, Status, Step
from .permissions import PORTAL_PROCESS


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update(of=("self",)).select_related("unit", "procedure", "assignee").get(pk=dossier.pk)


def _assignee(login: str, dossier: Dossier, actor):
    """The officer `login` names to process the dossier. An unknown login gets the answer a person who does not
    process dossiers here gets: the answer does not tell which logins exist (before, 404 against 400)."""
    if not login:
        return None
    user = get_user_model().objects.filter(username=login, is_active=True).first()
    if user is None or not steps.can(user, PORTAL_PROCESS, dossier.unit.path):
        raise InvalidInput("portal.assign.not_an_officer",
                           _("%(login)s does not process dossiers at %(unit)s."), login=login, unit=dossier.unit.name,
                           fields={"assignee": ("not_an_officer", _("This person does not process dossiers here."))})
    if actor is not None and user.pk == actor.pk:
        raise InvalidInput("portal.assign.self", _("Whoever assigns a dossier does not process it: name another officer."),
                           fields={"assignee": ("self", _("Name another officer."))})
    return user


# What an officer may write, whichever way he writes it (page or API): each fits the documents that carry it.
NOTE_MAX, ITEM_MAX, ITEMS_MAX, REASON_MAX, REASONS_MAX = 2000, 500, 50, 1000, 20
# An apology's new date: a slip of the keyboard (31/12/9999) is refused, a long but real delay is not.
APOLOGY_MAX_DAYS = 366


def _text(value: str, field: str, limit: int) -> str:
    if len(value or "") > limit:
        message = _("At most %(n)s characters.") % {"n": limit}
        raise InvalidInput("portal.text.too_long", _("The text is too long: at most %(n)s characters."), n=limit,
                           fields={field: ("too_long", message)})
    return value or ""


MESSAGES = {SIGN: _("The result of dossier %(code)s is signed and ready."),
            RETURN: _("The result of dossier %(code)s has been returned to you electronically.")}


def advance(user, dossier: Dossier, step: str, *, note: str = "", assignee: str = "", certificate: str = "",
            pin: str = "") -> Dossier:
    """The next configured step (assign, process, approve, sign, return) by `user`. To sign, the leader's own
    certificate and its PIN: the step is checked first (nobody's PIN is tried for a step he may not take), the
    token's own step signs (a wrong PIN counted and kept), and only then is the step taken with the signed
    result, which the office's seal goes over."""
    if step not in ORDER[1:]:
        if step in Step.values:   # a step taken otherwise (receiving is the intake): named, not coded
            raise InvalidInput("portal.step.not_here", _("The step \u201c%(step)s\u201d is not taken here."),
                               step=Step(step).label)
        raise InvalidInput("portal.step.unknown", _("This workflow step does not exist."))
    note = _text(note, "note", NOTE_MAX)
    dossier = _lock(dossier)
    signed = None
    if step == SIGN:
        DOSSIER.check(SIGN, dossier, user)
        signed = result_signature.signed_result(user, dossier, note, certificate=certificate, pin=pin)

    def body(attempt):
        if step == ASSIGN:
            dossier.assignee = _assignee(assignee, dossier, user)
        if step == SIGN:
            dossier.status = Status.RESULT_READY
        if step == RETURN:
            dossier.status = Status.RETURNED
            dossier.finished_on = timezone.localdate()
            # on time against the date the law gives (the first due date and the days paused for a supplement),
            # not the date an apology moved it to: an apology says the dossier is late, it does not make it on time
            dossier.on_time = dossier.finished_on <= add_working_days(dossier.original_due_date, dossier.paused_days)
        dossier.step = step
        dossier.save()
        if step == SIGN:
            documents.issue_signed(dossier, DocKind.RESULT, signed, reason=documents.RESULT_TITLE,
                                   data={"note": note, "signed_by": user.get_username() if user else "",
                                         "certificate": certificate.strip().lower()})
        tracking.log(dossier, step, note)
        tracking.tell(dossier, str(MESSAGES.get(step, _("Dossier %(code)s: step %(step)s done."))) %
                      {"code": dossier.code, "step": Step(step).label})
        return dossier

    return DOSSIER.perform(step, dossier, actor=user, body=body)


def _listed(items: list[str], field: str, code: str, message, *, most: int, longest: int) -> list[str]:
    """The non-empty lines of a written list (what is missing, the reasons); none at all is refused, and so are
    more than `most` lines or a line longer than `longest`."""
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise InvalidInput(code, message, fields={field: ("required", message)})
    if len(items) > most:
        raise InvalidInput("portal.list.too_long", _("At most %(n)s lines."), n=most,
                           fields={field: ("too_many", _("At most %(n)s lines.") % {"n": most})})
    for item in items:
        _text(item, field, longest)
    return items


def request_supplement(user, dossier: Dossier, missing: list[str], note: str = "") -> Dossier:
    """The one written request listing everything missing; the clock stops until the supplement arrives."""
    missing = _listed(missing, "missing", "portal.supplement.nothing_listed", _("List what is missing from the dossier."),
                      most=ITEMS_MAX, longest=ITEM_MAX)
    note = _text(note, "note", NOTE_MAX)
    dossier = _lock(dossier)

    def body(attempt):
        dossier.status = Status.SUPPLEMENT
        dossier.supplement_requested = True
        dossier.paused_on = timezone.localdate()
        dossier.save()
        documents.issue(dossier, DocKind.SUPPLEMENT, documents.supplement_request(dossier, missing, note),
                        {"missing": missing, "note": note})
        tracking.log(dossier, "supplement_request", "; ".join(missing))
        tracking.tell(dossier, _("Dossier %(code)s needs a supplement: %(missing)s")
                      % {"code": dossier.code, "missing": "; ".join(missing)})
        return dossier

    return DOSSIER.perform("supplement_request", dossier, actor=user, body=body)


def supplement(user, dossier: Dossier, files: list[Upload], note: str = "") -> Dossier:
    """The submitter's supplement: checked like an intake; the due date moves by the paused working days."""
    dossier = _lock(dossier)

    def body(attempt):
        checked = check_uploads(files, dossier.procedure, signed=dossier.kind == DossierKind.SIGNED, complete=False)
        today = timezone.localdate()
        party = signers.party_of_dossier(dossier)
        if dossier.kind == DossierKind.SIGNED and party is not None:      # the same rule as the intake's
            signers.require_submitters_own(checked, party, today, dossier.unit)
        paused = max(working_days_between(dossier.paused_on, today), 0)
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

    return DOSSIER.perform("supplement", dossier, actor=user, body=body)


def apologise(user, dossier: Dossier, reason: str, new_date: dt.date) -> Dossier:
    """Late (or about to be): an apology with a new date, signed and sent; the due date moves."""
    if not reason.strip():
        raise InvalidInput("portal.apology.reason_required", _("Give the reason for the delay."),
                           fields={"reason": ("required", _("Give the reason for the delay."))})
    reason = _text(reason, "reason", NOTE_MAX)
    dossier = _lock(dossier)

    def body(attempt):
        if new_date <= dossier.due_date or not is_working_day(new_date):
            raise InvalidInput("portal.apology.date",
                               _("The new date must be a working day after the current due date %(due)s."),
                               due=dossier.due_date.strftime("%d/%m/%Y"),
                               fields={"new_date": ("after_due",
                                                    _("The new date must be a working day after the current due date."))})
        if new_date > dossier.due_date + dt.timedelta(days=APOLOGY_MAX_DAYS):
            raise InvalidInput("portal.apology.too_far", _("The new date must be within a year of the current due "
                                                           "date %(due)s."), due=dossier.due_date.strftime("%d/%m/%Y"),
                               fields={"new_date": ("too_far", _("Within a year of the current due date."))})
        old = dossier.due_date
        dossier.due_date = new_date
        dossier.apologised = True
        dossier.save()
        documents.issue(dossier, DocKind.APOLOGY, documents.apology(dossier, reason, old, new_date),
                        {"reason": reason, "old_date": old.isoformat(), "new_date": new_date.isoformat()})
        tracking.log(dossier, "apology", f"{reason} ({old:%d/%m/%Y} → {new_date:%d/%m/%Y})")
        tracking.tell(dossier, _("We apologise: dossier %(code)s is late; the new date is %(due)s.")
                      % {"code": dossier.code, "due": new_date.strftime("%d/%m/%Y")})
        return dossier

    return DOSSIER.perform("apology", dossier, actor=user, body=body)


def refuse(user, dossier: Dossier, reasons: list[str]) -> Dossier:
    reasons = _listed(reasons, "reasons", "portal.refusal.reason_required", _("Give the reasons for the refusal."),
                      most=REASONS_MAX, longest=REASON_MAX)
    dossier = _lock(dossier)

    def body(attempt):
        dossier.status = Status.REFUSED
        dossier.finished_on = timezone.localdate()
        dossier.paused_on = None
        dossier.save()
        documents.issue(dossier, DocKind.REFUSAL, documents.refusal(dossier, reasons), {"reasons": reasons})
        tracking.log(dossier, "refuse", "; ".join(reasons))
        tracking.tell(dossier, _("Dossier %(code)s is refused: %(reasons)s")
                      % {"code": dossier.code, "reasons": "; ".join(reasons)})
        return dossier

    return DOSSIER.perform("refuse", dossier, actor=user, body=body)


__all__ = ["advance", "request_supplement", "supplement", "apologise", "refuse"]
