"""What the domain apps plug in (from their wiring): the kinds of job they submit and their periodic jobs.

A kind works through its job's `items` one at a time: `each(job, item)` runs in a savepoint; a `KysoError` is
kept as that item's failure (in Vietnamese) and the job goes on; the checkpoint is written with every `chunk`
items, in the same transaction as their work. A periodic job is a kind with one item, submitted by the worker
once per period (every `every` seconds, or daily at `at` in Vietnam's time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from kyso.core import steps


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any
    each: Callable[[Any, Any], Any]
    chunk: int = 20
    perm: str | None = None        # who else than the submitter may follow the job (at the job's unit)
    lock_prefix: str = ""          # lock key of an item: f"{lock_prefix}:{item}" (empty: the job locks nothing)
    max_attempts: int = 3
    atomic: bool = True            # False: `each` commits its own work (idempotent refreshes); redone if killed


@dataclass(frozen=True)
class Periodic:
    name: str
    kind: str
    every: dt.timedelta | None = None
    at: dt.time | None = None      # daily, at this local time


_kinds: dict[str, Kind] = {}
_periodic: dict[str, Periodic] = {}


def register(kind: Kind) -> Kind:
    _kinds[kind.name] = kind
    steps.register_label(f"job:{kind.name}", kind.label)    # the trail's actor of a job nobody submitted
    return kind


def kind(name: str) -> Kind | None:
    return _kinds.get(name)


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def every(name: str, label, fn: Callable[[], Any], *, seconds: int | None = None, at: str | None = None,
          atomic: bool = True) -> Periodic:
    """A periodic job: `fn()` once per period — every `seconds`, or daily `at` "HH:MM" (Vietnam's time)."""
    register(Kind(name=name, label=label, each=lambda job, item: fn(), chunk=1, atomic=atomic,
                  lock_prefix=f"periodic:{name}"))
    per = Periodic(name=name, kind=name, every=dt.timedelta(seconds=seconds) if seconds else None,
                   at=dt.time.fromisoformat(at) if at else None)
    _periodic[name] = per
    return per


def periodic() -> dict[str, Periodic]:
    return dict(_periodic)
