"""The SIM PKI registry API's shapes: plans, lines with their dated history, closed months, and what each step
takes. Values are read as sent (text or numbers) and checked by the registry, which answers with stable codes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from .. import privacy
from ..models import DataPlan, MonthClose, SimSubscription, SubscriptionEvent


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TitleRules(serializers.Field):
    """The plan's matching titles, one per line in the database, a list in the API."""

    def to_representation(self, value):
        return value.splitlines()

    def to_internal_value(self, data):
        return "\n".join(str(x) for x in data) if isinstance(data, list) else str(data)


class PlanSerializer(serializers.ModelSerializer):
    title_rules = TitleRules()

    class Meta:
        model = DataPlan
        fields = ["tier", "name", "title_rules", "high_speed_mb_per_day", "throttled_down_kbps", "throttled_up_kbps",
                  "data_fee_vnd", "line_fee_vnd", "connection_fee_vnd", "is_active"]


@extend_schema_serializer(component_name="SubscriptionEvent")
class EventSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan.tier")
    by = serializers.CharField(source="actor.username", default=None, allow_null=True)

    class Meta:
        model = SubscriptionEvent
        fields = ["kind", "effective_on", "state", "plan", "data_fee_vnd", "line_fee_vnd", "note", "by", "at"]


class SubscriptionItemSerializer(serializers.ModelSerializer):
    """A line; its number as the reader may see it: `context["full"]` (sims.privacy.shown) holds the lines shown
    in full, any other is masked."""

    holder = serializers.CharField(source="person.email")
    msisdn = serializers.SerializerMethodField()
    holder_name = serializers.CharField(source="person.full_name")
    title = serializers.CharField(source="person.title")
    unit = serializers.CharField(source="unit.code")
    certificate = serializers.CharField(source="certificate.serial", default=None, allow_null=True)
    plan = serializers.IntegerField(source="plan.tier")

    class Meta:
        model = SimSubscription
        fields = ["id", "holder", "holder_name", "title", "unit", "msisdn", "carrier", "iccid", "certificate",
                  "in_service_on", "ended_on", "state", "plan", "data_fee_vnd", "line_fee_vnd", "connection_fee_vnd",
                  "contract"]

    def get_msisdn(self, sub) -> str:
        return privacy.number(sub, self.context.get("full", set()), local=False)


class SubscriptionSerializer(SubscriptionItemSerializer):
    history = EventSerializer(many=True, source="events.all")

    class Meta(SubscriptionItemSerializer.Meta):
        fields = SubscriptionItemSerializer.Meta.fields + ["history"]


class ClosedMonthSerializer(serializers.ModelSerializer):
    month = serializers.DateField(format="%Y-%m")

    class Meta:
        model = MonthClose
        fields = ["month", "lines", "total_vnd", "groups", "closed_at"]


class Value(serializers.CharField):
    """A value as typed: text or a number (read as text); anything else is refused."""

    def __init__(self, **kw):
        kw.setdefault("required", False)
        kw.setdefault("default", "")
        super().__init__(allow_blank=True, allow_null=True, max_length=2000, **kw)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            self.fail("invalid")
        return super().to_internal_value(data)


class RegisterInput(serializers.Serializer):
    holder = Value(help_text="the holder's government e-mail or login")
    msisdn = Value()
    carrier = Value(help_text="viettel, vinaphone or mobifone")
    iccid = Value(help_text="the SIM serial, 19–20 digits starting 89")
    in_service_on = Value(help_text="dd/mm/yyyy (or yyyy-mm-dd), from 10/02/2020 (letter 346)")
    plan = Value(help_text="1–4; by default the plan for the holder's title")
    unit = Value(help_text="paying unit code; by default the holder's organisation")
    certificate = Value(help_text="serial of the holder's SIM PKI certificate")
    data_fee_vnd = Value()
    line_fee_vnd = Value()
    connection_fee_vnd = Value()
    contract = Value()
    note = Value()


class ActionInput(serializers.Serializer):
    effective_on = Value(help_text="dd/mm/yyyy (or yyyy-mm-dd)")
    reason = Value()
    plan = Value()
    data_fee_vnd = Value()
    line_fee_vnd = Value()
    certificate = Value()
    contract = Value(default=None)


class PlanInput(serializers.Serializer):
    name = Value()
    title_rules = TitleRules(required=False)
    high_speed_mb_per_day = Value()
    throttled_down_kbps = Value()
    throttled_up_kbps = Value()
    data_fee_vnd = Value()
    line_fee_vnd = Value()
    connection_fee_vnd = Value()
    is_active = serializers.BooleanField(required=False)


class ImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX")
    dry_run = serializers.BooleanField(required=False, default=False)


class CloseMonthInput(serializers.Serializer):
    month = Value(help_text="YYYY-MM or MM/YYYY, a month that is over")


class ReportLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="subscription.pk")
    holder = serializers.CharField(source="subscription.person.full_name")
    title = serializers.CharField(source="subscription.person.title")
    email = serializers.CharField(source="subscription.person.email")
    msisdn = serializers.CharField(source="shown_number")
    carrier = serializers.CharField(source="subscription.carrier")
    iccid = serializers.CharField(source="subscription.iccid")
    plan = serializers.IntegerField(source="plan_tier")
    certificate = serializers.CharField(source="subscription.certificate.serial", default=None,
                                        allow_null=True)
    days = serializers.IntegerField()
    data_vnd = serializers.IntegerField()
    line_vnd = serializers.IntegerField()
    connection_vnd = serializers.IntegerField()
    total_vnd = serializers.IntegerField()
    state_at_end = serializers.CharField()


class ReportGroupSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    carrier = serializers.CharField()
    lines = ReportLineSerializer(many=True)
    total_vnd = serializers.IntegerField()


class ReportClosedSerializer(serializers.Serializer):
    closed_at = serializers.DateTimeField()
    lines = serializers.IntegerField()
    total_vnd = serializers.IntegerField()


class PaymentReportSerializer(serializers.Serializer):
    """The month's payment by paying unit and carrier (`report.payment_report`)."""

    month = serializers.DateField(format="%Y-%m")
    unit = serializers.CharField(source="unit.code", default=None, allow_null=True)
    closed = ReportClosedSerializer(allow_null=True)
    lines = serializers.IntegerField(source="line_count")
    total_vnd = serializers.IntegerField()
    groups = ReportGroupSerializer(many=True)
