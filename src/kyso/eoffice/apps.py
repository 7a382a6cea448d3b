from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EofficeConfig(AppConfig):
    """Outgoing and incoming official documents: drafting, leader's signature, clerk's seal and number, dispatch, arrival verified (Art. 8.8)."""

    name = "kyso.eoffice"
    label = "eoffice"
    verbose_name = _("E-office")
