"""The one-stop workflow of a dossier as data (Decree 61/2018, Circular 01/2018/TT-VPCP, Decision 352): the
steps of each procedure (receive → assign → process → approve → sign → return, configured per procedure in
`WorkflowStep` rows), who takes each of them at the receiving office, the four eyes (issue 16, finding 3:
whoever assigned a dossier does not process it; whoever processed it neither approves nor signs its result —
an IT Center exception, `org.DutyException`, lets a unit with one officer), the submitter's supplement, the
queue each step feeds and the deadline (the dossier's due date in working days). The result is signed by a
leader with his own certificate (`portal.sign`, the leader role only — Decision 508, Art. 8.2: officers approve,
the competent person signs), the leader of the office the dossier waits for; `check` refuses the step before his
token is asked for its PIN.

The state is the last step done (`Dossier.step`); the status (in progress, waiting for a supplement, result
ready, returned, refused) says whether a step may be taken at all. `when` adds both conditions to the state:
the procedure has the step, no configured step lies between the last one done and it, the status allows it.
Work waits for the nearest officers (the receiving office's own; the province's when it has none, or when the four
eyes keep every one of its own off this dossier — its only approver processed it: `lifecycle.flows.waiting_for`)."""

from __future__ import annotations

import contextvars
import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidState, KysoError
from kyso.core.workflow import QueueEntry, Transition, Workflow, capped_count
from kyso.lifecycle.flows import waiting_for, waits_at
from kyso.org.models import Unit

from .models import ACTION_LABELS, Status, Step, WorkflowStep
from .permissions import PORTAL_APPROVE, PORTAL_PROCESS, PORTAL_RECEIVE, PORTAL_SIGN

RECEIVE, ASSIGN, PROCESS, APPROVE, SIGN, RETURN = (s.value for s in Step)
ORDER = [RECEIVE, ASSIGN, PROCESS, APPROVE, SIGN, RETURN]
WORKING = [Status.IN_PROGRESS.value, Status.RESULT_READY.value]
BEFORE_RESULT = [RECEIVE, ASSIGN, PROCESS, APPROVE]
COUNT_CAP = 1000    # a queue longer than this reads "1000+" on the home page: never a count over millions of rows
MAX_RUNS = 240      # most runs (office × step × status) a queue's most urgent dossiers are read in (`most_urgent`)


@dataclass(frozen=True)
class DossierStep(Transition):
    when: Callable[[], Q] | None = None          # what the dossier must meet besides its state (queue and action)
    refusal: tuple[str, Any] | None = None       # the error when it does not (stable code, message)
    submitter: bool = False                      # the submitter's own step: his dossiers, his queue
    guard: Callable[[Any, Any], None] | None = None
    not_for: tuple[str, ...] = ()                # (read by the nearest-officer queue)
    forbidden: tuple[str, Any] | None = None     # the error for whoever lacks `perm` (stable code, message)


def _due_first(row) -> tuple:
    """The order of ORDER BY due_date, id on PostgreSQL: dossiers without a due date last."""
    due, pk = row
    return (due is None, due or dt.date.min, pk)


# The workflow configuration read once for all the queues of one page (`DossierFlow.queues`), not once per queue.
_reading: contextvars.ContextVar[dict | None] = contextvars.ContextVar("portal_configured_steps", default=None)


def _configured() -> dict[int, set[str]]:
    """The steps each procedure has (`WorkflowStep`)."""
    configured: dict[int, set[str]] = {}
    for procedure, name in WorkflowStep.objects.values_list("procedure_id", "step"):
        configured.setdefault(procedure, set()).add(name)
    return configured


def leading_to(step: str) -> dict[str, list[int]]:
    """For each step a dossier may have done last, the procedures in which `step` is the next configured one
    (the procedure has `step` and nothing configured lies between). Read from the few `WorkflowStep` rows, so
    that a queue is plain conditions on the dossier's own columns — (step, procedure), both in the queue index —
    and not a sub-query per dossier (issue 19: queues of tens of thousands of dossiers at month end)."""
    configured = _reading.get() or _configured()
    i = ORDER.index(step)
    out: dict[str, list[int]] = {}
    for procedure, have in sorted(configured.items()):
        if step not in have:
            continue
        for j, done in enumerate(ORDER[:i]):
            if not have.intersection(ORDER[j + 1:i]):
                out.setdefault(done, []).append(procedure)
    return out


def _next_is(step: str) -> Callable[[], Q]:
    """The dossier's next configured step is `step`, and its status lets the work go on."""
    def q() -> Q:
        out = Q(pk__in=[])
        for done, procedures in leading_to(step).items():
            out |= Q(step=done, procedure_id__in=procedures)
        return out & Q(status__in=WORKING)
    return q


def _only_assignee(dossier, actor) -> None:
    if dossier.assignee_id and actor is not None and dossier.assignee_id != actor.pk:
        raise Forbidden("portal.process.not_assignee", _("The dossier is assigned to %(who)s: he processes it."),
                        who=dossier.assignee.display_name if hasattr(dossier.assignee, "display_name")
                        else dossier.assignee.username)


def _own_or_desk(dossier, actor) -> None:
    if actor is None or dossier.submitted_by_id == actor.pk or steps.can(actor, PORTAL_RECEIVE, dossier.unit.path):
        return
    raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))


def _nearest_leader(dossier, actor) -> None:
    """Decision 508, Art. 8.2 with the seal that goes over it: the result is signed by the leader of the office
    it waits for (the receiving office's own; the province's only when the office has none) — not by a leader
    of a higher office over a district's seal."""
    if actor is None:
        return
    t = DOSSIER.transition(SIGN)
    # with the flow: the leader a four-eyes rule keeps off sends it on up, and the one it goes to may sign it
    if not DOSSIER.model_class._default_manager.filter(pk=dossier.pk).filter(waiting_for(actor, t, DOSSIER)).exists():
        raise Forbidden("portal.sign.not_this_office",
                        _("The result of a dossier of %(unit)s is signed by that office's own leader."),
                        unit=dossier.unit.name)


def _step(name, perm, *, queue, separate_from=(), guard=None, forbidden=None):
    return DossierStep(name, source=ORDER[:ORDER.index(name)], target=name, perm=perm, at="unit__path",
                       separate_from=separate_from, label=Step(name).label, queue=queue, when=_next_is(name),
                       guard=guard, forbidden=forbidden)


def refused(exc: KysoError) -> KysoError:
    """A refusal before the step wrote anything: nothing to roll back."""
    exc.rolled_back = True
    return exc


class DossierFlow(Workflow):
    """The core declaration with the portal's conditions (`when`, the submitter's step, the assignee)."""

    def _one(self, obj):
        return self.model_class._default_manager.filter(pk=obj.pk)

    def fits(self, t: Transition, obj) -> bool:
        when = getattr(t, "when", None)
        return when is None or self._one(obj).filter(when()).exists()

    def refusal_for(self, t: DossierStep, obj) -> KysoError:
        if obj.status == Status.SUPPLEMENT and t.name in ORDER:
            return InvalidState("portal.dossier.paused",
                                _("The dossier waits for the supplement the submitter was asked for."))
        if t.name == "supplement_request" and obj.supplement_requested:
            return InvalidState("portal.supplement.once",
                                _("A dossier gets one written supplement request only (Decree 61/2018)."))
        if t.refusal:
            return InvalidState(t.refusal[0], t.refusal[1])
        expected = next_step(obj)
        return InvalidState("portal.step.out_of_order", _("The next step of dossier %(code)s is %(expected)s, not %(step)s."),
                            code=obj.code, expected=Step(expected).label if expected else "—", step=Step(t.name).label)

    def check(self, name: str, obj, actor) -> Transition:
        """Refuse `actor` step `name` on `obj` as `perform` would, writing nothing — before a signing device is
        asked for its PIN: the permission at the office (with the step's own code), the order, four eyes, the
        step's guard."""
        t = self.transition(name)
        if actor is not None and t.perm and not steps.can(actor, t.perm, self.unit_path(obj, t)):
            raise refused(Forbidden(*t.forbidden) if getattr(t, "forbidden", None)
                          else Forbidden("forbidden", _("You are not allowed to do this for this unit.")))
        if self.state_of(obj) not in t.source or not self.fits(t, obj):
            raise refused(self.refusal_for(t, obj))
        try:
            steps.check_duties(actor, self.step(name), obj)
            if t.guard is not None:
                t.guard(obj, actor)
        except KysoError as exc:
            raise refused(exc) from None
        return t

    def perform(self, name: str, obj, *, actor, body=None):
        t = self.transition(name)
        if actor is not None and getattr(t, "forbidden", None) and not steps.can(actor, t.perm, self.unit_path(obj, t)):
            raise refused(Forbidden(*t.forbidden))
        if self.state_of(obj) not in t.source or not self.fits(t, obj):
            raise refused(self.refusal_for(t, obj))

        def guarded(attempt):
            if t.guard is not None:
                t.guard(obj, actor)
            return body(attempt) if body is not None else None

        return super().perform(name, obj, actor=actor, body=guarded)

    def allowed(self, obj, actor) -> list[Transition]:
        out = []
        for t in super().allowed(obj, actor):
            if not self.fits(t, obj):
                continue
            if t.guard is not None:
                try:
                    t.guard(obj, actor)
                except KysoError:
                    continue
            out.append(t)
        return out

    def queue_for(self, actor, t: Transition):
        if getattr(t, "submitter", False):
            qs = self.model_class._default_manager.filter(step__in=t.source, submitted_by=actor)
        else:
            qs = self._for(actor, t, super().queue_for(actor, t))
        when = getattr(t, "when", None)
        return qs.filter(when()) if when else qs

    def _for(self, actor, t: Transition, qs):
        """What makes a dossier of the queue wait for this officer rather than for another one."""
        if t.perm:
            qs = qs.filter(waiting_for(actor, t, self))
        if t.name == PROCESS:
            qs = qs.filter(Q(assignee__isnull=True) | Q(assignee=actor))
        return qs

    def queues(self, actor) -> list[QueueEntry]:
        """The core's queues with capped counts (issue 19: the home page of an officer over millions of dossiers):
        how many wait and how many are overdue, each counted up to `COUNT_CAP`; the records shown are the most
        urgent (earliest due date first), so the first of them carries the queue's earliest deadline."""
        token = _reading.set(_configured())
        try:
            return self._queues(actor)
        finally:
            _reading.reset(token)

    def _queues(self, actor) -> list[QueueEntry]:
        out = []
        today = steps.today()
        offices: dict[str, list[int]] = {}
        for t in self.transitions:
            if not t.queue:
                continue
            qs = self.queue_for(actor, t)
            count = capped_count(qs, COUNT_CAP)
            if not count:
                continue
            records = self.urgent_records(qs, actor, t, offices)
            dues = [d for d in (self.due_of(r) for r in records) if d]
            first_due = min(dues) if dues else None
            if count <= len(records):   # the whole queue is on the page: no further query
                overdue = sum(1 for d in dues if d < today)
            else:
                overdue = capped_count(qs.filter(status__in=WORKING, due_date__lt=today), COUNT_CAP)
            out.append(QueueEntry(self, t, records, count, overdue=overdue, next_due=first_due))
        return out

    def most_urgent(self, qs, actor, t: Transition, offices: dict | None = None) -> list[int]:
        """The ids of the `queue_limit` dossiers of `qs` due first (`urgent_records`)."""
        return [d.pk for d in self.urgent_records(qs, actor, t, offices)]

    def urgent_records(self, qs, actor, t: Transition, offices: dict | None = None) -> list:
        """The `queue_limit` dossiers of `qs` due first, earliest first. One ORDER BY over a whole queue sorts every
        dossier in it; on PostgreSQL the queue is read instead as one short run per office, step and status —
        each a range of the queue index already in due-date order, cut after `queue_limit` — glued by UNION ALL
        and cut again: at most offices × steps × 2 × `queue_limit` rows, whatever the queue's length. A scope of
        more offices than `MAX_RUNS` allows (the whole agency) keeps the one query (ids first, index-only)."""
        manager = self.model_class._default_manager
        leading = leading_to(t.name) if t.name in ORDER else None
        runs = None
        if connection.vendor == "postgresql" and t.perm and t.at == "unit__path" and leading is not None:
            offices = {} if offices is None else offices      # the offices of each right's scope, once per page
            if t.perm not in offices:
                offices[t.perm] = list(Unit.objects.filter(steps.scope_q(actor, t.perm, "path"))
                                       .values_list("pk", flat=True)[: MAX_RUNS + 1])
            runs = [(office, done, status) for office in offices[t.perm] for done in leading for status in WORKING]
        if runs is None or len(runs) > MAX_RUNS:
            ids = list(qs.order_by("due_date", "pk").values_list("pk", flat=True)[: self.queue_limit])
            return sorted(manager.filter(pk__in=ids), key=lambda d: _due_first((d.due_date, d.pk)))
        if not runs:
            return []
        # Each run by equalities only: an IN list on the state (the queue's own conditions) would make PostgreSQL
        # read the index range unordered and sort it all again.
        base = self._for(actor, t, manager.filter(**(t.filter or {})))
        if t.separate_from:
            base = steps.exclude_separated(actor, self.step(t.name), base)
        parts = [base.filter(unit_id=office, step=done, status=status, procedure_id__in=leading[done])
                 .order_by("due_date", "pk")[: self.queue_limit] for office, done, status in runs]
        glued = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return sorted(glued, key=lambda d: _due_first((d.due_date, d.pk)))[: self.queue_limit]

    def holders(self, obj) -> list[tuple[Transition, str]]:
        out = []
        for t, path in super().holders(obj):
            if not self.fits(t, obj):
                continue
            out.append((t, "" if getattr(t, "submitter", False) else waits_at(self, t, obj, path) if t.perm and path
                        else path))
        return out

    def where_state(self, obj) -> str:
        """A dossier at work says its step; one done, refused or waiting for a supplement says its status."""
        return ACTION_LABELS.get(obj.step, obj.step) if obj.status == Status.IN_PROGRESS else obj.get_status_display()

    def holder_text(self, obj, t, path, names) -> str:
        """The submitter by name for his step; the assigned officer by name for processing; else the roles."""
        if getattr(t, "submitter", False):
            return f"{obj.submitter_name}: {t.label}"
        if t.name == PROCESS and obj.assignee_id:
            person = getattr(obj.assignee, "display_name", "") or obj.assignee.username
            return f"{person} ({names.get(path, '')}): {t.label}" if names.get(path) else f"{person}: {t.label}"
        return super().holder_text(obj, t, path, names)


def next_step(dossier) -> str | None:
    """The next configured step of the dossier (None when its status lets none be taken)."""
    if dossier.status not in WORKING:
        return None
    configured = list(dossier.procedure.steps.order_by("position").values_list("step", flat=True))
    i = configured.index(dossier.step) if dossier.step in configured else 0
    return configured[i + 1] if i + 1 < len(configured) else None


DOSSIER = DossierFlow(
    "portal.dossier", "portal.Dossier", label=_("dossier"), state_field="step",
    url=lambda d: f"/portal/d/{d.code}/", due=lambda d: d.due_date if d.status in WORKING else None,
    state_labels=lambda: dict(ACTION_LABELS),
    transitions=[
        _step(ASSIGN, PORTAL_PROCESS, queue=_("Dossiers to assign")),
        _step(PROCESS, PORTAL_PROCESS, queue=_("Dossiers to process"), separate_from=(ASSIGN,), guard=_only_assignee),
        _step(APPROVE, PORTAL_APPROVE, queue=_("Dossiers to approve"), separate_from=(PROCESS,)),
        _step(SIGN, PORTAL_SIGN, queue=_("Results to sign"), separate_from=(PROCESS,), guard=_nearest_leader,
              forbidden=("portal.sign.not_leader",
                         _("The result is signed by the office's leader with his own certificate (Art. 8.2 of "
                           "Decision 508); approving officers do not sign it."))),
        _step(RETURN, PORTAL_RECEIVE, queue=_("Results to return to the submitter")),
        DossierStep("supplement_request", source=BEFORE_RESULT, perm=PORTAL_PROCESS, at="unit__path",
                    label=_("Request a supplement"),
                    when=lambda: Q(status=Status.IN_PROGRESS, supplement_requested=False),
                    refusal=("portal.supplement.state",
                             _("A supplement can be requested only while the dossier is processed."))),
        DossierStep("supplement", source=BEFORE_RESULT, label=_("Send the supplement"), submitter=True,
                    queue=_("Dossiers waiting for my supplement"), when=lambda: Q(status=Status.SUPPLEMENT),
                    guard=_own_or_desk,
                    refusal=("portal.supplement.not_requested", _("No supplement was requested for this dossier."))),
        DossierStep("apology", source=ORDER[:-1], perm=PORTAL_PROCESS, at="unit__path",
                    label=_("Apologise and give a new date"), when=lambda: Q(status__in=WORKING),
                    refusal=("portal.apology.state", _("Only a dossier still being processed can be given a new date."))),
        DossierStep("refuse", source=BEFORE_RESULT, perm=PORTAL_PROCESS, at="unit__path", label=_("Refuse"),
                    when=lambda: Q(status__in=[Status.IN_PROGRESS, Status.SUPPLEMENT]),
                    refusal=("portal.refusal.state", _("A dossier whose result is signed or returned cannot be refused."))),
    ])
