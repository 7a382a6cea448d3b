"""Plugged in at start-up (`SimsConfig.ready`): the permissions, the audited models, the menu entry, the mobile
service's check that a SIM's line is in service, and the workflow whose queue the home page and `/tasks/` show
(`flows.py`: the lines whose certificate is missing, revoked or expiring)."""

from django.utils.translation import gettext_lazy as _

from kyso.audit.capture import register
from kyso.core import nav
from kyso.mobile import services as mobile

from . import flows, models as m, permissions
from .queries import line_refusal

register(m.DataPlan)
register(m.SimSubscription, unit_path=lambda o: o.unit.path)
register(m.SubscriptionEvent, unit_path=lambda o: o.subscription.unit.path)
register(m.MonthClose)
mobile.add_sim_check(line_refusal)
nav.register(_("SIM PKI"), "sims:index", perm=permissions.SIMS_VIEW, order=47)

WORKFLOWS = flows.FLOWS
