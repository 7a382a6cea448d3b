from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.core.api.permissions import HasKysoPermission

from .. import chain, privacy, queries
from ..permissions import AUDIT_VERIFY, AUDIT_VIEW
from ..models import AuditRecord


class AuditRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditRecord
        fields = ["seq", "at", "actor", "channel", "action", "object_type", "object_id", "object_repr", "before",
                  "after", "request_id", "client_ip", "prev_hash", "hash"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.seq in self.context.get("masked", ()):   # personal data the reader may not see (issue 16)
            data["before"], data["after"] = privacy.masked(data["before"]), privacy.masked(data["after"])
        return data


class AuditRecordViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditRecordSerializer
    permission_classes = [HasKysoPermission]
    required_permission = AUDIT_VIEW
    lookup_field = "seq"

    def get_queryset(self):
        return queries.filtered(queries.visible_records(self.request.user), self.request.query_params)

    def get_serializer(self, *args, **kwargs):
        """The records shown are screened: personal data masked for whom may not see it, each read audited."""
        if args and self.action in ("list", "retrieve"):
            shown = list(args[0]) if kwargs.get("many") else [args[0]]
            kwargs["context"] = {**self.get_serializer_context(),
                                 "masked": privacy.screen(self.request.user, shown, via="audit.api")}
        return super().get_serializer(*args, **kwargs)


class VerifyView(APIView):
    permission_classes = [HasKysoPermission]
    required_permission = AUDIT_VERIFY

    @extend_schema(request=None, responses=inline_serializer("AuditVerifyResult", {
        "ok": serializers.BooleanField(), "checked": serializers.IntegerField(), "last_seq": serializers.IntegerField(),
        "checkpoints_checked": serializers.IntegerField(), "first_problem": serializers.DictField(allow_null=True),
    }))
    def post(self, request):
        report = chain.verify()
        first = report.first
        return Response({
            "ok": report.ok, "checked": report.checked, "last_seq": report.last_seq,
            "checkpoints_checked": report.checkpoints_checked,
            "first_problem": {"kind": first.kind, "seq": first.seq, "detail": first.detail} if first else None,
        })
