"""Who reads and verifies the audit trail."""

from django.utils.translation import gettext_lazy as _

from kyso.core.roles import Role, define, grant

AUDIT_VIEW = define("audit.view", _("Read the audit trail"))
AUDIT_VERIFY = define("audit.verify", _("Verify the audit chain"))
# the personal data (CCCD, birth, residence, phone numbers) in the trail's snapshots: not the auditor's, who sees
# them masked; the system administrator holds every right (issue 16, `privacy.py`)
AUDIT_PERSONAL_DATA = define("audit.personal_data", _("See the personal data in the audit trail's snapshots"))

grant(Role.AUDITOR, AUDIT_VIEW, AUDIT_VERIFY)
