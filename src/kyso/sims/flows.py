"""The SIM PKI registry's workflow as data (letter 346/BHXH-CNTT): a line is in service, suspended or ended;
its terms change by dated events. Who acts: the IT Center's officers who keep the registry, at the paying
unit. The queue: lines in service that cannot sign on the tablet, or soon will not (no linked certificate,
a certificate revoked or expired, or one ending within 30 days) — waiting for the certificate to be renewed and
linked, due the day the certificate ends. Steps without a state — registering a line, editing a plan, closing a
month's payment — run through the same runner (`steps.run`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidState, KysoError
from kyso.core.workflow import Transition, Workflow
from kyso.lifecycle.flows import waiting_for
from kyso.lifecycle.models import CertStatus

from .models import SubState as S
from .permissions import SIMS_MANAGE

CERT_WARNING_DAYS = 30


def attention() -> Q:
    """Lines in service whose certificate is missing, revoked, expired or ending within 30 days."""
    soon = timezone.now() + dt.timedelta(days=CERT_WARNING_DAYS)
    return Q(state=S.ACTIVE) & (Q(certificate__isnull=True)
                                | Q(certificate__status__in=[CertStatus.REVOKED, CertStatus.EXPIRED])
                                | Q(certificate__not_after__lt=soon))


def refused(exc: KysoError) -> KysoError:
    """A refusal before the step wrote anything (pages keep their transaction)."""
    exc.rolled_back = True
    return exc


@dataclass(frozen=True)
class Step(Transition):
    when: Callable[[], Q] | None = None   # the queue: only the records meeting this condition
    not_for: tuple[str, ...] = ()         # (read by `waiting_for`)


@dataclass
class Flow(Workflow):
    """The permission at the paying unit is checked before the order (who may not act at all is told so), and
    the row is locked and read again, so two officers pressing at once do not both act."""

    def out_of_order(self, obj) -> InvalidState:
        if self.state_of(obj) == S.ENDED:
            return InvalidState("sims.subscription.ended", _("The subscription has ended."))
        return InvalidState("sims.subscription.state", _("Not possible while the subscription is %(state)s."),
                            state=self.state_label(self.state_of(obj)).lower())

    def perform(self, name: str, obj, *, actor, body=None):
        t = self.transition(name)
        if t.perm and not steps.can(actor, t.perm, self.unit_path(obj, t)):
            raise refused(Forbidden("forbidden", _("You are not allowed to do this for this unit.")))
        if self.state_of(obj) not in t.source:
            raise refused(self.out_of_order(obj))

        def locked(attempt):
            now = (self.model_class._default_manager.select_for_update().filter(pk=obj.pk)
                   .values_list(self.state_field, flat=True).first())
            if now is not None and now != self.state_of(obj):
                setattr(obj, self.state_field, now)
                raise self.out_of_order(obj)
            return body(attempt) if body is not None else None

        return super().perform(name, obj, actor=actor, body=locked)

    def queue_for(self, actor, t: Transition):
        """A line waits for the registry's keepers nearest its paying unit, as the lifecycle's work does — not for
        the administrator, whose right over everything is no duty to act."""
        qs = super().queue_for(actor, t)
        if t.perm:
            qs = qs.filter(waiting_for(actor, t, self))
        if isinstance(t, Step) and t.when is not None:
            qs = qs.filter(t.when())
        return qs


def _due(sub) -> Any:
    """A line waiting for its certificate is due the day the certificate ends (today when it has none)."""
    cert = sub.certificate
    if cert is None or cert.status in (CertStatus.REVOKED, CertStatus.EXPIRED):
        return steps.today()
    return timezone.localtime(cert.not_after).date() if cert.not_after else None


SUBSCRIPTION = Flow(
    "sims.subscription", "sims.SimSubscription", label=_("SIM PKI subscription"),
    url=lambda s: f"/sims/{s.pk}/", state_labels=lambda: dict(S.choices), due=_due,
    transitions=[
        Step("change", source=[S.ACTIVE, S.SUSPENDED], perm=SIMS_MANAGE, at="unit__path",
             label=_("Change the terms or the certificate")),
        Step("certificate", source=[S.ACTIVE], perm=SIMS_MANAGE, at="unit__path", when=attention,
             label=_("Link the renewed certificate"),
             queue=_("SIM PKI lines whose certificate is missing, revoked or expiring")),
        Step("suspend", source=[S.ACTIVE], target=S.SUSPENDED, perm=SIMS_MANAGE, at="unit__path",
             label=_("Suspend")),
        Step("resume", source=[S.SUSPENDED], target=S.ACTIVE, perm=SIMS_MANAGE, at="unit__path", label=_("Resume")),
        Step("end", source=[S.ACTIVE, S.SUSPENDED], target=S.ENDED, perm=SIMS_MANAGE, at="unit__path",
             label=_("End")),
    ])

REGISTER = steps.step("sims.subscription.register", perm=SIMS_MANAGE, label=_("Register a SIM PKI line"))
PLAN_UPDATE = steps.step("sims.plan.update", perm=SIMS_MANAGE, label=_("Edit a data plan"))
MONTH_CLOSE = steps.step("sims.month.close", label=_("Close a month's SIM PKI payment"))
FLOWS = {"subscription": SUBSCRIPTION}
STEP_OF = {S.SUSPENDED: "suspend", S.ACTIVE: "resume", S.ENDED: "end"}
