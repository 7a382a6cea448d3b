from celery import shared_task


@shared_task(name="kyso.lifecycle.tasks.daily")
def daily():
    """Every morning: expired certificates marked, expiry reminders (90/60/30/7 days), the overdue digest."""
    from django.db import transaction

    from kyso.core.context import acting_as

    from . import reminders

    with acting_as(label="lifecycle-daily", channel="task"), transaction.atomic():
        return {"expired": reminders.mark_expired(), "reminded": reminders.remind_expiring(),
                "digest": reminders.digest()}


@shared_task(name="kyso.lifecycle.tasks.run_bulk")
def run_bulk(job_id: int):
    """A bulk job (revoke many certificates); see `bulk.run`."""
    from .bulk import run

    return run(job_id).done
