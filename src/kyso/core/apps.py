from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig, checks  # noqa: F401  (registers the database checks)


class CoreConfig(appconfig.KysoAppConfig):
    """Cross-cutting plumbing: errors, request context, home page, health, CLI serve/demo."""

    name = "kyso.core"
    label = "core"
    verbose_name = _("Core")
