from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    """Notifications by e-mail (Django mail backends) and SMS (adapter), through an outbox."""

    name = "kyso.notify"
    label = "notify"
    verbose_name = _("Notifications")
