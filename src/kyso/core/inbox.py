"""What waits for a person: each app registers providers; the home page lists their items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

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


def items_for(user) -> list[InboxItem]:
    items: list[InboxItem] = []
    for func in _providers:
        items.extend(func(user) or [])
    items.sort(key=lambda i: (-i.overdue, i.next_due or dt.date.max, i.label))
    return items


def overdue_total(user) -> int:
    return sum(i.overdue for i in items_for(user))
