from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    """Notifications by e-mail (Django mail backends) and SMS (adapter), through an outbox."""

    name = "kyso.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self):
        from kyso.audit.capture import register

        from .models import Notification

        register(Notification, exclude={"status", "attempts", "error", "sent_at"})
