from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.core.api.inputs import valid
from kyso.core.api.pagination import PAGE_PARAMETERS, page, paged

from .. import services, tokens
from ..models import ApiToken
from . import serializers as s


class MeView(APIView):
    """Who am I: account, staff record, roles with their units, permissions."""

    token_area = tokens.ANY_AREA

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)


class TokenListView(APIView):
    """Your API tokens (GET) and a new one (POST: at most 90 days, with its scopes; shown once)."""

    @extend_schema(responses=paged(s.TokenSerializer), parameters=PAGE_PARAMETERS)
    def get(self, request):
        return page(request, request.user.api_tokens.all(), s.TokenSerializer, view=self)

    @extend_schema(request=s.TokenCreateSerializer, responses={201: s.NewTokenSerializer})
    def post(self, request):
        data = valid(s.TokenCreateSerializer, request)
        parent = request.auth if isinstance(request.auth, ApiToken) else None
        token, key = services.issue_token(request.user, data["name"], data["days"], data["scopes"], parent=parent)
        return Response(s.NewTokenSerializer({"key_id": token.key_id, "token": key, "expires_at": token.expires_at,
                                             "scopes": token.scopes}).data, status=status.HTTP_201_CREATED)


class ManagedTokenListView(APIView):
    """The tokens of the accounts you administer (accounts.manage over their unit), newest first."""

    @extend_schema(responses=paged(s.TokenSerializer), parameters=PAGE_PARAMETERS)
    def get(self, request):
        return page(request, tokens.managed(request.user), s.TokenSerializer, view=self)


class TokenRevokeView(APIView):
    """Revoke a token: your own, or one of an account you administer."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, key_id):
        services.revoke_token(request.user, key_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
