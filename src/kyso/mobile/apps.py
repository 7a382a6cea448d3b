from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class MobileConfig(appconfig.KysoAppConfig):
    """Remote signing (CSC API v1/v2, SCAL2) and SIM PKI (ETSI TS 102 204) with a phone simulator, per letter 346/BHXH-CNTT."""

    name = "kyso.mobile"
    label = "mobile"
    verbose_name = _("Mobile and remote signing")
