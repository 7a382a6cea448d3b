"""API authentication with Kyso tokens: `Authorization: Token kyso_<id>_<secret>` (or Bearer).

A token works only within its validity (at most 90 days) and only for the API areas of its scopes."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from kyso.core.errors import Forbidden

from . import tokens
from .models import TOKEN_PREFIX, ApiToken


class ScopeDenied(Forbidden, exceptions.APIException):
    """A token used outside its scopes: an API error of the Kyso shape that DRF's authentication lets through
    (it re-raises only its own exceptions, after marking the request anonymous)."""

    status_code = 403


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed authorization header."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Malformed token.")) from None
        parts = raw.split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            raise exceptions.AuthenticationFailed(_("Malformed token."))
        token = ApiToken.objects.select_related("user").filter(key_id=parts[1]).first()
        if token is None or not token.matches(parts[2]) or not token.is_usable:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if not token.user.is_active or token.user.is_locked():
            raise exceptions.AuthenticationFailed(_("The account is disabled or locked."))
        match = getattr(getattr(request, "_request", request), "resolver_match", None)
        try:
            tokens.check_use(token, tokens.area_of(match.func) if match else "", request.method)
        except Forbidden as exc:
            raise ScopeDenied(exc.code, exc._message, **exc.params) from None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # bookkeeping, not a state change
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document tells a client to authenticate: the Kyso token in `Authorization`."""

    target_class = ApiTokenAuthentication
    name = "kysoToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "kyso_<id>_<secret>",
                "description": "A Kyso API token (`Authorization: Token …` or `Bearer …`), valid for its scopes."}

