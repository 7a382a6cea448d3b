"""Org API: units (by code) and people, filtered to the caller's scope; imports."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.accounts import roles as perms
from kyso.accounts import scope
from kyso.core.api.permissions import HasKysoPermission
from kyso.core.errors import InvalidInput

from .. import importing, services
from ..models import Person, Unit
from .serializers import (ImportReportSerializer, PersonSerializer, PersonWriteSerializer, UnitSerializer,
                          UnitWriteSerializer)


class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = UnitSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9._-]+"
    permission_classes = [HasKysoPermission]
    required_permission = {"list": perms.ORG_VIEW_UNIT, "retrieve": perms.ORG_VIEW_UNIT,
                           "children": perms.ORG_VIEW_UNIT, "default": perms.ORG_MANAGE_UNIT}

    def get_queryset(self):
        qs = Unit.objects.select_related("level", "parent")
        qs = scope.filter_by_scope(qs, self.request.user, perms.ORG_VIEW_UNIT, "path")
        q = self.request.query_params.get("q")
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
        level = self.request.query_params.get("level")
        if level:
            qs = qs.filter(level__code=level)
        return qs

    @extend_schema(request=UnitWriteSerializer, responses={201: UnitSerializer})
    def create(self, request, *args, **kwargs):
        ser = UnitWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        unit = services.create_unit(ser.validated_data, actor=request.user)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnitWriteSerializer, responses={200: UnitSerializer})
    def update(self, request, *args, **kwargs):
        unit = self.get_object()
        ser = UnitWriteSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        unit = services.update_unit(unit, ser.validated_data, actor=request.user)
        return Response(UnitSerializer(unit).data)

    @extend_schema(responses={200: UnitSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def children(self, request, code=None):
        unit = self.get_object()
        qs = self.get_queryset().filter(parent=unit)
        return Response(UnitSerializer(qs, many=True).data)


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = PersonSerializer
    permission_classes = [HasKysoPermission]
    required_permission = {"list": perms.ORG_VIEW_PERSON, "retrieve": perms.ORG_VIEW_PERSON,
                           "default": perms.ORG_MANAGE_PERSON}

    def get_queryset(self):
        qs = Person.objects.select_related("unit")
        qs = scope.filter_by_scope(qs, self.request.user, perms.ORG_VIEW_PERSON, "unit__path")
        p = self.request.query_params
        if p.get("q"):
            qs = qs.filter(Q(full_name__icontains=p["q"]) | Q(email__icontains=p["q"]) | Q(id_number=p["q"]))
        if p.get("unit"):
            unit = Unit.objects.filter(code=p["unit"]).first()
            qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
        return qs

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def create(self, request, *args, **kwargs):
        ser = PersonWriteSerializer(data=request.data, context={"creating": True})
        ser.is_valid(raise_exception=True)
        person = services.create_person(ser.validated_data, actor=request.user)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonWriteSerializer, responses={200: PersonSerializer})
    def update(self, request, *args, **kwargs):
        person = self.get_object()
        ser = PersonWriteSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        person = services.update_person(person, ser.validated_data, actor=request.user)
        return Response(PersonSerializer(person).data)


class ImportView(APIView):
    """POST a CSV or XLSX file (`file`); `dry_run=1` checks without writing."""

    parser_classes = [parsers.MultiPartParser]
    permission_classes = [HasKysoPermission]
    required_permission = perms.ORG_IMPORT
    kind = "staff"

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
        parameters=[OpenApiParameter("dry_run", bool, required=False)],
        responses={200: ImportReportSerializer, 400: ImportReportSerializer},
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("import.no_file", _("Attach the file to import (field 'file')."))
        dry = request.query_params.get("dry_run") in ("1", "true", "yes")
        func = importing.import_units if self.kind == "units" else importing.import_staff
        report = func(upload.name, upload.read(), actor=request.user, dry_run=dry)
        ok = not report.rejected
        return Response(report.as_dict(), status=status.HTTP_200_OK if ok else status.HTTP_400_BAD_REQUEST)


class UnitImportView(ImportView):
    required_permission = perms.ORG_MANAGE_UNIT
    kind = "units"


class StaffImportView(ImportView):
    kind = "staff"
