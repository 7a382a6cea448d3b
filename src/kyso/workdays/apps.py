from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """Vietnamese working days: every regulatory deadline is counted here."""

    name = "kyso.workdays"
    label = "workdays"
    verbose_name = _("Working days")

    def ready(self):
        from kyso.audit.capture import register

        from .models import DayOverride

        register(DayOverride)

        from kyso.core import nav

        nav.register(_("Working days"), "workdays:index", order=90)
