"""One way to change state: every step — from the UI, the API, the CLI or a job — goes through `run()`.

`run()` checks that the actor holds the step's permission at the unit concerned, that he did not do a
step the rules separate from this one on the same record or on the records it holds (four eyes), runs the step inside a savepoint
(nothing of a failed step stays written), names it in the audit trail, and answers a failure with one
error shape (`KysoError`: stable code + Vietnamese message). A step may ask for something to be kept
even when it fails — a wrong PIN counted, a refused attempt audited — with `attempt.after_failure()`:
that runs after the rollback, in its own savepoint, and is committed with the request.

`core` is the bottom layer, so the checks are plugged in from above at start-up: `accounts` installs the
permission model (`core.authz`), `audit` the audit context and the record of who did which step
(`set_auditor`, `set_duties`), `org` the unit names.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, TypeVar

from django.db import transaction
from django.utils import timezone

from . import authz
from .errors import KysoError

T = TypeVar("T")


@dataclass(frozen=True)
class Related:
    """In `separate_from`: step `step` done on the records `via` leads to (a lookup, as in a query) — the
    review of a request separated from the approval of the list holding it, which is another record."""

    via: str
    step: str


@dataclass(frozen=True)
class Step:
    """A business step. `name` is stable: it is the audit action and the key of the rules."""

    name: str
    perm: str | None = None
    separate_from: tuple[str | Related, ...] = ()   # step names on the same record, or `Related` ones
    label: str = ""


@dataclass
class Attempt:
    """What a running step may ask of the runner."""

    step: Step
    actor: Any
    obj: Any = None
    _after_failure: list[Callable[[], None]] = field(default_factory=list)

    def after_failure(self, fn: Callable[[], None]) -> None:
        """Run `fn` if the step fails, after its changes are rolled back (e.g. count a wrong PIN)."""
        self._after_failure.append(fn)


class Duties(Protocol):
    def check(self, actor, step: Step, obj) -> None: ...
    def done(self, actor, step: Step, obj) -> None: ...
    def barred(self, user_id, step: Step, model, excused: frozenset[str]) -> Any: ...


class _NoDuties:
    def check(self, actor, step, obj):
        return None

    def done(self, actor, step, obj):
        return None


_plugins: dict[str, Any] = {"audit": lambda name: contextlib.nullcontext(), "duties": _NoDuties(),
                            "unit_names": lambda paths: {}}


def set_auditor(fn: Callable[[str], contextlib.AbstractContextManager]) -> None:
    _plugins["audit"] = fn


def set_duty_exceptions(fn: Callable, in_force: Callable[[], list[tuple[str, str, str]]] | None = None) -> None:
    """Plugged in by `org`: `fn(actor, step, other, obj)` says whether an IT Center exception lets him;
    `in_force()` lists the exceptions in force as (step, other, unit path) — for queues, which ask of many."""
    _plugins["duty_exceptions"] = fn
    if in_force is not None:
        _plugins["exceptions_in_force"] = in_force


def exception_allows(actor, step: Step, other: str, obj) -> bool:
    fn = _plugins.get("duty_exceptions")
    return bool(fn and fn(actor, step, other, obj))


def exceptions_in_force(viewer=None) -> list[tuple[str, str, str]]:
    """(step, other, unit path) of the IT Center's four-eyes exceptions in force: read once for the pages of
    `viewer` (kept on him, as his roles are), so that a home page asks once whatever its queues."""
    cached = getattr(viewer, "_kyso_duty_exceptions", None) if viewer is not None else None
    if cached is None:
        fn = _plugins.get("exceptions_in_force")
        cached = list(fn()) if fn else []
        if viewer is not None:
            setattr(viewer, "_kyso_duty_exceptions", cached)
    return cached


def excused(actor, step_name: str) -> frozenset[str]:
    """The earlier steps after which an exception in force lets `actor` take step `step_name` anyway (an
    exception of a unit where he holds a role — as `exception_allows` says of one record)."""
    if actor is None:
        return frozenset()
    return frozenset(other for s, other, path in exceptions_in_force(actor)
                     if s == step_name and authz.has_role_at(actor, path))


def audit_action(name: str):
    """The audit trail's context naming a business action (plugged in by `audit`)."""
    return _plugins["audit"](name)


def set_duties(duties: Duties) -> None:
    _plugins["duties"] = duties


def set_unit_names(fn: Callable[[list[str]], dict[str, str]]) -> None:
    """Plugged in by `org`: unit names for unit paths (to say where a record waits)."""
    _plugins["unit_names"] = fn


def unit_names(paths: list[str]) -> dict[str, str]:
    return _plugins["unit_names"](paths)


def role_labels_for(perm: str) -> list[str]:
    return authz.role_labels_for(perm)


def can(actor, perm: str, unit=None) -> bool:
    return actor is None or authz.can(actor, perm, unit)


def has_anywhere(actor, perm: str) -> bool:
    return actor is None or authz.has_permission_anywhere(actor, perm)


def scope_q(actor, perm: str, path_field: str):
    return authz.scope_q(actor, perm, path_field)


def barred_q(user_id, step: Step, model, excused: frozenset[str] = frozenset()):
    """The records of `model` on which the four-eyes rule keeps user `user_id` from `step` — he did a step the rules
    separate from it, other than those in `excused` (an exception in force lets him) — as a condition of a query
    (sub-queries on the record of who did which step, not a list of ids); None when nothing can keep him off."""
    if user_id is None or not step.separate_from or not hasattr(_plugins["duties"], "barred"):
        return None
    return _plugins["duties"].barred(user_id, step, model, frozenset(excused))


def exclude_separated(actor, step: Step, qs):
    """`qs` without the records on which the four-eyes rule keeps `actor` from `step` (what an IT Center exception
    lifts for him stays: he may take the step)."""
    if actor is None or not step.separate_from:
        return qs
    q = barred_q(actor.pk, step, qs.model, excused(actor, step.name))
    return qs if q is None else qs.exclude(q)


def blocked_by_duties(actor, step: Step, obj) -> bool:
    """Whether the four-eyes rule would refuse `step` on `obj` to `actor` (to hide the control)."""
    if actor is None or obj is None or not step.separate_from:
        return False
    try:
        _plugins["duties"].check(actor, step, obj, dry_run=True)
    except KysoError:
        return True
    return False


def check_duties(actor, step: Step, obj) -> None:
    """Raise the four-eyes refusal `run` would give, writing nothing (a step checked before a device is asked
    for its PIN)."""
    if actor is None or obj is None or not step.separate_from:
        return
    _plugins["duties"].check(actor, step, obj, dry_run=True)


def today():
    """Today in Vietnam (settings.TIME_ZONE)."""
    return timezone.localdate()


def authorize(actor, perm: str | None, unit=None) -> None:
    """The permission check alone (for reads and for forms that offer a step)."""
    if actor is not None and perm:
        authz.require(actor, perm, unit)


def run(step: Step, body: Callable[[Attempt], T], *, actor=None, obj=None, unit=None) -> T:
    """Run `body(attempt)` as the step `step` by `actor` on `obj` (permission checked at `unit`).

    `actor=None` is the system itself (migrations, the demo loader): no permission or four-eyes check,
    still audited. Raises `KysoError` with `rolled_back=True` when the step failed cleanly."""
    attempt = Attempt(step=step, actor=actor, obj=obj)
    duties = _plugins["duties"]
    try:
        with transaction.atomic(), _plugins["audit"](step.name):
            authorize(actor, step.perm, unit)
            if actor is not None and obj is not None and step.separate_from:
                duties.check(actor, step, obj)
            result = body(attempt)
            if actor is not None and obj is not None:
                duties.done(actor, step, obj)
    except KysoError as exc:
        exc.rolled_back = True
        if attempt._after_failure:
            with transaction.atomic(), _plugins["audit"](f"{step.name}.failed"):
                for fn in attempt._after_failure:
                    fn()
        raise
    return result


def settle(fn: Callable[[], T]) -> tuple[T | None, KysoError | None]:
    """Run `fn()` (a call into the domain) in a savepoint of its own, for a caller that shows the error rather
    than raising it (a page, the command line, the phone). A step the runner refused has undone itself and kept
    what it kept on purpose (a wrong PIN counted): that stays. Any other `KysoError` (a date refused before the
    step began) undoes all `fn` did. Returns (result, None) or (None, the error)."""
    try:
        with transaction.atomic():
            try:
                return fn(), None
            except KysoError as exc:
                if not getattr(exc, "rolled_back", False):
                    raise
                return None, exc
    except KysoError as exc:
        return None, exc


_LABELS: dict[str, Any] = {}


def step(name: str, *, perm: str | None = None, separate_from: tuple[str | Related, ...] = (), label="") -> Step:
    if label:
        _LABELS[name] = label
    return Step(name=name, perm=perm, separate_from=tuple(separate_from), label=label)


def register_label(name: str, label) -> None:
    """The words people read for a step (the audit trail shows them instead of the step's code)."""
    _LABELS[name] = label


def label_of(name: str):
    return _LABELS.get(name)
