from celery import shared_task


@shared_task(name="kyso.sims.tasks.daily")
def daily():
    """Every morning: close the SIM PKI payment of the months whose 5th working day after has come."""
    from kyso.core.context import acting_as

    from .services import close_due_months

    with acting_as(label="sims-daily", channel="task"):
        return {"closed": [f"{c.month:%Y-%m}" for c in close_due_months()]}
