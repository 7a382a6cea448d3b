"""The PKI's periodic jobs, registered with `kyso.jobs`: CRLs kept fresh before their nextUpdate (hourly), OCSP
responses pre-signed ahead of theirs (every 15 minutes; each batch committed as it is signed)."""

from django.utils.translation import gettext_lazy as _

from kyso.jobs import registry

from .crl import refresh_all
from .ocsp import refresh

registry.every("pki.crl_refresh", _("Refreshing the revocation lists (CRL)"), refresh_all, seconds=3600)
registry.every("pki.ocsp_refresh", _("Pre-signing the OCSP responses"), refresh, seconds=900, atomic=False)
