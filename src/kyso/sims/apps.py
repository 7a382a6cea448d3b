"""The agency's SIM PKI subscriptions (phone, carrier, SIM, certificate) and data plans by title, for payment (letter 346)."""
from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class SimsConfig(appconfig.KysoAppConfig):
    """The agency's SIM PKI subscriptions (phone, carrier, SIM, certificate) and data plans by title, for payment (letter 346)."""

    name = "kyso.sims"
    label = "sims"
    verbose_name = _("SIM PKI registry")
