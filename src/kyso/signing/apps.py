from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    """Signing and verification of e-documents (PAdES, XAdES) with validation reports."""

    name = "kyso.signing"
    label = "signing"
    verbose_name = _("Signing and verification")
