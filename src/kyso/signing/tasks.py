"""Signing's periodic job, registered with `kyso.jobs`: renewing the long-term proof of archived signed records
whose last time-stamp loses its strength within the margin (daily, at night)."""

from django.utils.translation import gettext_lazy as _

from kyso.jobs import registry

from .renewal import run_job

registry.every("signing.archive_renewal", _("Renewing the time-stamps of archived signed records"), run_job,
               at="02:30")
