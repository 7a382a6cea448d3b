from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class PortalConfig(appconfig.KysoAppConfig):
    """Public service portal and one-stop system: procedures, e-dossiers, workflow, statistics."""

    name = "kyso.portal"
    label = "portal"
    verbose_name = _("Public service portal")
