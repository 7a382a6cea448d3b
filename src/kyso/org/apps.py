from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class OrgConfig(appconfig.KysoAppConfig):
    """The agency's unit tree (levels are data) and the people who work in it."""

    name = "kyso.org"
    label = "org"
    verbose_name = _("Organisation")
