from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class PkiConfig(appconfig.KysoAppConfig):
    """Our own certification authority: key store, issuance, CRL, OCSP, time-stamps."""

    name = "kyso.pki"
    label = "pki"
    verbose_name = _("PKI")
