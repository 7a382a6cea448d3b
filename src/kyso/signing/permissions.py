from django.utils.translation import gettext_lazy as _

from kyso.accounts.roles import Role, define, grant

# Art. 8.1 of Decision 508: the unit's clerk holds and uses the unit's (seal) signature.
SIGN_SEAL = define("signing.seal", _("Sign with the unit's organisation (seal) certificate"))
grant(Role.CLERK, SIGN_SEAL)
