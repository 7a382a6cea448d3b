"""The SIM PKI registry of letter 346/BHXH-CNTT: the data plans by title (its appendix) as editable reference
data, and each leader's official SIM (number, carrier, SIM serial, linked certificate, date in service) with the
dated history of its billable terms, from which the monthly payment report is computed.

Subscriptions are never deleted: a SIM that leaves service is ended on a date and stays in the registry and in
the reports of the months it was billed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Letter 346: "from 10/02/2020 for those issued a SIM PKI".
SERVICE_START = dt.date(2020, 2, 10)


class Carrier(models.TextChoices):
    """The carriers that provide the Government Cipher Committee's SIM PKI."""

    VIETTEL = "viettel", "Viettel"
    VINAPHONE = "vinaphone", "VinaPhone (VNPT)"
    MOBIFONE = "mobifone", "MobiFone"


class DataPlan(models.Model):
    """A row of the appendix of letter 346: the 4G data allowance for a group of titles. Editable; the fees are the
    reference prices a unit's contract starts from (each subscription keeps its own contracted amounts)."""

    tier = models.PositiveSmallIntegerField(_("tier"), unique=True)
    name = models.CharField(_("titles"), max_length=300)
    title_rules = models.TextField(
        _("matching titles"), blank=True,
        help_text=_("One title per line, optionally followed by @level or @level:province (e.g. "
                    "'Phó Giám đốc @province:Hà Nội'); the first plan (lowest tier) with a matching line is "
                    "suggested for a person."))
    high_speed_mb_per_day = models.PositiveIntegerField(_("high-speed data per day (MB)"))
    throttled_down_kbps = models.PositiveIntegerField(_("speed after the allowance, down (Kbps)"))
    throttled_up_kbps = models.PositiveIntegerField(_("speed after the allowance, up (Kbps)"))
    data_fee_vnd = models.PositiveIntegerField(_("reference data fee per month (VND)"), default=0)
    line_fee_vnd = models.PositiveIntegerField(_("reference line rental per month (VND)"), default=0)
    connection_fee_vnd = models.PositiveIntegerField(_("reference connection fee (VND)"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tier"]
        verbose_name = _("data plan")
        verbose_name_plural = _("data plans")

    def __str__(self):
        return f"{self.tier}. {self.name}"

    @property
    def allowance(self) -> str:
        gb = self.high_speed_mb_per_day / 1024
        amount = f"{gb:g} GB" if gb >= 1 else f"{self.high_speed_mb_per_day} MB"
        return f"{amount}/ngày, sau đó {self.throttled_down_kbps}/{self.throttled_up_kbps} Kbps"


class SubState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("SIM line", "In service")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class SimSubscription(models.Model):
    """One official SIM PKI line of a leader, paid monthly by its unit."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="sim_subscriptions",
                               verbose_name=_("holder"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="sim_subscriptions",
                             verbose_name=_("paying unit"))
    msisdn = models.CharField(_("phone number"), max_length=16, db_index=True)
    carrier = models.CharField(_("carrier"), max_length=16, choices=Carrier.choices)
    iccid = models.CharField(_("SIM serial (ICCID)"), max_length=20, db_index=True)
    certificate = models.ForeignKey("lifecycle.Certificate", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="sim_subscriptions", verbose_name=_("certificate"))
    in_service_on = models.DateField(_("in service from"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # The current terms; their dated history is in `events`.
    state = models.CharField(_("state"), max_length=12, choices=SubState.choices, default=SubState.ACTIVE)
    plan = models.ForeignKey(DataPlan, on_delete=models.PROTECT, related_name="subscriptions",
                             verbose_name=_("data plan"))
    data_fee_vnd = models.PositiveIntegerField(_("data fee per month (VND)"))
    line_fee_vnd = models.PositiveIntegerField(_("line rental per month (VND)"))
    connection_fee_vnd = models.PositiveIntegerField(_("connection fee (VND)"), default=0)
    contract = models.CharField(_("contract"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path", "person__full_name", "-in_service_on"]
        verbose_name = _("SIM PKI subscription")
        verbose_name_plural = _("SIM PKI subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["msisdn"], condition=~Q(state="ended"), name="sims_unique_live_msisdn"),
            models.UniqueConstraint(fields=["iccid"], condition=~Q(state="ended"), name="sims_unique_live_iccid"),
        ]
        indexes = [models.Index(fields=["unit", "state"]), models.Index(fields=["person", "state"])]

    def __str__(self):
        # no line number: this is what the audit trail, queues and messages name it by (sims.privacy)
        return f"SIM PKI {self.person.full_name} (…{self.iccid[-4:]})"

    @property
    def msisdn_local(self) -> str:
        """+84912000346 → 0912000346, as Vietnamese people write it."""
        return "0" + self.msisdn[3:] if self.msisdn.startswith("+84") else self.msisdn


class EventKind(models.TextChoices):
    REGISTER = "register", pgettext_lazy("SIM line", "Registered")
    CHANGE = "change", _("Terms changed")
    SUSPEND = "suspend", _("Suspended")
    RESUME = "resume", _("Resumed")
    END = "end", _("Ended")


class SubscriptionEvent(models.Model):
    """The billable terms from `effective_on` on: a snapshot, so that any past month is computed as it was."""

    subscription = models.ForeignKey(SimSubscription, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=EventKind.choices)
    effective_on = models.DateField(_("effective from"))
    state = models.CharField(max_length=12, choices=SubState.choices)
    plan = models.ForeignKey(DataPlan, on_delete=models.PROTECT, related_name="+")
    data_fee_vnd = models.PositiveIntegerField()
    line_fee_vnd = models.PositiveIntegerField()
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("subscription event")
        verbose_name_plural = _("subscription events")


class MonthClose(models.Model):
    """A month whose payment is settled: its totals are archived here and nothing may be dated in it or before
    it any more, so the statement the units paid stays what it was."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lines = models.PositiveIntegerField(_("lines"))
    total_vnd = models.BigIntegerField(_("total (VND)"))
    groups = models.JSONField(default=list, help_text="[{unit, carrier, lines, total_vnd}] as closed")

    class Meta:
        ordering = ["-month"]
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")

    def __str__(self):
        return f"{self.month:%m/%Y}"
