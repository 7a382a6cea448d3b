"""Workflows declared as data: states, steps, who may act, the deadline — read by the step runner, the
permission checks, the forms that offer a step and the officers' queues alike, so they cannot disagree.

    REQUEST = Workflow("lifecycle.request", "lifecycle.IssuanceRequest", label=_("certificate request"),
                       url=lambda r: f"/lifecycle/requests/{r.pk}/", transitions=[
        Transition("confirm", source=[SUBMITTED], target=CONFIRMED, perm=LC_CONFIRM, at="managing_unit__path",
                   separate_from=("file",), label=_("Confirm"), queue=_("Requests to confirm")),
    ])
    REQUEST.perform("confirm", req, actor=user, body=lambda attempt: ...)

A transition names the unit where its permission is checked (`at`: a lookup from the record to a unit
path, as in queries); the queue of a transition is every record in one of its source states inside the
actor's scope for that permission. Deadlines come from the workflow's `due(record)`: what the regulation
gives (in Vietnamese working days), computed by the domain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from . import steps
from .errors import InvalidState

_FLOWS: dict[str, "Workflow"] = {}


@dataclass(frozen=True)
class Transition:
    """One step of a workflow. `name` is local to the workflow (`confirm`); its step is `<flow>.<name>`."""

    name: str
    source: tuple[str, ...]
    target: str | tuple[str, ...] | None = None   # None: the state does not change; a tuple: the body chooses
    perm: str | None = None
    at: str | None = None                          # lookup of the unit path where `perm` is needed
    separate_from: tuple = ()                      # local names of steps the same person may not also do, or
                                                   # `steps.Related` ones done on the records this one holds
    label: Any = ""                                # the verb people read ("Xác nhận")
    queue: Any = ""                                # the queue's title; empty: this step is not queued work
    filter: dict | None = None                     # extra queryset filter for the queue (e.g. {"on_hold": False})

    def __post_init__(self):
        object.__setattr__(self, "source", tuple(self.source))
        object.__setattr__(self, "separate_from", tuple(self.separate_from))


COUNT_CAP = 1000    # a queue longer than this reads "1000+": never a count over millions of rows on a page


class AtLeast(int):
    """A capped count: compares as the number, reads "1000+"."""

    def __str__(self):
        return f"{int(self)}+"


def capped_count(qs, cap: int = COUNT_CAP) -> int:
    """How many rows `qs` has, counting no further than `cap` (SELECT COUNT(*) FROM (… LIMIT cap + 1)). A queue
    the person has no right to (`.none()`) is 0 without building the statement: half of a home page's queues."""
    if qs.query.is_empty():
        return 0
    n = qs.order_by()[:cap + 1].count()
    return AtLeast(cap) if n > cap else n


@dataclass
class QueueEntry:
    """What waits for one person at one step: the records, how many, which are late."""

    workflow: "Workflow"
    transition: Transition
    records: list
    count: int
    overdue: int = 0
    next_due: dt.date | None = None

    @property
    def title(self):
        return self.transition.queue

    def rows(self, records=None) -> list[dict]:
        """Each waiting record with its link, deadline and whether it is late (for pages)."""
        today = steps.today()
        out = []
        for r in self.records if records is None else records:
            due = self.workflow.due_of(r)
            out.append({"record": r, "url": self.workflow.url(r) if self.workflow.url else "", "due": due,
                        "overdue": bool(due and due < today)})
        return out


@dataclass
class Workflow:
    name: str
    model: str
    transitions: list[Transition]
    label: Any = ""
    state_field: str = "state"
    url: Callable[[Any], str] | None = None
    due: Callable[[Any], dt.date | None] | None = None
    state_labels: Callable[[], dict] | None = None
    queue_limit: int = 20
    _by_name: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        self._by_name = {t.name: t for t in self.transitions}
        _FLOWS[self.name] = self
        for t in self.transitions:
            if t.label:
                steps.register_label(f"{self.name}.{t.name}", t.label)

    # ------------------------------------------------------------------ reading the declaration

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def transition(self, name: str) -> Transition:
        return self._by_name[name]

    def step(self, name: str) -> steps.Step:
        t = self.transition(name)
        return steps.Step(name=f"{self.name}.{t.name}", perm=t.perm,
                          separate_from=tuple(f"{self.name}.{s}" if isinstance(s, str) else s
                                              for s in t.separate_from), label=str(t.label))

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def unit_path(self, obj, t: Transition) -> str | None:
        """The unit path where `t`'s permission is checked for `obj` (None: anywhere)."""
        if t.at is None:
            return None
        value = obj
        for part in t.at.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return ""
        return value

    def due_of(self, obj) -> dt.date | None:
        return self.due(obj) if self.due else None

    def state_label(self, state: str) -> str:
        labels = self.state_labels() if self.state_labels else {}
        return str(labels.get(state, state))

    # ------------------------------------------------------------------ acting

    def perform(self, name: str, obj, *, actor, body: Callable[[steps.Attempt], Any] | None = None):
        """Run transition `name` on `obj` as `actor` through the step runner: state checked, permission at
        the declared unit, four eyes, savepoint, audit; the state moves to the declared target."""
        t = self.transition(name)
        current = self.state_of(obj)
        if current not in t.source:
            raise InvalidState(f"{self.name}.out_of_order",
                               _("This step is not allowed now: the %(kind)s is “%(state)s”."),
                               kind=self.label, state=self.state_label(current))

        def run(attempt):
            result = body(attempt) if body is not None else None
            state = self.state_of(obj)
            if isinstance(t.target, str) and state != t.target:
                setattr(obj, self.state_field, t.target)
                obj.save()
            elif isinstance(t.target, tuple) and state not in t.target:
                raise RuntimeError(f"{self.name}.{name} left the record in {state}, not one of {t.target}")
            return obj if result is None else result

        return steps.run(self.step(name), run, actor=actor, obj=obj, unit=self.unit_path(obj, t))

    def allowed(self, obj, actor) -> list[Transition]:
        """The steps `actor` may take on `obj` now: the forms offer exactly these (no control that is refused)."""
        out = []
        state = self.state_of(obj)
        for t in self.transitions:
            if state not in t.source:
                continue
            if t.perm and not steps.can(actor, t.perm, self.unit_path(obj, t)):
                continue
            if t.separate_from and steps.blocked_by_duties(actor, self.step(t.name), obj):
                continue
            out.append(t)
        return out

    def may(self, name: str, obj, actor) -> bool:
        return any(t.name == name for t in self.allowed(obj, actor))

    # ------------------------------------------------------------------ queues

    def queue_for(self, actor, t: Transition):
        """Records waiting at step `t` for `actor`: in one of its source states, inside his scope."""
        qs = self.model_class._default_manager.filter(**{f"{self.state_field}__in": t.source})
        if t.filter:
            qs = qs.filter(**t.filter)
        if t.perm:
            if not steps.has_anywhere(actor, t.perm):
                return qs.none()
            if t.at:
                qs = qs.filter(steps.scope_q(actor, t.perm, t.at))
        if t.separate_from:
            qs = steps.exclude_separated(actor, self.step(t.name), qs)
        return qs

    def queues(self, actor) -> list[QueueEntry]:
        out = []
        for t in self.transitions:
            if not t.queue:
                continue
            qs = self.queue_for(actor, t)
            count = capped_count(qs)
            if not count:
                continue
            records = list(qs.order_by("pk")[: self.queue_limit])
            dues = [d for d in (self.due_of(r) for r in records) if d]
            today = steps.today()
            out.append(QueueEntry(self, t, records, count, overdue=sum(1 for d in dues if d < today),
                                  next_due=min(dues) if dues else None))
        return out

    # ------------------------------------------------------------------ where a record went

    def holders(self, obj) -> list[tuple[Transition, str]]:
        """Who acts next on `obj`: each queued step from its state with the unit path where it waits."""
        state = self.state_of(obj)
        return [(t, self.unit_path(obj, t) or "") for t in self.transitions if state in t.source and t.queue]

    def where(self, obj) -> str:
        """In words: the record's state and who holds it now ("Đã xác nhận — đang chờ Cán bộ Trung tâm CNTT
        (Trung tâm Công nghệ thông tin): Tiếp nhận"). Shown after every action."""
        state = self.where_state(obj)
        pending = self.holders(obj)
        if not pending:
            return str(_("Now: %(state)s. Nothing more waits on it.") % {"state": state})
        names = steps.unit_names([p for _t, p in pending if p])
        parts = [self.holder_text(obj, t, path, names) for t, path in pending]
        return str(_("Now: %(state)s — waiting for %(who)s.") % {"state": state, "who": "; ".join(parts)})

    def where_state(self, obj) -> str:
        """The record's state as `where` says it."""
        return self.state_label(self.state_of(obj))

    def holder_text(self, obj, t: Transition, path: str, names: dict[str, str]) -> str:
        """One holder as `where` says it: the roles of the step's permission, the unit (`names` by path), the step."""
        who = ", ".join(steps.role_labels_for(t.perm)) if t.perm else ""
        where = names.get(path, "")
        holder = f"{who} ({where})" if who and where else (who or where)
        return f"{holder}: {t.label}" if holder else str(t.label)


def workflows() -> Iterable[Workflow]:
    return _FLOWS.values()


def get(name: str) -> Workflow:
    return _FLOWS[name]


def work_for(actor) -> list[QueueEntry]:
    """Every queue of every workflow for this person (the home page and the task pages)."""
    entries = []
    for flow in _FLOWS.values():
        entries.extend(flow.queues(actor))
    entries.sort(key=lambda e: (-e.overdue, e.next_due or dt.date.max, str(e.title)))
    return entries
