"""Outgoing and incoming official documents: drafting, leader's signature, clerk's seal and number, dispatch, arrival verified (Art. 8.8)."""
from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class EofficeConfig(appconfig.KysoAppConfig):
    """Outgoing and incoming official documents: drafting, leader's signature, clerk's seal and number, dispatch, arrival verified (Art. 8.8)."""

    name = "kyso.eoffice"
    label = "eoffice"
    verbose_name = _("E-office")
