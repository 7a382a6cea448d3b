from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PkiConfig(AppConfig):
    """Our own certification authority: key store, issuance, CRL, OCSP, time-stamps."""

    name = "kyso.pki"
    label = "pki"
    verbose_name = _("PKI")

    def ready(self):
        from kyso.audit.capture import register
        from kyso.core import nav

        from . import permissions  # noqa: F401 - defines and grants the PKI permissions
        from .models import CertificateAuthority, IssuedCertificate

        register(CertificateAuthority, exclude={"revocation_version", "crl_number"}, unit_path=lambda ca: "")
        register(IssuedCertificate, unit_path=lambda c: "")
        nav.register(_("Certification authority"), "pki:index", perm=permissions.PKI_VIEW, order=60)
