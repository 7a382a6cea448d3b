from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.core.api.permissions import HasKysoPermission

from .. import chain, privacy, queries
from ..permissions import AUDIT_VERIFY, AUDIT_VIEW
from . import serializers as s


class AuditRecordViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AuditRecordSerializer
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

    @extend_schema(request=None, responses=s.VerifyResultSerializer)
    def post(self, request):
        return Response(s.VerifyResultSerializer(chain.verify()).data)
