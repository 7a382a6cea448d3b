from django.utils.translation import gettext_lazy as _

from kyso.accounts.roles import Role, define, grant

# Art. 8.1 of Decision 508: the unit's clerk holds and uses the unit's (seal) signature.
SIGN_SEAL = define("signing.seal", _("Sign with the unit's organisation (seal) certificate"))
grant(Role.CLERK, SIGN_SEAL)

# The archive renewals (what the nightly job renewed and what it could not) — the IT Center and the auditors.
ARCHIVE_VIEW = define("signing.archive.view", _("See the renewals of archived signed records"))
grant(Role.IT_OFFICER, ARCHIVE_VIEW)
grant(Role.AUDITOR, ARCHIVE_VIEW)
grant(Role.SYSADMIN, ARCHIVE_VIEW)
