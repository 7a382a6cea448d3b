"""What waits for a person: each app registers providers; the home page lists their items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from . import workflow

_providers: list[Callable] = []


@dataclass
class InboxItem:
    label: str
    count: int
    url: str = ""
    overdue: int = 0
    next_due: dt.date | None = None
    app: str = ""
    severity: str = "info"  # info | warning | danger


def provider(func: Callable) -> Callable:
    """Register `func(user) -> list[InboxItem]`."""
    if func not in _providers:
        _providers.append(func)
    return func


def _workflow_items(user) -> list[InboxItem]:
    """The queues of every declared workflow: the same declaration that gives the permission and the deadline."""
    return [InboxItem(label=str(e.title), count=e.count, url=f"/tasks/{e.workflow.name}/{e.transition.name}/",
                      overdue=e.overdue, next_due=e.next_due, app=e.workflow.name.split(".")[0],
                      severity="danger" if e.overdue else "warning")
            for e in workflow.work_for(user)]


def items_for(user) -> list[InboxItem]:
    items: list[InboxItem] = _workflow_items(user)
    for func in _providers:
        items.extend(func(user) or [])
    items.sort(key=lambda i: (-i.overdue, i.next_due or dt.date.max, i.label))
    return items


def overdue_total(user) -> int:
    return sum(i.overdue for i in items_for(user))
