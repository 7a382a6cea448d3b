from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import scope, services, tokens
from ..models import MAX_TOKEN_DAYS, ApiToken
from ..roles import Role


class MeView(APIView):
    """Who am I: account, staff record, roles with their units, permissions."""

    token_area = tokens.ANY_AREA

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
    owner = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["key_id", "name", "owner", "scopes", "created_at", "expires_at", "revoked_at", "last_used_at"]


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(min_value=1, max_value=MAX_TOKEN_DAYS, default=MAX_TOKEN_DAYS)
    scopes = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1, max_length=30,
                                   help_text="'<area>:read' or '<area>:write'; area one of: * " + " ".join(tokens.AREAS))


class TokenListView(APIView):
    """Your API tokens (GET) and a new one (POST: at most 90 days, with its scopes; shown once)."""

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        return Response(TokenSerializer(request.user.api_tokens.order_by("-created_at"), many=True).data)

    @extend_schema(request=TokenCreateSerializer, responses={201: inline_serializer("NewToken", {
        "key_id": serializers.CharField(), "token": serializers.CharField(), "expires_at": serializers.DateTimeField(),
        "scopes": serializers.ListField(child=serializers.CharField())})})
    def post(self, request):
        ser = TokenCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        parent = request.auth if isinstance(request.auth, ApiToken) else None
        token, key = services.issue_token(request.user, ser.validated_data["name"], ser.validated_data["days"],
                                          ser.validated_data["scopes"], parent=parent)
        return Response({"key_id": token.key_id, "token": key, "expires_at": token.expires_at, "scopes": token.scopes},
                        status=status.HTTP_201_CREATED)


class ManagedTokenListView(APIView):
    """The tokens of the accounts you administer (accounts.manage over their unit), newest first."""

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        qs = tokens.managed(request.user).order_by("-created_at")[:500]
        return Response(TokenSerializer(qs, many=True).data)


class TokenRevokeView(APIView):
    """Revoke a token: your own, or one of an account you administer."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, key_id):
        services.revoke_token(request.user, key_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
