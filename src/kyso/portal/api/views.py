"""Portal API: the published catalogue, submission (portal and I-VAN with Idempotency-Key), the
one-stop workflow, public status lookup, statistics."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.parsers import JSONParser, MultiPartParser
from drf_spectacular.types import OpenApiTypes
from django.utils.translation import gettext_lazy as _

from kyso.core.api.permissions import HasKysoPermission
from kyso.core.errors import InvalidInput, NotFound
from kyso.files.views import file_response

from .. import barcode, idempotency, intake, lookup, stats, workflow
from ..models import Channel, IntakeRule, Procedure, Submitter, SubmitterKind
from ..permissions import PORTAL_CATALOGUE, PORTAL_RECEIVE, PORTAL_STATS, PORTAL_VIEW
from . import serializers as s

CODE_REGEX = r"[0-9A-Za-z.\-]+"


class ProcedureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                       viewsets.GenericViewSet):
    """Published on the portal: anyone may read; administrators edit."""

    serializer_class = s.ProcedureSerializer
    lookup_field = "code"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        qs = Procedure.objects.prefetch_related("forms", "steps").order_by("code")
        return qs if self.action != "list" else qs.filter(is_active=True)

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [AllowAny()]
        return [HasKysoPermission()]

    required_permission = PORTAL_CATALOGUE

    def perform_update(self, serializer):
        from kyso import audit

        with audit.action("portal.procedure.update"):
            serializer.save()


class IntakeRuleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.IntakeRuleSerializer
    queryset = IntakeRule.objects.all()
    lookup_field = "code"
    permission_classes = [AllowAny]
    pagination_class = None


def _uploads(items) -> list[intake.Upload]:
    return [intake.Upload(f["name"], f["content"]) for f in items]


class SubmitterOrStaff(BasePermission):
    """Submitters reach their own dossiers; staff need `portal.view` somewhere (scope narrows further)."""

    def has_permission(self, request, view):
        from kyso.accounts.scope import has_permission_anywhere

        user = request.user
        if not (user and user.is_authenticated):
            return False
        if view.action == "create" or Submitter.objects.filter(user=user, is_active=True).exists():
            return True
        return has_permission_anywhere(user, PORTAL_VIEW)


class DossierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "code"
    lookup_value_regex = CODE_REGEX
    permission_classes = [SubmitterOrStaff]

    def get_serializer_class(self):
        return s.DossierListSerializer if self.action == "list" else s.DossierSerializer

    def get_queryset(self):
        qs = workflow.visible(self.request.user).select_related("procedure", "unit")
        p = self.request.query_params
        for param, field in (("status", "status"), ("procedure", "procedure__code"), ("channel", "channel"),
                             ("tax_code", "submitter_tax_code"), ("unit", "unit__code")):
            if p.get(param):
                qs = qs.filter(**{field: p[param]})
        if p.get("received_from"):
            qs = qs.filter(received_on__gte=p["received_from"])
        if p.get("received_to"):
            qs = qs.filter(received_on__lte=p["received_to"])
        if self.action == "retrieve":
            qs = qs.select_related("intake_rule").prefetch_related("files__form", "files__file", "documents__file", "events")
        return qs

    @extend_schema(parameters=[OpenApiParameter(n, str) for n in
                               ("status", "procedure", "channel", "tax_code", "unit", "received_from", "received_to")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.SubmitSerializer, responses={201: s.DossierSerializer, 200: s.DossierSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                                description="Required for I-VAN providers")])
    def create(self, request):
        ser = s.SubmitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        sub = intake.submitter_of(request.user)
        channel = Channel.IVAN if sub.kind == SubmitterKind.IVAN else Channel.PORTAL
        key = request.headers.get("Idempotency-Key")
        row = None
        if channel == Channel.IVAN and not key:
            raise InvalidInput("portal.idempotency.key_required", _("I-VAN submissions need an Idempotency-Key header."))
        if key:
            idempotency.check_key(key)
            row, previous = idempotency.claim(request.user, key, idempotency.body_hash(request.data))
            if previous is not None:
                return Response(s.DossierSerializer(previous).data, status=status.HTTP_200_OK,
                                headers={"Idempotent-Replayed": "true"})
        dossier = intake.submit_signed(request.user, procedure_code=data["procedure"], files=_uploads(data["files"]),
                                       channel=channel, employer=data.get("employer"), unit_code=data.get("unit"))
        if row is not None:
            idempotency.bind(row, dossier)
        return Response(s.DossierSerializer(dossier).data, status=status.HTTP_201_CREATED)

    def _dossier(self, code):
        return workflow.get(self.request.user, code)

    @extend_schema(request=s.StepRequestSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def steps(self, request, code=None):
        ser = s.StepRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = workflow.advance(request.user, self._dossier(code), ser.validated_data["step"],
                             note=ser.validated_data.get("note", ""))
        return Response(s.DossierSerializer(d).data)

    @extend_schema(request=s.SupplementRequestSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"], url_path="supplement-request")
    def supplement_request(self, request, code=None):
        ser = s.SupplementRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = workflow.request_supplement(request.user, self._dossier(code), ser.validated_data["missing"],
                                        ser.validated_data.get("note", ""))
        return Response(s.DossierSerializer(d).data)

    @extend_schema(request=s.SupplementSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def supplement(self, request, code=None):
        ser = s.SupplementSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = workflow.supplement(request.user, self._dossier(code), _uploads(ser.validated_data["files"]),
                                ser.validated_data.get("note", ""))
        return Response(s.DossierSerializer(d).data)

    @extend_schema(request=s.ApologySerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def apology(self, request, code=None):
        ser = s.ApologySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = workflow.apologise(request.user, self._dossier(code), ser.validated_data["reason"],
                               ser.validated_data["new_date"])
        return Response(s.DossierSerializer(d).data)

    @extend_schema(request=s.RefusalSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def refusal(self, request, code=None):
        ser = s.RefusalSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = workflow.refuse(request.user, self._dossier(code), ser.validated_data["reasons"])
        return Response(s.DossierSerializer(d).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<doc_id>[0-9]+)")
    def document(self, request, code=None, doc_id=None):
        d = self._dossier(code)
        doc = get_object_or_404(d.documents.select_related("file"), pk=doc_id)
        return file_response(doc.file)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], url_path="control-slip")
    def control_slip(self, request, code=None):
        from kyso.core.documents import render_pdf

        from .. import documents

        pdf = render_pdf(documents.control_slip(self._dossier(code)))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="phieu-kiem-soat-{code}.pdf"'
        return response


class PublicStatusView(APIView):
    """Anyone with the code sees the status; nothing about the submitter or the content."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=s.PublicStatusSerializer)
    def get(self, request, code):
        return Response(s.PublicStatusSerializer(lookup.public_status(code)).data)


class DeskDecodeView(APIView):
    """The one-stop desk scans a barcode form: decode it and pre-fill the intake."""

    permission_classes = [HasKysoPermission]
    required_permission = PORTAL_RECEIVE
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.DeskDecodeSerializer}, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        ser = s.DeskDecodeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(barcode.prefill(barcode.decode_image(ser.validated_data["image"].read())))


class DeskReceiveView(APIView):
    """The one-stop desk receives a barcode dossier; the intake rules in force decide."""

    permission_classes = [HasKysoPermission]
    required_permission = PORTAL_RECEIVE
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(request={"multipart/form-data": s.DeskReceiveSerializer, "application/json": s.DeskReceiveSerializer},
                   responses={201: s.DossierSerializer})
    def post(self, request):
        from kyso.org.models import Unit

        ser = s.DeskReceiveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        v = ser.validated_data
        unit = Unit.objects.filter(code=v["unit"], is_active=True).first()
        if unit is None:
            raise NotFound("portal.intake.unit_not_found", _("There is no active office with code %(code)s."), code=v["unit"])
        scan = None
        if v.get("image"):
            scan = intake.Upload(v["image"].name, v["image"].read())
        payload = (v.get("payload") or "").encode()
        if not payload:
            payload = barcode.decode_image(scan.data if scan else b"")
        d = intake.receive_barcode(request.user, unit=unit, procedure_code=v["procedure"], payload=payload,
                                   submitter_kind=v["submitter_kind"], name=v["name"], tax_code=v.get("tax_code", ""),
                                   email=v.get("email", ""), phone=v.get("phone", ""),
                                   has_digital_signature=v["has_digital_signature"], scan=scan)
        return Response(s.DossierSerializer(d).data, status=status.HTTP_201_CREATED)


class StatisticsView(APIView):
    """Received / in progress / on time / late / refused by unit, procedure, channel or month; XLSX with ?format=xlsx."""

    permission_classes = [HasKysoPermission]
    required_permission = PORTAL_STATS

    @extend_schema(parameters=[OpenApiParameter("group", str, enum=list(stats.GROUPS)),
                               OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        p = request.query_params
        try:
            start = dt.date.fromisoformat(p["from"]) if p.get("from") else None
            end = dt.date.fromisoformat(p["to"]) if p.get("to") else None
        except ValueError:
            raise InvalidInput("portal.stats.date", _("Dates are in the form YYYY-MM-DD.")) from None
        group = p.get("group", "unit")
        rows = stats.table(workflow.visible(request.user), group, start, end)
        return Response({"group": group, "from": start, "to": end, "rows": [r.__dict__ for r in rows],
                         "total": stats.totals(rows).__dict__})
