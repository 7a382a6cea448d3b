"""Org API: units (by code) and people, filtered to the caller's scope; imports."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.core import authz as scope
from kyso.core.api.inputs import valid
from kyso.core.api.permissions import HasKysoPermission
from kyso.core.errors import InvalidInput, NotFound

from .. import contacts, duties, importing, privacy, services
from .. import permissions as perms
from ..models import ContactChange, DutyException, Person, Unit
from .serializers import (ContactChangeRequestSerializer, ContactChangeSerializer, ContactCodeSerializer,
                          DutyExceptionSerializer,
                          PersonSerializer, PersonWriteSerializer, UnitSerializer,
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
        data = valid(UnitWriteSerializer, request)
        unit = services.create_unit(data, actor=request.user)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnitWriteSerializer, responses={200: UnitSerializer})
    def update(self, request, *args, **kwargs):
        unit = self.get_object()
        data = valid(UnitWriteSerializer, request, partial=True)
        unit = services.update_unit(unit, data, actor=request.user)
        return Response(UnitSerializer(unit).data)

    @extend_schema(responses={200: UnitSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)   # a plain list, not a page: the document says so
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
            qs = qs.filter(privacy.search_q(self.request.user, p["q"].strip()))
        if p.get("unit"):
            unit = Unit.objects.filter(code=p["unit"]).first()
            qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
        return qs

    def get_serializer_context(self):
        """Who reads, and through what: the personal data is shown and audited per person (`privacy`)."""
        return {**super().get_serializer_context(), "reader": self.request.user,
                "via": "api.list" if self.action == "list" else "api.detail"}

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def create(self, request, *args, **kwargs):
        data = valid(PersonWriteSerializer, request, context={"creating": True})
        person = services.create_person(data, actor=request.user)
        return Response(PersonSerializer(person, context={"reader": request.user, "via": "api.edit"}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonWriteSerializer, responses={200: PersonSerializer})
    def update(self, request, *args, **kwargs):
        person = self.get_object()
        data = valid(PersonWriteSerializer, request, partial=True)
        person = services.update_person(person, data, actor=request.user)
        out = PersonSerializer(person, context={"reader": request.user, "via": "api.edit"}).data
        out["pending_contact_changes"] = ContactChangeSerializer(person.pending_changes, many=True).data
        return Response(out)


class ImportView(APIView):
    """POST a CSV or XLSX file (`file`); `dry_run=1` checks without writing."""

    parser_classes = [parsers.MultiPartParser]
    permission_classes = [HasKysoPermission]
    required_permission = perms.ORG_IMPORT
    kind = "staff"

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
        parameters=[OpenApiParameter("dry_run", bool, required=False)],
        # The job's own component, named rather than imported: jobs sits above org in the layers.
        responses={202: OpenApiResponse({"$ref": "#/components/schemas/Job"}, description=(
            "The job accepted, as GET /api/v1/jobs/{id}/ answers it (`url` to follow it, `page` to show it)."))},
    )
    def post(self, request):
        """Answers 202 at once with the job (`url`, `page`) that checks and imports the file; its `result` is the
        report (every refused row; nothing written if one is refused)."""
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("import.no_file", _("Attach the file to import (field 'file')."))
        dry = request.query_params.get("dry_run") in ("1", "true", "yes")
        job = importing.start(self.kind, upload.name, upload.read(), actor=request.user, dry_run=dry)
        return Response(job, status=status.HTTP_202_ACCEPTED)


class UnitImportView(ImportView):
    required_permission = perms.ORG_MANAGE_UNIT
    kind = "units"


class StaffImportView(ImportView):
    kind = "staff"


class ContactChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Changes of a person's e-mail or mobile phone (the channels of one-time codes) waiting for confirmation:
    the person confirms with the code sent to the old channel, or a second officer approves."""

    serializer_class = ContactChangeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):   # the OpenAPI generator asks for the model, with no user
            return ContactChange.objects.none()
        user = self.request.user
        qs = ContactChange.objects.select_related("person__unit", "requested_by", "decided_by")
        mine = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
        return qs.filter(mine | scope.scope_q(user, perms.ORG_MANAGE_PERSON, "person__unit__path"))

    @extend_schema(request=ContactChangeRequestSerializer, responses={201: ContactChangeSerializer})
    def create(self, request):
        data = valid(ContactChangeRequestSerializer, request)
        person = Person.objects.select_related("unit").filter(pk=data["person"]).first()
        own = person is not None and person.pk == request.user.person_id
        if person is None or not (own or scope.can(request.user, perms.ORG_MANAGE_PERSON, person.unit)):
            raise NotFound("org.person.not_found", _("No such person."))
        change = contacts.request_change(person, data["field"], data["new_value"],
                                         actor=request.user)
        if change is None:
            raise InvalidInput("org.contact.unchanged", _("The new value is the current one."))
        return Response(ContactChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContactCodeSerializer, responses={200: ContactChangeSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        data = valid(ContactCodeSerializer, request)
        change = contacts.confirm_with_code(self.get_object(), data["code"], actor=request.user)
        return Response(ContactChangeSerializer(change).data)

    @extend_schema(request=None, responses={200: ContactChangeSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return Response(ContactChangeSerializer(contacts.approve(self.get_object(), actor=request.user)).data)

    @extend_schema(request=None, responses={200: ContactChangeSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(ContactChangeSerializer(contacts.cancel(self.get_object(), actor=request.user)).data)


class DutyExceptionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    """Exceptions to the four-eyes rule for one-officer units: set and ended by the IT Center, audited."""

    serializer_class = DutyExceptionSerializer
    permission_classes = [HasKysoPermission]
    required_permission = perms.ORG_DUTY_EXCEPTION

    def get_queryset(self):
        return scope.filter_by_scope(DutyException.objects.select_related("unit", "set_by"), self.request.user,
                                     perms.ORG_DUTY_EXCEPTION, "unit__path")

    def create(self, request, *args, **kwargs):
        d = valid(DutyExceptionSerializer, request)
        exc = duties.set_exception(d["unit"], step=d["step"], other=d["other"], reason=d["reason"],
                                   valid_until=d["valid_until"], actor=request.user)
        return Response(DutyExceptionSerializer(exc).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DutyExceptionSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return Response(DutyExceptionSerializer(duties.end_exception(self.get_object(), actor=request.user)).data)
