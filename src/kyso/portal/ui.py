"""Menu entries of the portal. The officers' and the submitters' queues come from the workflow declaration
(`flows.DOSSIER`, shown by the home page and /tasks/ through `kyso.core.workflow.work_for`)."""

from django.utils.translation import gettext_lazy as _

from kyso.core import nav

from .permissions import PORTAL_RECEIVE, PORTAL_STATS, PORTAL_VIEW

nav.register(_("Dossiers"), "portal:index", perm=PORTAL_VIEW, order=70)
nav.register(_("One-stop desk"), "portal:desk", perm=PORTAL_RECEIVE, order=71)
nav.register(_("Dossier statistics"), "portal:statistics", perm=PORTAL_STATS, order=72)
nav.register(_("Procedures"), "portal:procedures", order=73, public=True)
nav.register(_("Dossier status"), "portal:status", order=74, public=True)
