from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class NotifyConfig(appconfig.KysoAppConfig):
    """Notifications by e-mail (Django mail backends) and SMS (adapter), through an outbox."""

    name = "kyso.notify"
    label = "notify"
    verbose_name = _("Notifications")
