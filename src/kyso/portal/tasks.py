"""The portal's periodic job, registered with `kyso.jobs`: time-stamping the receipts issued since the last
run, in batches of one time-stamp each (issue 19; `receipt_stamps`)."""

from django.utils.translation import gettext_lazy as _

from kyso.jobs import registry

from .receipt_stamps import RUN_EVERY_SECONDS, run_job

registry.every("portal.receipt_timestamps", _("Time-stamping the receipts of received dossiers"), run_job,
               seconds=RUN_EVERY_SECONDS)
