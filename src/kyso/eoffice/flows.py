"""The e-office's two workflows as data — outgoing documents (draft → review → the leader's signature → the
clerk's seal and number → dispatch → the recipient's incoming book) and incoming documents (registered →
assigned with a deadline → handled): states, steps, who acts (a permission at a unit, or the person the
document names), four eyes, the queue each step feeds and its deadline in working days. The step runner
(`perform`), the pages (`allowed`, `where`) and the officers' queues (`kyso.core.workflow.work_for`) all read
these declarations.

Three things the core declaration does not carry are added by `Flow`/`Step`:

- Work waits for the nearest officers (as in the lifecycle, `kyso.lifecycle.flows.waiting_for`): a draft to
  review, a document to seal or an arrival to assign is in the queue of those who hold the step's permission at
  the deepest unit above it that has any — the district's clerk for the district's book, not the province's — and
  whom the four eyes do not keep off it: a draft written by its unit's only reviewer waits for the reviewers above.

- A step for a named person: the document names its reviewer, its signing leader, the officer who handles
  it (`mine(actor)` narrows the queue to what waits for him; `guard(record, actor)` refuses anyone else).
- Four eyes (issue 16, finding 3): the drafter never reviews nor signs his own document — he cannot name
  himself reviewer or signer either (`drafts.py`); nor does anyone who put in a version of the draft. Where a unit really has one officer, the IT Center's
  audited exception (`kyso.core.steps.exception_allows`) lets him.

Deadlines (Decree 30/2020, Art. 20 and 24; Decision 508): an incoming document reaches the person who assigns
it the day it arrives or the next working day; once assigned it is due on the date given (by default from its
urgency: normal 5 working days, urgent 2, very urgent 1, express the same day). A step of an outgoing document
is due within the same number of working days from when it reached that step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyso import audit
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidState, KysoError
from kyso.core.workflow import Transition, Workflow
from kyso.lifecycle.flows import waiting_for, waits_at
from kyso.workdays.calendar import add_working_days

from .models import Event
from .models import IncomingState as I
from .models import OutgoingState as S
from .models import Urgency
from .permissions import EOFFICE_ASSIGN, EOFFICE_DRAFT, EOFFICE_ISSUE, EOFFICE_RECEIVE, EOFFICE_REVIEW, EOFFICE_SIGN

HANDLING_DAYS = {Urgency.NORMAL: 5, Urgency.URGENT: 2, Urgency.VERY_URGENT: 1, Urgency.EXPRESS: 0}
DRAFT_STEP = "eoffice.outgoing.draft"


@dataclass(frozen=True)
class Step(Transition):
    """A transition with the e-office's extra conditions (see the module docstring)."""

    mine: Callable[[Any], Q] | None = None            # the queue: only the records that wait for this person
    guard: Callable[..., None] | None = None          # guard(record, actor, dry_run) raises when he may not
    nearest: bool = False                             # the queue: only the officers nearest to the unit
    named: str | None = None                          # ...unless the record names the person (`reviewer`)
    not_for: tuple[str, ...] = ()                     # (read by `waiting_for`)
    four_eyes: tuple[str, Callable[[Any], Q]] | None = None  # (the earlier step, the records on which a user did
                                                             # it): he does not take this one (read by the queues)


def refused(exc: KysoError) -> KysoError:
    """A refusal before the step wrote anything: nothing to roll back (pages keep their transaction)."""
    exc.rolled_back = True
    return exc


@dataclass
class Flow(Workflow):
    def out_of_order(self, obj) -> InvalidState:
        return InvalidState("eoffice.state", _("This cannot be done while the document is “%(state)s”."),
                            state=self.state_label(self.state_of(obj)))

    def check(self, name: str, obj, actor) -> Transition:
        """Refuse `actor` step `name` on `obj` — without writing — as the runner would: permission at the
        document's unit first (someone who may not act at all is told so), then the order, then the person."""
        t = self.transition(name)
        if t.perm and not steps.can(actor, t.perm, self.unit_path(obj, t)):
            raise refused(Forbidden("forbidden", _("You are not allowed to do this for this unit.")))
        if self.state_of(obj) not in t.source:
            raise refused(self.out_of_order(obj))
        if isinstance(t, Step) and t.guard is not None and actor is not None:
            try:
                t.guard(obj, actor, True)
            except KysoError as exc:
                raise refused(exc) from None
        return t

    def perform(self, name: str, obj, *, actor, body=None):
        t = self.check(name, obj, actor)

        def guarded(attempt):
            # The row is locked and its state read again: two clerks pressing at once do not both act.
            now = (self.model_class._default_manager.select_for_update().filter(pk=obj.pk)
                   .values_list(self.state_field, flat=True).first())
            if now is not None and now != self.state_of(obj):
                raise self.out_of_order(obj)
            if isinstance(t, Step) and t.guard is not None and actor is not None:
                t.guard(obj, actor, False)
            return body(attempt) if body is not None else None

        return super().perform(name, obj, actor=actor, body=guarded)

    def allowed(self, obj, actor) -> list[Transition]:
        out = []
        for t in super().allowed(obj, actor):
            if isinstance(t, Step) and t.guard is not None and actor is not None:
                try:
                    t.guard(obj, actor, True)
                except KysoError:
                    continue
            out.append(t)
        return out

    def queue_for(self, actor, t: Transition):
        qs = super().queue_for(actor, t)
        if not isinstance(t, Step):
            return qs
        if t.mine is not None:
            qs = qs.filter(t.mine(actor))
        if t.four_eyes is not None and t.four_eyes[0] not in steps.excused(actor, f"{self.name}.{t.name}"):
            qs = qs.exclude(t.four_eyes[1](actor))
        if t.nearest and t.perm and t.at:
            near = waiting_for(actor, t, self)
            if t.named:
                near = Q(**{t.named: actor}) | (Q(**{f"{t.named}__isnull": True}) & near)
            qs = qs.filter(near)
        return qs

    def holders(self, obj) -> list[tuple[Transition, str]]:
        out = []
        for t, path in super().holders(obj):
            if isinstance(t, Step) and t.nearest and t.perm and path:
                path = waits_at(self, t, obj, path)
            out.append((t, path))
        return out


def _labels(choices):
    return lambda: dict(choices.choices)


def wrote(doc, user) -> bool:
    """Whether `user` wrote the draft: he drafted it, or put in a version of it (`replace` is open to every drafter
    of the unit — a colleague, the reviewer after returning it, the leader named to sign it)."""
    if user is None or not getattr(user, "pk", None):
        return False
    return doc.drafted_by_id == user.pk or doc.events.filter(verb="replaced", actor=user).exists()


def _versions_by(user):
    return Event.objects.filter(verb="replaced", actor=user, outgoing__isnull=False).values("outgoing_id")


def _written_by(user) -> Q:
    """The drafts `user` (an account or its id) wrote, as `wrote` says of one: he drafted it or put in a version."""
    return Q(drafted_by=user) | Q(pk__in=_versions_by(user))


def _drafter_excluded(doc, actor, step: str, code: str, message, dry_run: bool) -> None:
    """Four eyes: whoever wrote the draft (`wrote`) does not take `step` on it, unless the IT Center set an
    exception for his unit (each use audited)."""
    if not wrote(doc, actor):
        return
    if not steps.exception_allows(actor, steps.Step(name=step), DRAFT_STEP, doc):
        raise Forbidden(code, message)
    if not dry_run:
        audit.record("steps.four_eyes.exception_used", doc, after={"step": step, "other": DRAFT_STEP})


def _review_guard(doc, actor, dry_run) -> None:
    _drafter_excluded(doc, actor, "eoffice.outgoing.review", "eoffice.review.own_draft",
                      _("A draft is reviewed by someone other than its drafter."), dry_run)


def _sign_guard(doc, actor, dry_run) -> None:
    if actor.pk != doc.signer_id or not steps.can(actor, EOFFICE_SIGN, doc.unit.path):
        raise Forbidden("eoffice.sign.not_signer", _("Only the leader named on the document signs it."))
    _drafter_excluded(doc, actor, "eoffice.outgoing.sign", "eoffice.sign.own_draft",
                      _("The leader who signs is not the drafter of the document."), dry_run)


def _complete_guard(doc, actor, dry_run) -> None:
    if doc.assignee_id != actor.pk and not steps.can(actor, EOFFICE_ASSIGN, doc.unit.path):
        raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))


def _since(doc) -> Any:
    """When the document reached its current step (its last history line)."""
    last = doc.events.order_by("-at", "-pk").values_list("at", flat=True).first()
    return (last or doc.created_at).date()


def _outgoing_due(doc):
    if doc.state in (S.DRAFT, S.DISPATCHED):
        return None
    days = HANDLING_DAYS.get(doc.urgency, 5)
    start = _since(doc)
    return add_working_days(start, days) if days else start


def _incoming_due(doc):
    if doc.state == I.ASSIGNED:
        return doc.due_date
    if doc.state == I.REGISTERED:
        return add_working_days(doc.received_at.date(), 1)
    return None


OUTGOING = Flow(
    "eoffice.outgoing", "eoffice.OutgoingDocument", label=_("outgoing document"),
    url=lambda d: f"/eoffice/out/{d.pk}/", state_labels=_labels(S), due=_outgoing_due,
    transitions=[
        Step("replace", source=[S.DRAFT], perm=EOFFICE_DRAFT, at="drafting_unit__path",
             label=_("New version of the draft")),
        Step("submit", source=[S.DRAFT], target=S.IN_REVIEW, perm=EOFFICE_DRAFT, at="drafting_unit__path",
             mine=lambda actor: Q(drafted_by=actor), label=_("Send for review"),
             queue=_("My drafts to send for review")),
        Step("review", source=[S.IN_REVIEW], target=(S.TO_SIGN, S.DRAFT), perm=EOFFICE_REVIEW,
             at="drafting_unit__path", guard=_review_guard,
             four_eyes=(DRAFT_STEP, _written_by), nearest=True, named="reviewer",
             label=pgettext_lazy("document step", "Review"), queue=_("Drafts to review")),
        Step("sign", source=[S.TO_SIGN], target=S.SIGNED, guard=_sign_guard, mine=lambda actor: Q(signer=actor),
             label=_("Sign (USB token)"), queue=_("Documents to sign")),
        Step("phone", source=[S.TO_SIGN], target=S.SIGNING, guard=_sign_guard, label=_("Sign on the phone")),
        Step("phone_answer", source=[S.SIGNING], target=(S.SIGNED, S.TO_SIGN), label=_("The phone answered")),
        Step("issue", source=[S.SIGNED], target=S.ISSUED, perm=EOFFICE_ISSUE, at="unit__path", nearest=True,
             label=_("Seal and number"), queue=_("Documents to seal and number")),
        Step("dispatch", source=[S.ISSUED], target=S.DISPATCHED, perm=EOFFICE_ISSUE, at="unit__path", nearest=True,
             label=_("Dispatch"), queue=_("Documents to dispatch")),
    ])

INCOMING = Flow(
    "eoffice.incoming", "eoffice.IncomingDocument", label=_("incoming document"),
    url=lambda d: f"/eoffice/in/{d.pk}/", state_labels=_labels(I), due=_incoming_due,
    transitions=[
        Step("assign", source=[I.REGISTERED], target=I.ASSIGNED, perm=EOFFICE_ASSIGN, at="unit__path", nearest=True,
             label=_("Assign for handling"), queue=_("Incoming documents to assign")),
        Step("reassign", source=[I.ASSIGNED], target=I.ASSIGNED, perm=EOFFICE_ASSIGN, at="unit__path",
             label=_("Assign to someone else")),
        Step("complete", source=[I.ASSIGNED], target=I.DONE, guard=_complete_guard,
             mine=lambda actor: Q(assignee=actor), label=_("Handled"), queue=_("Incoming documents to handle")),
    ])

DRAFT = steps.step(DRAFT_STEP, perm=EOFFICE_DRAFT, label=_("Draft"))
REGISTER = steps.step("eoffice.incoming.register", label=_("Register in the incoming book"))
RECEIVE = steps.step("eoffice.incoming.register", perm=EOFFICE_RECEIVE, label=_("Register in the incoming book"))
FLOWS = {"outgoing": OUTGOING, "incoming": INCOMING}
