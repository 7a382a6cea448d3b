from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class SigningConfig(appconfig.KysoAppConfig):
    """Signing and verification of e-documents (PAdES, XAdES) with validation reports."""

    name = "kyso.signing"
    label = "signing"
    verbose_name = _("Signing and verification")
