from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import scope, services
from ..models import ApiToken
from ..roles import Role


class MeView(APIView):
    """Who am I: account, staff record, roles with their units, permissions."""

    @extend_schema(responses=inline_serializer("Me", {
        "username": serializers.CharField(), "full_name": serializers.CharField(),
        "person_id": serializers.IntegerField(allow_null=True), "unit": serializers.CharField(allow_null=True),
        "roles": serializers.ListField(child=serializers.DictField()), "permissions": serializers.ListField(child=serializers.CharField()),
    }))
    def get(self, request):
        user = request.user
        assignments = user.role_assignments.filter(is_active=True).select_related("unit")
        return Response({
            "username": user.username,
            "full_name": user.display_name,
            "person_id": user.person_id,
            "unit": user.person.unit.code if user.person_id else None,
            "roles": [{"role": a.role, "label": str(Role(a.role).label), "unit": a.unit.code} for a in assignments],
            "permissions": sorted(scope.permissions(user)),
        })


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["key_id", "name", "created_at", "expires_at", "revoked_at", "last_used_at"]


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(min_value=1, max_value=730, default=90)


class TokenListView(APIView):
    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        return Response(TokenSerializer(request.user.api_tokens.order_by("-created_at"), many=True).data)

    @extend_schema(request=TokenCreateSerializer, responses={201: inline_serializer("NewToken", {
        "key_id": serializers.CharField(), "token": serializers.CharField(), "expires_at": serializers.DateTimeField()})})
    def post(self, request):
        ser = TokenCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        token, key = services.issue_token(request.user, ser.validated_data["name"], ser.validated_data["days"])
        return Response({"key_id": token.key_id, "token": key, "expires_at": token.expires_at}, status=status.HTTP_201_CREATED)


class TokenRevokeView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, key_id):
        services.revoke_token(request.user, key_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
