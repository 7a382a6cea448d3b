from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.accounts import roles as perms
from kyso.core.api.permissions import HasKysoPermission
from kyso.core.errors import InvalidInput

from .. import calendar, services
from ..models import DayKind, DayOverride


def _int(value, name):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput("workdays.bad_number", _("%(name)s must be a whole number."), name=name) from None


class AddView(APIView):
    @extend_schema(parameters=[OpenApiParameter("date", str, required=True), OpenApiParameter("days", int, required=True)],
                   responses=inline_serializer("WorkdaysAdd", {"date": serializers.DateField(), "start": serializers.DateField(),
                                                               "days": serializers.IntegerField()}))
    def get(self, request):
        start = calendar._as_date(request.query_params.get("date", ""))
        days = _int(request.query_params.get("days"), "days")
        return Response({"start": start, "days": days, "date": calendar.add_working_days(start, days)})


class BetweenView(APIView):
    @extend_schema(parameters=[OpenApiParameter("start", str, required=True), OpenApiParameter("end", str, required=True)],
                   responses=inline_serializer("WorkdaysBetween", {"start": serializers.DateField(), "end": serializers.DateField(),
                                                                   "working_days": serializers.IntegerField()}))
    def get(self, request):
        start = calendar._as_date(request.query_params.get("start", ""))
        end = calendar._as_date(request.query_params.get("end", ""))
        return Response({"start": start, "end": end, "working_days": calendar.working_days_between(start, end)})


class OverrideSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=DayKind.choices)

    class Meta:
        model = DayOverride
        fields = ["date", "kind", "name", "legal_basis"]


class OverrideViewSet(viewsets.ModelViewSet):
    serializer_class = OverrideSerializer
    queryset = DayOverride.objects.all()
    lookup_field = "date"
    permission_classes = [HasKysoPermission]
    required_permission = {"list": None, "retrieve": None, "default": perms.WORKDAYS_MANAGE}

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.set_override(d["date"], d["kind"], d["name"], d.get("legal_basis", ""))

    def perform_update(self, serializer):
        d = {**OverrideSerializer(serializer.instance).data, **serializer.validated_data}
        serializer.instance = services.set_override(serializer.instance.date, d["kind"], d["name"], d.get("legal_basis", ""))

    def perform_destroy(self, instance):
        services.remove_override(instance.date)
