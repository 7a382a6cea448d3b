from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class JobsConfig(appconfig.KysoAppConfig):
    """Jobs in the database, the worker that runs them, and the schedule of the periodic ones."""

    name = "kyso.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
