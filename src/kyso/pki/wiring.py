"""What the pki app plugs into the platform at start-up (loaded by `KysoAppConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from kyso.audit.keys import register_provider
from kyso.core import audited, nav

from . import auditkeys, permissions
from .models import CertificateAuthority, IssuedCertificate, TokenPin

audited.register(CertificateAuthority, exclude={"revocation_version", "crl_number"}, unit_path=lambda ca: "")
audited.register(IssuedCertificate, unit_path=lambda c: "")
audited.register(TokenPin, unit_path=lambda t: "")
nav.register(_("Certification authority"), "pki:index", perm=permissions.PKI_VIEW, order=60)

# The audit chain's MAC key lives in the key store or the HSM (audit sits below pki, so pki plugs it in).
register_provider(auditkeys.provider)
