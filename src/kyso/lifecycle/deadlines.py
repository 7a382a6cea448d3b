"""Deadlines of Decision 508 in Vietnamese working days, kept as `Step` rows so that queues, overdue
flags and the daily digest all read one table."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from kyso.workdays.calendar import add_working_days, today

from .models import STEP_RULES as RULES
from .models import Step


def due(name: str, start: dt.date) -> dt.date:
    days = RULES[name][0]
    return start if days == 0 else add_working_days(start, days)


def open_step(subject_type: str, subject_id: int, name: str, unit, start: dt.date | None = None) -> Step:
    start = start or today()
    return Step.objects.create(subject_type=subject_type, subject_id=subject_id, name=name, label=RULES[name][1],
                               unit=unit, started_on=start, due_on=due(name, start))


def close_steps(subject_type: str, subject_id: int, *names: str, on: dt.date | None = None) -> None:
    for step in Step.objects.filter(subject_type=subject_type, subject_id=subject_id, name__in=names,
                                    done_on__isnull=True):
        step.done_on = on or today()
        step.save(update_fields=["done_on"])


def steps_of(subject_type: str, subject_id: int) -> list[Step]:
    return list(Step.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by("id"))


def is_open(subject_type: str, subject_id: int, name: str) -> bool:
    return Step.objects.filter(subject_type=subject_type, subject_id=subject_id, name=name,
                               done_on__isnull=True).exists()


def next_due(subject_type: str, subject_id: int) -> dt.date | None:
    """The deadline a record waits on now: the earliest of its open steps (the workflows' `due`)."""
    step = Step.objects.filter(subject_type=subject_type, subject_id=subject_id, done_on__isnull=True) \
        .order_by("due_on").first()
    return step.due_on if step else None


def open_q(subject_type: str, *names: str):
    """Records with one of these steps open (a condition for a queue)."""
    return Exists(Step.objects.filter(subject_type=subject_type, subject_id=OuterRef("pk"), name__in=names,
                                      done_on__isnull=True))
