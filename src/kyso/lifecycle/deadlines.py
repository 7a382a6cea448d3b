"""Deadlines of Decision 508 in Vietnamese working days, kept as `Step` rows so that queues, overdue
flags and the daily digest all read one table."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from kyso.workdays.calendar import add_working_days, today

from .models import Step

# step name -> (working days, label). 0 = "immediately" (the same day).
RULES = {
    "it_review": (3, "Trung tâm CNTT kiểm tra hồ sơ (3 ngày làm việc)"),
    "return_guidance": (2, "Hướng dẫn hoàn thiện hồ sơ không hợp lệ (2 ngày làm việc)"),
    "refusal_notice": (2, "Thông báo lý do từ chối bằng văn bản (2 ngày làm việc)"),
    "supplement_notice": (2, "Thông báo, hướng dẫn bổ sung hồ sơ (2 ngày làm việc)"),
    "supplement_complete": (5, "Đơn vị hoàn thiện hồ sơ bổ sung (5 ngày làm việc)"),
    "handover_unit": (2, "Bàn giao chứng thư số cho đơn vị quản lý thuê bao (2 ngày làm việc)"),
    "handover_subscriber": (2, "Chuyển giao chứng thư số cho thuê bao (2 ngày làm việc)"),
    "activation_notice": (1, "Gửi đề nghị thời điểm có hiệu lực, Mẫu số 04 (1 ngày làm việc)"),
    "revoke_1wd": (1, "Gửi yêu cầu thu hồi chứng thư số (1 ngày làm việc)"),
    "revoke_now": (0, "Gửi yêu cầu thu hồi chứng thư số ngay"),
    "revocation_notice": (1, "Thông báo đơn vị thu hồi thiết bị (1 ngày làm việc)"),
}


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
