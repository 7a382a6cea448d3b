"""Who may do what with mobile signing. Holders act on their own credentials without a permission;
these cover acting for others."""

from django.utils.translation import gettext_lazy as _

from kyso.accounts.roles import Role, define, grant

MOBILE_VIEW = define("mobile.view", _("See the mobile signing credentials and requests of a unit"))
MOBILE_MANAGE = define("mobile.manage", _("Enrol and disable mobile signing credentials"))

MOBILE_REQUEST = define("mobile.request", _("Ask a holder in the unit to sign on his phone"))

grant(Role.IT_OFFICER, MOBILE_VIEW, MOBILE_MANAGE)
grant(Role.CLERK, MOBILE_REQUEST)
grant(Role.AUDITOR, MOBILE_VIEW)
