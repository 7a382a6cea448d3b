from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class AuditConfig(appconfig.KysoAppConfig):
    """Append-only hash-chained audit records, signed checkpoints, `kyso audit verify`."""

    name = "kyso.audit"
    label = "audit"
    verbose_name = _("Audit trail")
