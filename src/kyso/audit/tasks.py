from celery import shared_task


@shared_task(name="kyso.audit.tasks.checkpoint")
def checkpoint():
    """Periodic signed checkpoint of the chain head (Celery beat, every 5 minutes)."""
    from .chain import create_checkpoint

    cp = create_checkpoint()
    return cp.seq if cp else 0
