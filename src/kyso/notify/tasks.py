from celery import shared_task


@shared_task(name="kyso.notify.tasks.deliver", autoretry_for=(), ignore_result=True)
def deliver(pk: int):
    from .services import deliver as _deliver

    return _deliver(pk)


@shared_task(name="kyso.notify.tasks.retry_failed", ignore_result=True)
def retry_failed():
    from .services import retry_failed as _retry

    return _retry()
