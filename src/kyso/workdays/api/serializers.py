"""The workdays API's shapes: the calendar's overrides, and the two questions about working days (a day plus n
working days, the working days between two days) with their answers. The query's days are read as people type
them (dd/mm/yyyy) or as machines send them (ISO); a day that is neither keeps the calendar's own error."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kyso.core.errors import InvalidInput

from .. import calendar
from ..models import DayKind, DayOverride


class OverrideSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=DayKind.choices)

    class Meta:
        model = DayOverride
        fields = ["date", "kind", "name", "legal_basis"]


@extend_schema_field(OpenApiTypes.DATE)
class DayField(serializers.Field):
    """A day in the query string; its refusal is the calendar's (`workdays.bad_date`), not a generic one."""

    def to_internal_value(self, data):
        return calendar.as_date(data)

    def to_representation(self, value):
        return value.isoformat()


@extend_schema_field(OpenApiTypes.INT)
class CountField(serializers.Field):
    """A whole number of working days in the query string (`workdays.bad_number` otherwise)."""

    def to_internal_value(self, data):
        try:
            return int(data)
        except (TypeError, ValueError):
            raise InvalidInput("workdays.bad_number", _("%(name)s must be a whole number."),
                               name=self.field_name) from None

    def to_representation(self, value):
        return value


class AddQuery(serializers.Serializer):
    date = DayField(help_text="dd/mm/yyyy or yyyy-mm-dd")
    days = CountField(help_text="working days to add, 0 or more")


class AddResult(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    date = serializers.DateField(help_text="the n-th working day after start")


class BetweenQuery(serializers.Serializer):
    start = DayField(help_text="dd/mm/yyyy or yyyy-mm-dd")
    end = DayField(help_text="dd/mm/yyyy or yyyy-mm-dd")


class BetweenResult(BetweenQuery):
    """The question with its answer."""

    working_days = serializers.IntegerField(help_text="working days in (start, end]; negative when end is before start")
