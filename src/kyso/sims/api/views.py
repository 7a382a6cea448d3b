"""The SIM PKI registry API: plans, subscriptions and their dated changes, the import, the payment report."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.core.errors import InvalidInput, NotFound
from kyso.core.tables import MAX_BYTES, truthy

from .. import importing, report, services
from ..models import DataPlan
from ..permissions import SIMS_VIEW


def plan_dict(p: DataPlan) -> dict:
    return {"tier": p.tier, "name": p.name, "title_rules": p.title_rules.splitlines(),
            "high_speed_mb_per_day": p.high_speed_mb_per_day, "throttled_down_kbps": p.throttled_down_kbps,
            "throttled_up_kbps": p.throttled_up_kbps, "data_fee_vnd": p.data_fee_vnd, "line_fee_vnd": p.line_fee_vnd,
            "connection_fee_vnd": p.connection_fee_vnd, "is_active": p.is_active}


def subscription_dict(s, detail=False) -> dict:
    out = {"id": s.pk, "holder": s.person.email, "holder_name": s.person.full_name, "title": s.person.title,
           "unit": s.unit.code, "msisdn": s.msisdn, "carrier": s.carrier, "iccid": s.iccid,
           "certificate": s.certificate.serial if s.certificate_id else None, "in_service_on": s.in_service_on,
           "ended_on": s.ended_on, "state": s.state, "plan": s.plan.tier, "data_fee_vnd": s.data_fee_vnd,
           "line_fee_vnd": s.line_fee_vnd, "connection_fee_vnd": s.connection_fee_vnd, "contract": s.contract}
    if detail:
        out["history"] = [{"kind": e.kind, "effective_on": e.effective_on, "state": e.state, "plan": e.plan.tier,
                           "data_fee_vnd": e.data_fee_vnd, "line_fee_vnd": e.line_fee_vnd, "note": e.note,
                           "by": e.actor.username if e.actor else None, "at": e.at}
                          for e in s.events.select_related("plan", "actor")]
    return out


def _str(data, key, default=""):
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InvalidInput("sims.field.invalid", "Trường %(f)s không hợp lệ.", f=key)
    return value


def _plan(data):
    tier = _str(data, "plan")
    if not tier:
        return None
    plan = DataPlan.objects.filter(tier=int(tier) if tier.isdigit() else -1).first()
    if plan is None:
        raise InvalidInput("sims.plan.not_found", "Không có gói cước %(t)s (1–4).", t=tier)
    return plan


def _person(value):
    from kyso.org.models import Person

    value = (value or "").strip()
    person = (Person.objects.filter(email__iexact=value).first()
              or Person.objects.filter(user__username=value).first()) if value else None
    if person is None:
        raise InvalidInput("sims.person.not_found", "Không có cán bộ với thư điện tử hoặc tài khoản %(v)s.", v=value,
                           fields={"holder": ("sims.person.not_found", "Không tìm thấy người sử dụng.")})
    return person


SUB = inline_serializer("SimSubscription", {
    "id": serializers.IntegerField(), "holder": serializers.EmailField(), "unit": serializers.CharField(),
    "msisdn": serializers.CharField(), "carrier": serializers.CharField(), "iccid": serializers.CharField(),
    "certificate": serializers.CharField(allow_null=True), "in_service_on": serializers.DateField(),
    "state": serializers.CharField(), "plan": serializers.IntegerField()})
NEW_SUB = inline_serializer("SimSubscriptionNew", {
    "holder": serializers.CharField(help_text="the holder's government e-mail or login"),
    "msisdn": serializers.CharField(), "carrier": serializers.ChoiceField(["viettel", "vinaphone", "mobifone"]),
    "iccid": serializers.CharField(help_text="the SIM serial, 19–20 digits starting 89"),
    "in_service_on": serializers.DateField(help_text="from 2020-02-10 (letter 346)"),
    "plan": serializers.IntegerField(required=False, help_text="1–4; by default the plan for the holder's title"),
    "unit": serializers.CharField(required=False, help_text="paying unit code; by default the holder's organisation"),
    "certificate": serializers.CharField(required=False, help_text="serial of the holder's SIM PKI certificate"),
    "data_fee_vnd": serializers.IntegerField(required=False), "line_fee_vnd": serializers.IntegerField(required=False),
    "connection_fee_vnd": serializers.IntegerField(required=False), "contract": serializers.CharField(required=False),
    "note": serializers.CharField(required=False)})
ACTION = inline_serializer("SimSubscriptionAction", {
    "effective_on": serializers.DateField(), "reason": serializers.CharField(required=False),
    "plan": serializers.IntegerField(required=False), "data_fee_vnd": serializers.IntegerField(required=False),
    "line_fee_vnd": serializers.IntegerField(required=False), "certificate": serializers.CharField(required=False),
    "contract": serializers.CharField(required=False)})
PLAN = inline_serializer("SimDataPlan", {
    "tier": serializers.IntegerField(), "name": serializers.CharField(),
    "high_speed_mb_per_day": serializers.IntegerField(), "throttled_down_kbps": serializers.IntegerField(),
    "throttled_up_kbps": serializers.IntegerField(), "data_fee_vnd": serializers.IntegerField(),
    "line_fee_vnd": serializers.IntegerField(), "connection_fee_vnd": serializers.IntegerField()})


class PlanList(APIView):
    @extend_schema(operation_id="sims_plans", responses=inline_serializer("SimDataPlans", {}, many=True))
    def get(self, request):
        return Response([plan_dict(p) for p in DataPlan.objects.all()])


class PlanDetail(APIView):
    @extend_schema(operation_id="sims_plan_get", responses=PLAN)
    def get(self, request, tier):
        plan = DataPlan.objects.filter(tier=tier).first()
        if plan is None:
            raise NotFound("sims.plan.not_found", "Không có gói cước này.")
        return Response(plan_dict(plan))

    @extend_schema(operation_id="sims_plan_update", request=PLAN, responses=PLAN)
    def patch(self, request, tier):
        plan = DataPlan.objects.filter(tier=tier).first()
        if plan is None:
            raise NotFound("sims.plan.not_found", "Không có gói cước này.")
        data = request.data
        values = {k: data[k] for k in ("name", "high_speed_mb_per_day", "throttled_down_kbps", "throttled_up_kbps",
                                       "data_fee_vnd", "line_fee_vnd", "connection_fee_vnd", "is_active")
                  if k in data}
        if "title_rules" in data:
            rules = data["title_rules"]
            values["title_rules"] = "\n".join(rules) if isinstance(rules, list) else str(rules)
        return Response(plan_dict(services.update_plan(request.user, plan, **values)))


class SubscriptionList(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="sims_subscriptions", responses=inline_serializer("SimSubscriptions", {}, many=True),
                   parameters=[OpenApiParameter("q", str), OpenApiParameter("unit", str), OpenApiParameter("state", str),
                               OpenApiParameter("carrier", str),
                               OpenApiParameter("attention", bool, description="only lines in service whose "
                                                "certificate is missing, revoked, expired or expiring in 30 days")])
    def get(self, request):
        p = request.query_params
        qs = services.search(request.user, q=p.get("q", ""), unit=services.unit_by_code(p.get("unit")), state=p.get("state", ""),
                             carrier=p.get("carrier", ""), attention=p.get("attention") in ("1", "true"))
        return Response([subscription_dict(s) for s in qs[:1000]])

    @extend_schema(operation_id="sims_subscription_register", request=NEW_SUB, responses={201: SUB})
    def post(self, request):
        d = request.data
        sub = services.register(
            request.user, person=_person(_str(d, "holder")), msisdn=_str(d, "msisdn"), carrier=_str(d, "carrier"),
            iccid=_str(d, "iccid"), in_service_on=_str(d, "in_service_on"), plan=_plan(d), unit=services.unit_by_code(_str(d, "unit")),
            certificate=_str(d, "certificate"), data_fee=_str(d, "data_fee_vnd"), line_fee=_str(d, "line_fee_vnd"),
            connection_fee=_str(d, "connection_fee_vnd"), contract=_str(d, "contract"), note=_str(d, "note"))
        return Response(subscription_dict(sub, detail=True), status=201)


class SubscriptionDetail(APIView):
    @extend_schema(operation_id="sims_subscription_get", responses=SUB)
    def get(self, request, pk):
        return Response(subscription_dict(services.get_subscription(request.user, pk), detail=True))


class SubscriptionAction(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="sims_subscription_action", request=ACTION, responses=SUB)
    def post(self, request, pk, action):
        sub = services.get_subscription(request.user, pk)
        d, user = request.data, request.user
        on = _str(d, "effective_on")
        if action == "suspend":
            sub = services.suspend(user, sub, effective_on=on, reason=_str(d, "reason"))
        elif action == "resume":
            sub = services.resume(user, sub, effective_on=on, reason=_str(d, "reason"))
        elif action == "end":
            sub = services.end(user, sub, effective_on=on, reason=_str(d, "reason"))
        elif action == "change":
            sub = services.change_terms(user, sub, effective_on=on, plan=_plan(d), data_fee=_str(d, "data_fee_vnd"),
                                        line_fee=_str(d, "line_fee_vnd"), certificate=_str(d, "certificate"),
                                        contract=d.get("contract") if isinstance(d.get("contract"), str) else None,
                                        note=_str(d, "reason"))
        else:
            raise NotFound("sims.action.unknown", "Không có thao tác %(a)s.", a=action)
        return Response(subscription_dict(sub, detail=True))


class Import(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="sims_import", request=inline_serializer("SimImport", {
        "file": serializers.FileField(help_text="CSV or XLSX"), "dry_run": serializers.BooleanField(required=False)}))
    def post(self, request):
        f = request.FILES.get("file")
        if f is None:
            raise InvalidInput("import.missing", "Chưa chọn tệp.")
        if f.size > MAX_BYTES:
            raise InvalidInput("import.too_large", "Tệp quá lớn (tối đa %(mb)s MB).", mb=MAX_BYTES // (1024 * 1024))
        rep = importing.import_subscriptions(f.name, f.read(), actor=request.user,
                                             dry_run=bool(truthy(request.data.get("dry_run"))))
        return Response(rep.as_dict(), status=200 if rep.applied or not rep.rejected else 400)


class PaymentReport(APIView):
    @extend_schema(operation_id="sims_payment_report",
                   parameters=[OpenApiParameter("month", str, description="YYYY-MM"), OpenApiParameter("unit", str),
                               OpenApiParameter("output", str, enum=["json", "xlsx", "pdf"])])
    def get(self, request):
        from kyso.accounts import scope
        from kyso.core.errors import Forbidden

        if not scope.has_permission_anywhere(request.user, SIMS_VIEW):
            raise Forbidden("forbidden", "Bạn không có quyền xem báo cáo này.")
        p = request.query_params
        unit = services.unit_by_code(p.get("unit"))
        if unit is not None and not scope.can(request.user, SIMS_VIEW, unit):
            raise NotFound("org.unit.not_found", "Không có đơn vị mã %(code)s.", code=unit.code)
        rep = report.payment_report(request.user, report.parse_month(p.get("month", "")), unit)
        return report.download(rep, p.get("output", "json")) or Response(rep.as_dict())


class CloseMonth(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(operation_id="sims_close_month", request=inline_serializer("SimCloseMonth", {
        "month": serializers.CharField(help_text="YYYY-MM, a month that is over")}),
        responses={201: inline_serializer("SimClosedMonth", {"month": serializers.CharField(),
                                                             "lines": serializers.IntegerField(),
                                                             "total_vnd": serializers.IntegerField()})})
    def post(self, request):
        closed = services.close_month(request.user, report.parse_month(_str(request.data, "month")))
        return Response({"month": closed.month.strftime("%Y-%m"), "lines": closed.lines, "total_vnd": closed.total_vnd,
                         "groups": closed.groups, "closed_at": closed.closed_at}, status=201)
