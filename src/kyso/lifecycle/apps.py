from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    """Certificate lifecycle per Decision 508: requests, lists, review, handover, revocation, devices."""

    name = "kyso.lifecycle"
    label = "lifecycle"
    verbose_name = _("Certificate lifecycle")
