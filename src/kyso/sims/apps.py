"""The agency's SIM PKI subscriptions (phone, carrier, SIM, certificate) and data plans by title, for payment (letter 346)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimsConfig(AppConfig):
    """The agency's SIM PKI subscriptions (phone, carrier, SIM, certificate) and data plans by title, for payment (letter 346)."""

    name = "kyso.sims"
    label = "sims"
    verbose_name = _("SIM PKI registry")

    def ready(self):
        from kyso.audit.capture import register
        from kyso.core import nav

        from . import models as m
        from . import permissions

        register(m.DataPlan)
        register(m.SimSubscription, unit_path=lambda o: o.unit.path)
        register(m.SubscriptionEvent, unit_path=lambda o: o.subscription.unit.path)
        nav.register(_("SIM PKI"), "sims:index", perm=permissions.SIMS_VIEW, order=47)
