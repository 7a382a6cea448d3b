from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.accounts import roles as perms
from kyso.core.api.inputs import valid_query
from kyso.core.api.permissions import HasKysoPermission

from .. import calendar, services
from ..models import DayOverride
from . import serializers as s


class AddView(APIView):
    @extend_schema(parameters=[s.AddQuery], responses=s.AddResult)
    def get(self, request):
        q = valid_query(s.AddQuery, request)
        return Response(s.AddResult({**q, "start": q["date"], "date": calendar.add_working_days(q["date"], q["days"])}).data)


class BetweenView(APIView):
    @extend_schema(parameters=[s.BetweenQuery], responses=s.BetweenResult)
    def get(self, request):
        q = valid_query(s.BetweenQuery, request)
        return Response(s.BetweenResult({**q, "working_days": calendar.working_days_between(q["start"], q["end"])}).data)


class OverrideViewSet(viewsets.ModelViewSet):
    serializer_class = s.OverrideSerializer
    queryset = DayOverride.objects.all()
    lookup_field = "date"
    permission_classes = [HasKysoPermission]
    required_permission = {"list": None, "retrieve": None, "default": perms.WORKDAYS_MANAGE}

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.set_override(d["date"], d["kind"], d["name"], d.get("legal_basis", ""))

    def perform_update(self, serializer):
        d = {**s.OverrideSerializer(serializer.instance).data, **serializer.validated_data}
        serializer.instance = services.set_override(serializer.instance.date, d["kind"], d["name"], d.get("legal_basis", ""))

    def perform_destroy(self, instance):
        services.remove_override(instance.date)
