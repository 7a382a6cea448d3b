from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PkiConfig(AppConfig):
    """Our own certification authority: key store, issuance, CRL, OCSP, time-stamps."""

    name = "kyso.pki"
    label = "pki"
    verbose_name = _("PKI")
