"""Who reads and verifies the audit trail."""

from django.utils.translation import gettext_lazy as _

from kyso.core.roles import Role, define, grant

AUDIT_VIEW = define("audit.view", _("Read the audit trail"))
AUDIT_VERIFY = define("audit.verify", _("Verify the audit chain"))

grant(Role.AUDITOR, AUDIT_VIEW, AUDIT_VERIFY)
