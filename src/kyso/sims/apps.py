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
        from kyso.core import inbox, nav
        from kyso.mobile import services as mobile

        from . import models as m
        from . import permissions

        register(m.DataPlan)
        register(m.SimSubscription, unit_path=lambda o: o.unit.path)
        register(m.SubscriptionEvent, unit_path=lambda o: o.subscription.unit.path)
        register(m.MonthClose)
        from .services import line_refusal

        mobile.add_sim_check(line_refusal)
        nav.register(_("SIM PKI"), "sims:index", perm=permissions.SIMS_VIEW, order=47)

        @inbox.provider
        def _attention(user):
            from kyso.accounts import scope

            from .services import needing_attention

            if not scope.has_permission_anywhere(user, permissions.SIMS_MANAGE):
                return []
            n = needing_attention(user).count()
            if not n:
                return []
            return [inbox.InboxItem(label=str(_("SIM PKI lines whose certificate is missing, revoked or expiring")),
                                    count=n, url="/sims/?attention=1", app="sims", severity="warning")]
