"""The four workflows of Decision 508 as data — certificate requests (Form 01), Form 02 lists, revocations
(Form 05), key devices: states, steps, who acts (a permission at a unit), four eyes, the queue each step
feeds and the deadline a record waits on (its earliest open `Step`, in working days). The step runner
(`perform`), the pages (`allowed`, `where`) and the officers' queues (`kyso.core.workflow.work_for`) all
read these declarations, so they cannot disagree.

Four rules of the regulation that the core declaration does not carry are added by `Flow`/`Step508`:

- The IT Center's own units: a managing-unit officer's step (confirm, list, hand to the subscriber…) on a
  record whose managing unit is the IT Center — its own staff and the agency's leadership, `units.py` — is
  done by the IT Center's officers. Each such step is declared twice by `officer()`; `when` picks the one
  that fits the record, for the queue and for the action alike.
- Requester ≠ approver (issue 16, finding 3): `not_for` names the people a record concerns (who filed a
  request in it, whom a request is for); they may not take the step — a leader does not approve a list
  holding his own request or renewal; another leader does. The core's audit-trail four eyes
  (`separate_from`) still apply: nobody approves a list he compiled, nor a request he reviewed or a list
  holding one (`Related`: the review is recorded on the request, the approval on the list).
- Hold: a request an officer put on hold waits only for him (`held`).
- Work waits for the nearest officers: a record at a unit is in the queue of the officers who hold the
  step's permission at the deepest unit above it that has any whom the rules do not keep off this record
  (`barred`: the four eyes of the audit trail unless an IT Center exception lifts them, `not_for`) — the
  district's own officer; the province's when the district has none, or when each of its own did a step
  separated from this one (its only approver processed the dossier). Others whose scope covers it may still
  act, it is just not waiting for them. The system administrator's blanket rights put work in his queue only
  where nobody else holds them, or where everyone who does is kept off. The portal, the e-office and the SIM
  registry read the same rule (`waiting_for`, `waits_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any, Callable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyso.accounts.models import RoleAssignment
from kyso.accounts.roles import Role, permissions_of
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidState, KysoError
from kyso.core.steps import Related
from kyso.core.workflow import Transition, Workflow
from kyso.org.models import UnitFunction

from . import deadlines
from .models import DeviceState as D
from .models import ListState as L
from .models import RequestState as R
from .models import RevocationState as V
from .permissions import LC_APPROVE, LC_CONFIRM, LC_DEVICE, LC_REQUEST, LC_REVIEW
from .officers import require_acts_for
from .units import it_center

ITC = "_itc"     # suffix of the IT Center officers' twin of a managing-unit officer's step


@dataclass(frozen=True)
class Step508(Transition):
    """A transition with the regulation's extra conditions (see the module docstring)."""

    when: Callable[[], list] | None = None       # filter() arguments the record must meet (queue and action)
    not_for: tuple[str, ...] = ()                # lookups from the record to the users it concerns
    own_error: tuple[str, Any] = ("lifecycle.four_eyes.own",
                                  _("Nobody takes this step on a record that concerns himself: another officer does."))
    held: bool = False                           # on hold: only the officer who holds it
    guard: Callable[[Any, Any], None] | None = None  # guard(record, actor) raises when he may not (who acts for whom)
    at_it_center: bool = False                   # for `where`: the step waits at the IT Center (its officers')


def refused(exc: KysoError) -> KysoError:
    """A refusal before the step wrote anything: nothing to roll back (pages keep their transaction)."""
    exc.rolled_back = True
    return exc


def officer(name: str, *, unit: str, when: Callable[[], list] = lambda: [], **kw) -> list[Step508]:
    """A managing-unit officer's step at `unit` (a lookup to the managing unit), and its twin for the
    records whose managing unit is the IT Center, done by the IT Center's officers."""
    itc = Q(**{f"{unit}__function": UnitFunction.IT_CENTER})
    return [Step508(name, perm=LC_CONFIRM, at=f"{unit}__path", when=lambda: [~itc, *when()], **kw),
            Step508(name + ITC, perm=LC_REVIEW, at=f"{unit}__path", when=lambda: [itc, *when()], at_it_center=True,
                    **kw)]


# ---------------------------------------------------------------- who the work waits for

def _minimal(paths) -> list[str]:
    out: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(m) for m in out):
            out.append(p)
    return out


def _holders(perm: str, actor=None) -> list[tuple[str, int]]:
    """(unit path, user id) of every active role, other than the administrator's, that grants `perm`."""
    cache = getattr(actor, "_lc_holders", None) if actor is not None else {}
    if cache is None:
        cache = {}
        setattr(actor, "_lc_holders", cache)
    if perm not in cache:
        roles = [r for r in Role.values if r != Role.SYSADMIN and perm in permissions_of(r)]
        cache[perm] = list(RoleAssignment.objects.filter(role__in=roles, is_active=True, unit__is_active=True,
                                                         user__is_active=True)
                           .values_list("unit__path", "user_id").distinct())
    return cache[perm]


def _offices(holders) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for path, uid in holders:
        if uid not in out.setdefault(path, []):
            out[path].append(uid)
    return out


def nearest(perm: str, path: str) -> str:
    """The deepest unit path at or above `path` where someone holds `perm` (`path` when nobody does)."""
    found = [p for p, _u in _holders(perm) if path.startswith(p)]
    return max(found, key=len) if found else path


def _has_rules(flow, t) -> bool:
    """Whether anyone holding `t`'s permission may still be kept off a record of `flow` at `t`."""
    return flow is not None and bool(t.separate_from or getattr(t, "not_for", ()) or getattr(t, "four_eyes", None))


def _about(model, lookup: str, uid) -> Q:
    """The records `lookup` leads from to user `uid`; through a to-many relation as a sub-query, so that several
    of these conditions in one query do not ask it of the same related row (nor repeat the record)."""
    current = model
    for part in lookup.split("__"):
        field = current._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return Q(pk__in=model._default_manager.filter(**{lookup: uid}).values("pk"))
        current = field.related_model
    return Q(**{lookup: uid})


def _excused(flow, t, uids, viewer=None) -> dict[int, frozenset[str]]:
    """For each of `uids`, the earlier steps after which an IT Center exception in force (`org.DutyException`, of a
    unit where he holds a role) lets him take `t` anyway. No query beyond the exceptions' when none is in force."""
    name = f"{flow.name}.{t.name}"
    pairs = [(other, path) for step, other, path in steps.exceptions_in_force(viewer) if step == name]
    if not pairs or not uids:
        return {}
    rows = (RoleAssignment.objects.filter(user_id__in=set(uids), is_active=True, unit__is_active=True,
                                          unit__path__in={p for _o, p in pairs})
            .values_list("user_id", "unit__path").distinct())
    out: dict[int, set[str]] = {}
    for uid, path in rows:
        out.setdefault(uid, set()).update(other for other, p in pairs if p == path)
    return {uid: frozenset(others) for uid, others in out.items()}


def barred(flow, t, uid, excused: frozenset[str] = frozenset()) -> Q | None:
    """The records of `flow` on which user `uid` may not take step `t` although he holds its permission: he did a
    step the rules separate from it (`separate_from`, read from the audit trail; `excused`: the exceptions that
    lift it for him), the record concerns him (`not_for`), or the domain's own four eyes (`four_eyes`: the
    earlier step and the records on which a user did it). None when nothing keeps him off."""
    model = flow.model_class
    terms = [q for q in [steps.barred_q(uid, flow.step(t.name), model, excused)] if q is not None]
    terms += [_about(model, lookup, uid) for lookup in getattr(t, "not_for", ())]
    own = getattr(t, "four_eyes", None)
    if own is not None and own[0] not in excused:
        terms.append(own[1](uid))
    return reduce(or_, terms) if terms else None


def _all_barred(flow, t, uids, excused) -> Q | None:
    """The records on which every one of `uids` is kept off step `t` (None: one of them never is)."""
    out = []
    for uid in uids:
        q = barred(flow, t, uid, excused.get(uid, frozenset()))
        if q is None:
            return None
        out.append(q)
    return reduce(and_, out) if out else None


def waiting_for(actor, t: Step508, flow=None) -> Q:
    """The records of step `t` that wait for `actor` (rather than for officers nearer to them): a record waits at
    the deepest unit at or above it where someone holds `t`'s permission and is not kept off THIS record (`barred`,
    when `flow` is given): the district's only approver processed the dossier, so it waits for the province's
    approvers — and up again while everyone there is kept off too; past the top, for the administrator."""
    holders = _holders(t.perm, actor)
    mine = {p for p, uid in holders if uid == actor.pk}
    offices = _offices(holders)
    rules = _has_rules(flow, t)
    excused = _excused(flow, t, [u for _p, u in holders], actor) if rules else {}

    def kept_off(d) -> Q | None:
        return _all_barred(flow, t, offices[d], excused) if rules else None

    if not t.at:
        if mine or not offices:
            return Q()
        everyone = _all_barred(flow, t, [u for _p, u in holders], excused) if rules else None
        return Q(pk__in=[]) if everyone is None else everyone

    def below(paths) -> Q:
        """Not a record that waits at one of `paths` (offices nearer to it than the actor's): for each of the
        outermost of them, the record is not under it — or everyone there is kept off it and the same holds of
        the offices inside. Written in that order, the database tests a record against the few offices above it
        and reads the trail only for the holders of those (issue 19: a province's or the agency's queues)."""
        paths = sorted(set(paths), key=len)
        q = Q()
        for d in _minimal(paths):
            under = Q(**{f"{t.at}__startswith": d})
            off = kept_off(d)
            if off is None:          # someone there may always act: what is under it waits there or below
                q &= ~under
                continue
            inner = [x for x in paths if x != d and x.startswith(d)]
            q &= ~(under & ~((off & below(inner)) if inner else off))
        return q

    if not mine:   # only the administrator's blanket right
        return below(offices) if offices else Q()
    q = Q(pk__in=[])
    for p in mine:
        q |= Q(**{f"{t.at}__startswith": p}) & below(d for d in offices if d != p and d.startswith(p))
    return q


def waits_at(flow, t, obj, path: str) -> str:
    """The unit path where `obj` waits at step `t` (`path`: where its permission is checked): the deepest office at
    or above it with a holder of the permission not kept off this record — what `waiting_for` puts in queues.
    `path` itself when nobody holds it, or everyone who does is kept off (the administrator's work)."""
    holders = _holders(t.perm)
    offices = _offices((p, u) for p, u in holders if path.startswith(p))
    if not offices:
        return path
    ordered = sorted(offices, key=len, reverse=True)
    if not _has_rules(flow, t):
        return ordered[0]
    excused = _excused(flow, t, [u for us in offices.values() for u in us])
    one = flow.model_class._default_manager.filter(pk=obj.pk)
    for office in ordered:
        off = _all_barred(flow, t, offices[office], excused)
        if off is None or not one.filter(off).exists():
            return office
    return path


# ---------------------------------------------------------------- the workflow with those rules

@dataclass
class Flow(Workflow):
    subject: str = ""                                            # `Step.subject_type` of this record
    via: Callable[[Any], tuple["Flow", Any] | None] | None = None  # the record waits inside another one

    def _one(self, obj):
        return self.model_class._default_manager.filter(pk=obj.pk)

    def fits(self, t: Transition, obj) -> bool:
        when = getattr(t, "when", None)
        return when is None or self._one(obj).filter(*when()).exists()

    def resolve(self, name: str, obj) -> Transition:
        """Step `name` as declared for this record: the IT Center's twin where it fits."""
        twin = self._by_name.get(name + ITC)
        if twin is not None and self.fits(twin, obj):
            return twin
        return self.transition(name)

    def _concerning(self, t: Step508, actor) -> Q:
        q = Q(pk__in=[])
        for lookup in t.not_for:
            q |= Q(**{lookup: actor})
        return q

    def refusal(self, t: Transition, obj, actor):
        """Why `actor` may not take `t` on `obj` beyond state, permission and the audit-trail four eyes."""
        if actor is None or not getattr(actor, "pk", None):
            return None
        if getattr(t, "held", False) and obj.on_hold and obj.held_by_id != actor.pk:
            return InvalidState("lifecycle.request.on_hold", _("The request is on hold (%(who)s): %(reason)s"),
                                reason=obj.on_hold, who=obj.held_by.username if obj.held_by_id else "—")
        if getattr(t, "not_for", ()) and self._one(obj).filter(self._concerning(t, actor)).exists():
            return Forbidden(t.own_error[0], t.own_error[1])
        if getattr(t, "guard", None) is not None:
            try:
                t.guard(obj, actor)
            except KysoError as exc:
                return exc
        return None

    def out_of_order(self, obj) -> InvalidState:
        return InvalidState(f"{self.name}.out_of_order", _("This step is not allowed now: the %(kind)s is “%(state)s”."),
                            kind=self.label, state=self.state_label(self.state_of(obj)))

    def table(self) -> dict[str, set[str]]:
        """The state table the declaration gives: state → the states its steps lead to."""
        out = {state: set() for state in (self.state_labels() if self.state_labels else {})}
        for t in self.transitions:
            targets = (t.target,) if isinstance(t.target, str) else (t.target or ())
            for source in t.source:
                out.setdefault(source, set()).update(x for x in targets if x != source)
        return out

    def perform(self, name: str, obj, *, actor, body=None):
        if self.state_of(obj) not in self.transition(name).source:
            raise refused(self.out_of_order(obj))
        t = self.resolve(name, obj)
        if not self.fits(t, obj):
            raise refused(self.out_of_order(obj))

        def guarded(attempt):
            problem = self.refusal(t, obj, actor)
            if problem is not None:
                raise problem
            return body(attempt) if body is not None else None

        return super().perform(t.name, obj, actor=actor, body=guarded)

    def allowed(self, obj, actor) -> list[Transition]:
        return [t for t in super().allowed(obj, actor) if self.fits(t, obj) and self.refusal(t, obj, actor) is None]

    def may(self, name: str, obj, actor) -> bool:
        names = {t.name for t in self.allowed(obj, actor)}
        return name in names or name + ITC in names

    def queue_for(self, actor, t: Transition):
        qs = super().queue_for(actor, t)
        if getattr(t, "when", None):
            qs = qs.filter(*t.when())
        if getattr(t, "held", False):
            qs = qs.filter(Q(on_hold="") | Q(held_by=actor))
        if getattr(t, "not_for", ()):
            qs = qs.exclude(self._concerning(t, actor))
        if t.perm:
            qs = qs.filter(waiting_for(actor, t, self))
        return qs

    def holders(self, obj) -> list[tuple[Transition, str]]:
        inner = self.via(obj) if self.via else None
        if inner is not None:
            flow, record = inner
            return flow.holders(record)
        out = []
        for t, path in super().holders(obj):
            if not self.fits(t, obj):
                continue
            if getattr(t, "at_it_center", False):
                path = it_center().path
            elif t.perm and path:
                path = waits_at(self, t, obj, path)
            out.append((t, path))
        return out

    def due_of(self, obj):
        return deadlines.next_due(self.subject, obj.pk) if self.subject else None


def setting(obj, **values):
    """A step's body that only sets fields (the runner saves them with the new state)."""
    def body(attempt):
        for key, value in values.items():
            setattr(obj, key, value)
    return body


def _labels(choices):
    return lambda: dict(choices.choices)


# ---------------------------------------------------------------- Form 01: the certificate request

MANAGED = "subscriber__managing_unit"
APPROVE_OWN = ("lifecycle.approve.four_eyes", _("Nobody approves a request he filed or a request for himself, nor a list "
                                               "holding one (four eyes): another leader does."))
EDITABLE = [R.SUBMITTED, R.CONFIRMED, R.LISTED, R.RECEIVED, R.RETURNED, R.VALID, R.IN_APPROVAL, R.SUPPLEMENT]


def _request_in_list(req):
    """A request in a list waits where its list waits (the highest list it was compiled into)."""
    if req.state == R.LISTED and req.unit_list_id:
        top = req.unit_list
        while top.parent_id:
            top = top.parent
        return LIST, top
    if req.state in (R.IN_APPROVAL, R.APPROVED) and req.approval_list_id:
        return LIST, req.approval_list
    return None


REQUEST = Flow(
    "lifecycle.request", "lifecycle.IssuanceRequest", label=_("certificate request"), subject="request",
    url=lambda r: f"/lifecycle/requests/{r.pk}/", state_labels=_labels(R), via=_request_in_list,
    transitions=[
        *officer("confirm", unit=MANAGED, source=[R.SUBMITTED], target=R.CONFIRMED, held=True,
                 not_for=("subscriber__person__user",),
                 label=_("Confirm (managing unit)"), queue=_("Requests to confirm (Form 01)")),
        *officer("list", unit=MANAGED, source=[R.CONFIRMED], target=R.LISTED, when=lambda: [Q(on_hold="")],
                 label=_("Put in the unit's list (Form 02)"), queue=_("Confirmed requests to put in a list (Form 02)")),
        Step508("receive", source=[R.LISTED], target=R.RECEIVED, perm=LC_REVIEW, label=_("Receive")),
        Step508("review", source=[R.RECEIVED], target=(R.VALID, R.RETURNED), perm=LC_REVIEW, held=True,
                at_it_center=True, label=_("Review"), queue=_("Requests to review (3 working days)")),
        *officer("resubmit", unit=MANAGED, source=[R.RETURNED, R.SUBMITTED], target=R.RECEIVED,
                 when=lambda: [Q(guidance__gt="")], label=_("Completed: resubmit"),
                 queue=_("Returned requests to complete and resubmit")),
        Step508("edit", source=EDITABLE, target=R.SUBMITTED, perm=LC_REQUEST, at="unit__path",
                guard=lambda req, user: require_acts_for(user, req.subscriber.person, req.unit),
                label=_("Complete / correct the request")),
        Step508("to_approval", source=[R.VALID], target=R.IN_APPROVAL, perm=LC_REVIEW, at_it_center=True,
                when=lambda: [Q(on_hold="")], label=_("Put in the list for approval"),
                queue=_("Valid requests to put in the list for the leadership's approval")),
        Step508("approve", source=[R.IN_APPROVAL], target=R.APPROVED, perm=LC_APPROVE, separate_from=("review",),
                not_for=("created_by", "subscriber__person__user"), own_error=APPROVE_OWN, label=_("Approve")),
        Step508("send", source=[R.APPROVED], target=R.SENT_TO_CA, perm=LC_REVIEW, label=_("Send to the CA")),
        Step508("issued", source=[R.SENT_TO_CA], target=R.ISSUED, perm=LC_REVIEW, at_it_center=True,
                label=_("Record the certificate issued"), queue=_("Requests at the CA (record its answer)")),
        Step508("ca_outcome", source=[R.SENT_TO_CA], target=(R.REFUSED, R.SUPPLEMENT), perm=LC_REVIEW,
                label=_("Record the CA's refusal or request for a supplement")),
        Step508("notify_outcome", source=[R.REFUSED, R.SUPPLEMENT], perm=LC_REVIEW, at_it_center=True,
                when=lambda: [deadlines.open_q("request", "refusal_notice", "supplement_notice")],
                label=_("Notify the unit in writing"),
                queue=_("Answers of the CA to notify to the unit in writing (2 working days)")),
        *officer("supplement_done", unit=MANAGED, source=[R.SUPPLEMENT], target=R.SENT_TO_CA,
                 when=lambda: [deadlines.open_q("request", "supplement_complete")],
                 label=_("Supplement completed"), queue=_("Supplements the CA asked for (5 working days)")),
        Step508("handover_unit", source=[R.ISSUED], target=R.HANDED_TO_UNIT, perm=LC_REVIEW, at_it_center=True,
                label=_("Hand over to the managing unit (Form 03)"),
                queue=_("Certificates to hand over to the managing units (Form 03, 2 working days)")),
        *officer("handover_subscriber", unit=MANAGED, source=[R.HANDED_TO_UNIT], target=R.HANDED_TO_SUBSCRIBER,
                 label=_("Handed to the subscriber (report back)"),
                 queue=_("Certificates to hand to the subscribers (2 working days)")),
        Step508("activate", source=[R.HANDED_TO_SUBSCRIBER], target=R.ACTIVATED, perm=LC_REVIEW, at_it_center=True,
                label=_("Send the activation notice (Form 04)"),
                queue=_("Activation notices to send to the CA (Form 04, 1 working day)")),
    ])


# ---------------------------------------------------------------- Form 02: lists up the hierarchy

LIST = Flow(
    "lifecycle.list", "lifecycle.RequestList", label=_("list"), subject="list",
    url=lambda lst: f"/lifecycle/lists/{lst.pk}/", state_labels=_labels(L),
    transitions=[
        *officer("send", unit="unit", source=[L.DRAFT], target=L.SENT, when=lambda: [Q(is_approval_list=False)],
                 label=_("Send up"), queue=_("Lists (Form 02) to send up")),
        Step508("compile_into", source=[L.SENT], target=L.RECEIVED, perm=LC_CONFIRM, at="sent_to__path",
                when=lambda: [~Q(sent_to__function=UnitFunction.IT_CENTER)], label=_("Compile into our list"),
                queue=_("Lists (Form 02) of lower units to compile")),
        Step508("receive", source=[L.SENT], target=L.RECEIVED, perm=LC_REVIEW, at="sent_to__path", at_it_center=True,
                when=lambda: [Q(sent_to__function=UnitFunction.IT_CENTER)], label=_("Receive"),
                queue=_("Lists (Form 02) to receive (review within 3 working days)")),
        Step508("submit", source=[L.DRAFT], target=L.SUBMITTED, perm=LC_REVIEW,
                when=lambda: [Q(is_approval_list=True)], label=_("Submit for approval")),
        Step508("approve", source=[L.SUBMITTED], target=L.APPROVED, perm=LC_APPROVE, at="unit__path",
                separate_from=("compile_approval", Related("approval_requests", f"{REQUEST.name}.review")),
                not_for=("approval_requests__created_by", "approval_requests__subscriber__person__user"),
                own_error=APPROVE_OWN,
                label=_("Approve"), queue=_("Lists (Form 02) waiting for your approval")),
        Step508("send_to_ca", source=[L.APPROVED], target=L.SENT_TO_CA, perm=LC_REVIEW, at_it_center=True,
                label=_("Send to the CA"), queue=_("Approved lists to send to the CA")),
    ])


# ---------------------------------------------------------------- Form 05: revocation (Art. 6)

REVOKED_OF = "certificate__subscriber__managing_unit"

REVOCATION = Flow(
    "lifecycle.revocation", "lifecycle.RevocationRequest", label=_("revocation"), subject="revocation",
    url=lambda rev: f"/lifecycle/revocations/{rev.pk}/", state_labels=_labels(V),
    transitions=[
        *officer("confirm", unit=REVOKED_OF, source=[V.REQUESTED], target=V.CONFIRMED,
                 not_for=("certificate__subscriber__person__user",),
                 label=_("Confirm (managing unit)"), queue=_("Revocation requests to confirm (Form 05)")),
        Step508("send", source=[V.CONFIRMED], target=V.SENT_TO_CA, perm=LC_REVIEW, at_it_center=True,
                label=_("Send to the CA"), queue=_("Revocations to send to the CA (1 working day; c and e at once)")),
        Step508("ca_confirmed", source=[V.SENT_TO_CA], target=V.REVOKED, perm=LC_REVIEW, at_it_center=True,
                label=_("The CA confirmed the revocation"), queue=_("Revocations waiting for the CA's confirmation")),
        Step508("notify_unit", source=[V.REVOKED], target=V.UNIT_NOTIFIED, perm=LC_REVIEW, at_it_center=True,
                label=_("Tell the unit to recover the device"),
                queue=_("Units to tell to recover the device (1 working day)")),
        *officer("return_device", unit=REVOKED_OF, source=[V.UNIT_NOTIFIED], target=V.DEVICE_RETURNED,
                 label=_("Device recovered, sealed and returned (Form 03)"),
                 queue=_("Key devices to recover, seal and return (Form 03)")),
    ])


# ---------------------------------------------------------------- key devices

DEVICE = Flow(
    "lifecycle.device", "lifecycle.KeyDevice", label=_("key device"),
    url=lambda d: f"/lifecycle/devices/?q={d.serial}", state_labels=_labels(D),
    transitions=[
        Step508("issue", source=[D.IN_STOCK], target=D.ISSUED, perm=LC_DEVICE, at="unit__path",
                label=_("Issue to a subscriber")),
        Step508("lose", source=[D.IN_STOCK, D.ISSUED], target=D.LOST, perm=LC_DEVICE, at="unit__path",
                label=_("Lost")),
        Step508("damage", source=[D.IN_STOCK, D.ISSUED], target=D.DAMAGED, perm=LC_DEVICE, at="unit__path",
                label=_("Damaged")),
        Step508("recover", source=[D.ISSUED, D.DAMAGED], target=D.RECOVERED, perm=LC_DEVICE, at="unit__path",
                label=_("Recovered")),
        Step508("seal", source=[D.RECOVERED], target=D.SEALED, perm=LC_DEVICE, at="unit__path",
                label=_("Seal"), queue=_("Recovered key devices to seal")),
        Step508("return", source=[D.SEALED], target=D.RETURNED, perm=LC_DEVICE, at="unit__path",
                label=_("Return to the CA"), queue=_("Sealed key devices to return to the CA")),
    ])

DEVICE_STEP = {D.ISSUED: "issue", D.LOST: "lose", D.DAMAGED: "damage", D.RECOVERED: "recover", D.SEALED: "seal",
               D.RETURNED: "return"}
FLOWS = {"request": REQUEST, "list": LIST, "revocation": REVOCATION, "device": DEVICE}
