"""The SIM PKI registry API: plans, subscriptions and their dated changes, the import, the payment report, the
closing of a month. Input and output through serializers; every step through the registry (`services`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.accounts import scope
from kyso.core.api.parsers import FormParser, JsonObjectParser as JSONParser, MultiPartParser
from kyso.core.api.pagination import PAGE_PARAMETERS, page, paged
from kyso.core.errors import Forbidden, InvalidInput, NotFound
from kyso.core.tables import check_size
from kyso.jobs.api.serializers import JobSerializer
from kyso.org.models import Person

from .. import importing, privacy, report, services
from ..models import DataPlan
from ..permissions import SIMS_VIEW
from . import serializers as s


def _valid(serializer_class, request) -> dict:
    """The body read by its serializer; a value of the wrong kind answers `sims.field.invalid` naming it."""
    ser = serializer_class(data=request.data)
    if not ser.is_valid():
        name = next(iter(ser.errors))
        raise InvalidInput("sims.field.invalid", _("The field %(f)s is not valid."), f=name,
                           fields={k: ("sims.field.invalid", " ".join(str(m) for m in v)) for k, v in ser.errors.items()})
    return {k: ("" if v is None else v) for k, v in ser.validated_data.items()}


def _full(request, subs) -> dict:
    """The serializer context: which lines' numbers the caller sees in full (each such read audited)."""
    return {"full": privacy.shown(request.user, subs, "sims.api")}


def _plan(tier: str):
    if not tier:
        return None
    plan = DataPlan.objects.filter(tier=int(tier) if tier.isdigit() else -1).first()
    if plan is None:
        raise InvalidInput("sims.plan.not_found", _("No data plan %(t)s (1–4)."), t=tier)
    return plan


def _plan_or_404(tier) -> DataPlan:
    plan = DataPlan.objects.filter(tier=tier).first()
    if plan is None:
        raise NotFound("sims.plan.not_found", _("No such data plan."))
    return plan


def _person(value: str) -> Person:
    value = (value or "").strip()
    person = (Person.objects.filter(email__iexact=value).first()
              or Person.objects.filter(user__username=value).first()) if value else None
    if person is None:
        raise InvalidInput("sims.person.not_found", _("No staff member with the e-mail or login %(v)s."), v=value,
                           fields={"holder": ("sims.person.not_found", _("No staff member with this e-mail."))})
    return person


class PlanList(APIView):
    @extend_schema(operation_id="sims_plans", responses=s.PlanSerializer(many=True))
    def get(self, request):
        return Response(s.PlanSerializer(DataPlan.objects.all(), many=True).data)


class PlanDetail(APIView):
    @extend_schema(operation_id="sims_plan_get", responses=s.PlanSerializer)
    def get(self, request, tier):
        return Response(s.PlanSerializer(_plan_or_404(tier)).data)

    @extend_schema(operation_id="sims_plan_update", request=s.PlanInput, responses=s.PlanSerializer)
    def patch(self, request, tier):
        plan = _plan_or_404(tier)
        values = {k: v for k, v in _valid(s.PlanInput, request).items() if k in request.data}
        return Response(s.PlanSerializer(services.update_plan(request.user, plan, **values)).data)


class SubscriptionList(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="sims_subscriptions", responses=paged(s.SubscriptionItemSerializer),
                   parameters=[*PAGE_PARAMETERS, OpenApiParameter("q", str), OpenApiParameter("unit", str), OpenApiParameter("state", str),
                               OpenApiParameter("carrier", str),
                               OpenApiParameter("attention", bool, description="only lines in service whose "
                                                "certificate is missing, revoked, expired or expiring in 30 days")])
    def get(self, request):
        p = request.query_params
        qs = services.search(request.user, q=p.get("q", ""), unit=services.unit_by_code(p.get("unit")),
                             state=p.get("state", ""), carrier=p.get("carrier", ""),
                             attention=p.get("attention") in ("1", "true"))
        return page(request, qs, s.SubscriptionItemSerializer, view=self, context=lambda subs: _full(request, subs))

    @extend_schema(operation_id="sims_subscription_register", request=s.RegisterInput,
                   responses={201: s.SubscriptionSerializer})
    def post(self, request):
        d = _valid(s.RegisterInput, request)
        sub = services.register(
            request.user, person=_person(d["holder"]), msisdn=d["msisdn"], carrier=d["carrier"], iccid=d["iccid"],
            in_service_on=d["in_service_on"], plan=_plan(d["plan"]), unit=services.unit_by_code(d["unit"]),
            certificate=d["certificate"], data_fee=d["data_fee_vnd"], line_fee=d["line_fee_vnd"],
            connection_fee=d["connection_fee_vnd"], contract=d["contract"], note=d["note"])
        return Response(s.SubscriptionSerializer(sub, context=_full(request, [sub])).data, status=201)


class SubscriptionDetail(APIView):
    @extend_schema(operation_id="sims_subscription_get", responses=s.SubscriptionSerializer)
    def get(self, request, pk):
        sub = services.get_subscription(request.user, pk)
        return Response(s.SubscriptionSerializer(sub, context=_full(request, [sub])).data)


class SubscriptionAction(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="sims_subscription_action", request=s.ActionInput, responses=s.SubscriptionSerializer)
    def post(self, request, pk, action):
        sub = services.get_subscription(request.user, pk)
        d, user = _valid(s.ActionInput, request), request.user
        on, reason = d["effective_on"], d["reason"]
        if action in ("suspend", "resume", "end"):
            sub = getattr(services, action)(user, sub, effective_on=on, reason=reason)
        elif action == "change":
            sub = services.change_terms(user, sub, effective_on=on, plan=_plan(d["plan"]), data_fee=d["data_fee_vnd"],
                                        line_fee=d["line_fee_vnd"], certificate=d["certificate"],
                                        contract=d["contract"] if "contract" in request.data else None, note=reason)
        else:
            raise NotFound("sims.action.unknown", _("No such action: %(a)s."), a=action[:40])
        return Response(s.SubscriptionSerializer(sub, context=_full(request, [sub])).data)


class Import(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="sims_import", request=s.ImportInput, responses={202: JobSerializer})
    def post(self, request):
        f = request.FILES.get("file")
        if f is None:
            raise InvalidInput("import.missing", _("Choose a file."))
        check_size(f.size)
        d = _valid(s.ImportInput, request)
        job = importing.start_import(f.name, f.read(), actor=request.user, dry_run=bool(d["dry_run"]))
        return Response(JobSerializer(job).data, status=202)


class PaymentReport(APIView):
    @extend_schema(operation_id="sims_payment_report", responses=s.PaymentReportSerializer,
                   parameters=[OpenApiParameter("month", str, description="YYYY-MM"), OpenApiParameter("unit", str),
                               OpenApiParameter("output", str, enum=["json", "xlsx", "pdf"])])
    def get(self, request):
        if not scope.has_permission_anywhere(request.user, SIMS_VIEW):
            raise Forbidden("forbidden", _("You are not allowed to see this report."))
        p = request.query_params
        unit = services.unit_by_code(p.get("unit"))
        if unit is not None and not scope.can(request.user, SIMS_VIEW, unit):
            raise NotFound("org.unit.not_found", _("No unit with code %(code)s."), code=unit.code)
        rep = report.payment_report(request.user, report.parse_month(p.get("month", "")), unit, via="sims.api")
        return report.download(rep, p.get("output", "json")) or Response(s.PaymentReportSerializer(rep).data)


class CloseMonth(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(operation_id="sims_close_month", request=s.CloseMonthInput, responses={201: s.ClosedMonthSerializer})
    def post(self, request):
        d = _valid(s.CloseMonthInput, request)
        closed = services.close_month(request.user, report.parse_month(d["month"]))
        return Response(s.ClosedMonthSerializer(closed).data, status=201)
