from django.utils.translation import gettext_lazy as _

from kyso.accounts.roles import Role, define, grant

PKI_VIEW = define("pki.view", _("See the certification authority and the certificates it issued"))
PKI_ISSUE = define("pki.issue", _("Issue certificates from the CA"))
PKI_REVOKE = define("pki.revoke", _("Revoke, suspend and release certificates"))
PKI_UNLOCK_PIN = define("pki.unlock_pin", _("Unlock a key locked after too many wrong PINs"))

grant(Role.IT_OFFICER, PKI_VIEW, PKI_ISSUE, PKI_REVOKE, PKI_UNLOCK_PIN)
grant(Role.AUDITOR, PKI_VIEW)
grant(Role.LEADER, PKI_VIEW)
