from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class WorkdaysConfig(appconfig.KysoAppConfig):
    """Vietnamese working days: every regulatory deadline is counted here."""

    name = "kyso.workdays"
    label = "workdays"
    verbose_name = _("Working days")
