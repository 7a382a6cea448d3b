"""Portal API: the published catalogue, submission (portal and I-VAN with Idempotency-Key), the
one-stop workflow, public status lookup, statistics."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView
from drf_spectacular.types import OpenApiTypes
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts.scope import has_permission_anywhere
from kyso.core.api.inputs import valid
from kyso.core.api.parsers import JsonObjectParser as JSONParser, MultiPartParser
from kyso.core.api.permissions import HasKysoPermission
from kyso.core.documents import render_pdf
from kyso.core.errors import InvalidInput, InvalidState, NotFound
from kyso.files.views import file_response
from kyso.org.models import Unit

from .. import (barcode, documents, dossiers, idempotency, intake, lookup, processing, receipt_stamps, receipts,
               registry, stats)
from ..models import Channel, DossierDocument, DossierFile, IntakeRule, Procedure, Submitter, SubmitterKind
from ..permissions import PORTAL_CATALOGUE, PORTAL_RECEIVE, PORTAL_REGISTER, PORTAL_STATS, PORTAL_VIEW
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
        qs = dossiers.visible(self.request.user).select_related("procedure", "unit")
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
            qs = qs.select_related("intake_rule").prefetch_related(   # one query each (issue 19: detail p95)
                Prefetch("files", queryset=DossierFile.objects.select_related("form", "file")),
                Prefetch("documents", queryset=DossierDocument.objects.select_related("file")), "events")
        return qs

    @extend_schema(parameters=[OpenApiParameter(n, str) for n in
                               ("status", "procedure", "channel", "tax_code", "unit", "received_from", "received_to")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.SubmitSerializer, responses={201: s.DossierSerializer, 200: s.DossierSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                                description="Required for I-VAN providers")])
    def create(self, request):
        data = valid(s.SubmitSerializer, request)
        sub = intake.submitter_of(request.user)
        channel = Channel.IVAN if sub.kind == SubmitterKind.IVAN else Channel.PORTAL
        key = request.headers.get("Idempotency-Key")
        if channel == Channel.IVAN and not key:
            raise InvalidInput("portal.idempotency.key_required", _("I-VAN submissions need an Idempotency-Key header."))
        kw = dict(procedure_code=data["procedure"], files=_uploads(data["files"]), channel=channel,
                  employer=data.get("employer"), unit_code=data.get("unit"))
        if not key:
            dossier = intake.submit_signed(request.user, **kw)
        else:
            dossier, replayed = intake.submit_once(request.user, key=idempotency.check_key(key),
                                                   digest=idempotency.body_hash(request.data), **kw)
            if replayed:
                return self._answer(dossier, status=status.HTTP_200_OK, headers={"Idempotent-Replayed": "true"})
        return self._answer(dossier, status=status.HTTP_201_CREATED)

    def _dossier(self, code):
        return dossiers.get(self.request.user, code)

    def _answer(self, dossier, **kwargs):
        return Response(s.DossierSerializer(dossier, context={"request": self.request}).data, **kwargs)

    @extend_schema(request=s.StepRequestSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def steps(self, request, code=None):
        data = valid(s.StepRequestSerializer, request)
        d = processing.advance(request.user, self._dossier(code), data["step"], note=data.get("note", ""),
                               assignee=data.get("assignee", ""), certificate=data.get("certificate", ""),
                               pin=data.get("pin", ""))
        return self._answer(d)

    @extend_schema(request=s.SupplementRequestSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"], url_path="supplement-request")
    def supplement_request(self, request, code=None):
        data = valid(s.SupplementRequestSerializer, request)
        d = processing.request_supplement(request.user, self._dossier(code), data["missing"], data.get("note", ""))
        return self._answer(d)

    @extend_schema(request=s.SupplementSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def supplement(self, request, code=None):
        data = valid(s.SupplementSerializer, request)
        d = processing.supplement(request.user, self._dossier(code), _uploads(data["files"]), data.get("note", ""))
        return self._answer(d)

    @extend_schema(request=s.ApologySerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def apology(self, request, code=None):
        data = valid(s.ApologySerializer, request)
        d = processing.apologise(request.user, self._dossier(code), data["reason"], data["new_date"])
        return self._answer(d)

    @extend_schema(request=s.RefusalSerializer, responses=s.DossierSerializer)
    @action(detail=True, methods=["post"])
    def refusal(self, request, code=None):
        data = valid(s.RefusalSerializer, request)
        d = processing.refuse(request.user, self._dossier(code), data["reasons"])
        return self._answer(d)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<doc_id>[0-9]+)")
    def document(self, request, code=None, doc_id=None):
        d = self._dossier(code)
        doc = get_object_or_404(d.documents.select_related("file"), pk=doc_id)
        return file_response(receipts.served_file(doc))

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_id>[0-9]+)")
    def file(self, request, code=None, file_id=None):
        """A file the submitter sent, as sent. An employee list carries every employee's CCCD: each read of it by
        a staff member is in the audit trail (who, which dossier, which file); the submitter reads his own."""
        return file_response(dossiers.submitted_file(request.user, self._dossier(code), file_id, via="api.dossier.file").file)

    @extend_schema(responses={(200, "application/pkcs7-mime"): bytes})
    @action(detail=True, methods=["get"], url_path="receipt")
    def receipt(self, request, code=None):
        """The signed receipt as issued with the answer: XML in a CMS signature of the office (CAdES B-B)."""
        return file_response(receipts.of(self._dossier(code)).document.file)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path="receipt/evidence")
    def receipt_evidence(self, request, code=None):
        """The receipt's RFC 4998 evidence record (DER): its path in the batch's hash tree and the batch's
        time-stamp. 409 while the receipt waits for its batch (at most about half a minute)."""
        record = receipt_stamps.evidence(receipts.of(self._dossier(code)))
        if record is None:
            raise InvalidState("portal.receipt.not_stamped",
                               _("The receipt is not time-stamped yet; ask again in half a minute."))
        response = HttpResponse(record, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="giay-tiep-nhan-{code}.ers"'
        return response

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], url_path="control-slip")
    def control_slip(self, request, code=None):
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
        return Response(s.PublicStatusSerializer(lookup.public_status_for(request, code)).data)


class DeskDecodeView(APIView):
    """The one-stop desk scans a barcode form: decode it and pre-fill the intake."""

    permission_classes = [HasKysoPermission]
    required_permission = PORTAL_RECEIVE
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.DeskDecodeSerializer}, responses=s.PrefillSerializer)
    def post(self, request):
        data = valid(s.DeskDecodeSerializer, request)
        return Response(s.PrefillSerializer(barcode.prefill(barcode.decode_image(data["image"].read()))).data)


class DeskReceiveView(APIView):
    """The one-stop desk receives a barcode dossier; the intake rules in force decide."""

    permission_classes = [HasKysoPermission]
    required_permission = PORTAL_RECEIVE
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(request={"multipart/form-data": s.DeskReceiveSerializer, "application/json": s.DeskReceiveSerializer},
                   responses={201: s.DossierSerializer})
    def post(self, request):
        v = valid(s.DeskReceiveSerializer, request)
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
        return Response(s.DossierSerializer(d, context={"request": request}).data, status=status.HTTP_201_CREATED)


class StatisticsView(APIView):
    """Received / in progress / on time / late / refused by unit, procedure, channel or month; XLSX with ?format=xlsx."""

    permission_classes = [HasKysoPermission]
    required_permission = PORTAL_STATS

    @extend_schema(parameters=[OpenApiParameter("group", str, enum=list(stats.GROUPS)),
                               OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)],
                   responses=s.StatisticsSerializer)
    def get(self, request):
        p = request.query_params
        try:
            start = dt.date.fromisoformat(p["from"]) if p.get("from") else None
            end = dt.date.fromisoformat(p["to"]) if p.get("to") else None
        except ValueError:
            raise InvalidInput("portal.stats.date", _("Dates are in the form YYYY-MM-DD.")) from None
        group = p.get("group", "unit")
        rows = stats.table(dossiers.visible_tally(request.user), group, start, end)
        return Response(s.StatisticsSerializer({"group": group, "start": start, "end": end, "rows": rows,
                                                 "total": stats.totals(rows)}).data)


class _RegistryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """Officers of the employer's managing office (and the offices above it) keep these records."""

    permission_classes = [HasKysoPermission]
    required_permission = PORTAL_REGISTER

    def _end(self, record):
        raise NotImplementedError

    def _records(self, user):
        raise NotImplementedError

    def get_queryset(self):
        """The records the caller keeps (`_records`), `?tax_code=` narrowing them to one employer."""
        qs = self._records(self.request.user)
        tax = self.request.query_params.get("tax_code")
        return qs.filter(employer_tax_code=tax) if tax else qs

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        record = self._end(request.user, self.get_object())
        return Response(self.get_serializer(record).data)


class IvanRegistrationViewSet(_RegistryViewSet):
    """The employers registered with each I-VAN provider: it submits only for them (issue 16, finding 5)."""

    serializer_class = s.IvanRegistrationSerializer

    def perform_create(self, serializer):
        v = serializer.validated_data
        serializer.instance = registry.register_ivan(
            self.request.user, ivan_login=v["ivan"]["user"]["username"], tax_code=v["employer_tax_code"],
            name=v["employer_name"], unit_code=v["unit"]["code"], valid_from=v.get("valid_from"),
            valid_to=v.get("valid_to"))

    _records = staticmethod(registry.registrations)
    _end = staticmethod(registry.end_registration)


class SignerAuthorisationViewSet(_RegistryViewSet):
    """The people each employer has authorised to sign its e-dossiers with their own certificates."""

    serializer_class = s.SignerAuthorisationSerializer

    def get_object(self):
        """Every answer about one authorisation carries the CCCD (the detail, and what `end` answers): audited."""
        record = super().get_object()
        registry.reveal([record], via="api" if self.action == "retrieve" else f"api.{self.action}")
        return record

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        registry.reveal(page if page is not None else queryset, via="api.list")
        return page

    def perform_create(self, serializer):
        v = serializer.validated_data
        serializer.instance = registry.authorise_signer(
            self.request.user, tax_code=v["employer_tax_code"], employer_name=v["employer_name"],
            person_id=v["person_id"], person_name=v["person_name"], unit_code=v["unit"]["code"],
            valid_from=v.get("valid_from"), valid_to=v.get("valid_to"))

    _records = staticmethod(registry.authorisations)
    _end = staticmethod(registry.end_authorisation)
