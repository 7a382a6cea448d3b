from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    """Signing and verification of e-documents (PAdES, XAdES) with validation reports."""

    name = "kyso.signing"
    label = "signing"
    verbose_name = _("Signing and verification")

    def ready(self):
        from kyso.core import nav

        from . import permissions  # noqa: F401 - defines and grants the signing permissions

        # Anyone may check a signed document: the page is public, like the government's own verification portals.
        nav.register(_("Verify a signature"), "signing:verify", order=80, public=True)
