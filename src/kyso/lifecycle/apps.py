from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class LifecycleConfig(appconfig.KysoAppConfig):
    """Certificate lifecycle per Decision 508/QĐ-BHXH and letter 26/CNTT-HTA."""

    name = "kyso.lifecycle"
    label = "lifecycle"
    verbose_name = _("Certificate lifecycle")
