"""Reading the registry: the lines a person sees (his units' subtree), one line, the line a leader signs with,
the lines that need attention, why a SIM may not sign now, search."""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.core.errors import Forbidden, NotFound
from kyso.org.models import Person, Unit

from .flows import attention
from .models import Carrier, SimSubscription, SubState
from .permissions import SIMS_MANAGE, SIMS_VIEW


def subscriptions_for(user, perm: str = SIMS_VIEW):
    qs = SimSubscription.objects.select_related("person", "unit", "plan", "certificate")
    return scope.filter_by_scope(qs, user, perm, "unit__path")


def get_subscription(user, pk) -> SimSubscription:
    try:
        return subscriptions_for(user).get(pk=int(pk))
    except (SimSubscription.DoesNotExist, ValueError, TypeError):
        raise NotFound("sims.subscription.not_found", _("No such SIM subscription.")) from None


def active_subscription(person: Person) -> SimSubscription | None:
    """The SIM PKI line a person signs with on his tablet now (None if he has none in service)."""
    return (SimSubscription.objects.filter(person=person, state=SubState.ACTIVE).select_related("plan")
            .order_by("-in_service_on").first())


def needing_attention(user, perm: str = SIMS_MANAGE):
    """Lines in service that cannot sign on the tablet, or soon will not: no linked certificate, a certificate
    revoked or expired, or one expiring within 30 days (renew it and link the new one)."""
    return subscriptions_for(user, perm).filter(attention())


def line_refusal(msisdn: str):
    """Why a SIM cannot be asked to sign now (None if it can): its registered line is suspended or ended. A number
    the registry does not know is not refused (SIMs provisioned before the registry was kept)."""
    states = set(SimSubscription.objects.filter(msisdn=msisdn).values_list("state", flat=True))
    if not states or SubState.ACTIVE in states:
        return None
    if SubState.SUSPENDED in states:
        return Forbidden("sims.line.suspended", _("The SIM PKI line %(msisdn)s is suspended; the IT Center can "
                                                  "resume it."), msisdn="0" + msisdn[3:])
    return Forbidden("sims.line.ended", _("The SIM PKI line %(msisdn)s has ended."), msisdn="0" + msisdn[3:])


def search(user, *, q: str = "", unit: Unit | None = None, state: str = "", carrier: str = "",
           attention: bool = False):
    qs = needing_attention(user, SIMS_VIEW) if attention else subscriptions_for(user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if state in SubState.values:
        qs = qs.filter(state=state)
    if carrier in Carrier.values:
        qs = qs.filter(carrier=carrier)
    q = " ".join(str(q or "").split())[:100]
    if q:
        digits = re.sub(r"\D", "", q)
        cond = Q(person__full_name__icontains=q) | Q(person__email__icontains=q)
        if len(digits) >= 4:
            cond |= Q(msisdn__contains=digits.lstrip("0")) | Q(iccid__contains=digits)
        qs = qs.filter(cond)
    return qs
