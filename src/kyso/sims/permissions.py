"""Who may see and keep the SIM PKI registry. The IT Center registers the agency's official number ranges and
guides the units (letter 346), so its officers keep the registry; a unit's officers see their subtree's SIMs to
pay them; auditors see everything."""

from django.utils.translation import gettext_lazy as _

from kyso.accounts.roles import Role, define, grant

SIMS_VIEW = define("sims.view", _("See the SIM PKI subscriptions of a unit and its payment report"))
SIMS_MANAGE = define("sims.manage", _("Register, change, suspend and end SIM PKI subscriptions; edit the data plans"))

grant(Role.IT_OFFICER, SIMS_VIEW, SIMS_MANAGE)
grant(Role.UNIT_OFFICER, SIMS_VIEW)
grant(Role.AUDITOR, SIMS_VIEW)
