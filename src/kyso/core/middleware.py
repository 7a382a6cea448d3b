"""Request context: request id, client address and (lazily) the user, for the audit trail."""

from __future__ import annotations

import ipaddress
import re

from django.conf import settings
from django.shortcuts import render

from kyso.core import context
from kyso.core.api.errors import is_api, json_error
from kyso.core.errors import KysoError

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request) -> str | None:
    return client_address(request.META)


def client_address(meta) -> str | None:
    """The client's address from WSGI/CGI variables: X-Forwarded-For only when a trusted proxy sent it."""
    remote = meta.get("REMOTE_ADDR") or None
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if remote and forwarded and remote in settings.KYSO_TRUSTED_PROXIES:
        candidate = forwarded.split(",")[0].strip()
        try:
            ipaddress.ip_address(candidate)
            return candidate
        except ValueError:
            return remote
    return remote


def _body_over_limit(request) -> bool:
    """A JSON or form body longer than DATA_UPLOAD_MAX_MEMORY_SIZE (file uploads are limited by each endpoint)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        return False
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return False


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api(request) and _body_over_limit(request):
            return json_error("request_too_large", 413)
        supplied = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = supplied if _REQUEST_ID_RE.match(supplied) else context.new_request_id()
        request.request_id = request_id
        channel = "api" if request.path.startswith("/api/") else "web"
        ctx = context.ActorContext(channel=channel, request_id=request_id, client_ip=client_ip(request), request=request)
        token = context.set_current(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response

    def process_exception(self, request, exception):
        """A domain error escaping a web view: the transaction is already rolled back; say why."""
        if isinstance(exception, KysoError) and not request.path.startswith("/api/"):
            return render(
                request,
                "core/error.html",
                {"error": exception, "request_id": getattr(request, "request_id", "")},
                status=exception.http_status,
            )
        return None
