from django.utils.translation import gettext_lazy as _

from kyso.accounts.roles import Role, define, grant

PKI_VIEW = define("pki.view", _("See the certification authority and the certificates it issued"))
PKI_ISSUE = define("pki.issue", _("Issue certificates from the CA"))
PKI_REVOKE = define("pki.revoke", _("Revoke, suspend and release certificates"))

grant(Role.IT_OFFICER, PKI_VIEW, PKI_ISSUE, PKI_REVOKE)
grant(Role.AUDITOR, PKI_VIEW)
grant(Role.LEADER, PKI_VIEW)
