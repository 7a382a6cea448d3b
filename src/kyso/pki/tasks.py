from celery import shared_task


@shared_task(name="kyso.pki.tasks.refresh_crls")
def refresh_crls():
    """Keep every CA's CRL fresh before its nextUpdate (hourly)."""
    from django.db import transaction

    from .crl import refresh_all

    with transaction.atomic():
        return refresh_all()
