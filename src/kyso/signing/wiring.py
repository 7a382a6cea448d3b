"""What the signing app plugs into the platform at start-up (loaded by `KysoAppConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from kyso.core import audited, nav

from . import permissions
from .models import ArchiveRenewal

audited.register(ArchiveRenewal, unit_path=lambda r: r.unit_path)
nav.register(_("Archive renewals"), "signing:renewals", perm=permissions.ARCHIVE_VIEW, order=81)
# Anyone may check a signed document: the page is public, like the government's own verification portals.
nav.register(_("Verify a signature"), "signing:verify", order=80, public=True)
