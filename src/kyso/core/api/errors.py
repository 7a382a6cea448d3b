"""One error shape for the whole API: {"error": {"code", "message", "fields"?}}.

Codes are stable for machines; messages follow the request's language (Vietnamese by
default). Every error rolls the request's transaction back (a failed step has rolled back its own savepoint), so nothing
is half-written.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from kyso.core.errors import KysoError, TooManyRequests

_DRF_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", None),
    exceptions.AuthenticationFailed: ("authentication_failed", None),
    exceptions.PermissionDenied: ("forbidden", None),
    exceptions.NotFound: ("not_found", None),
    exceptions.MethodNotAllowed: ("method_not_allowed", None),
    exceptions.NotAcceptable: ("not_acceptable", None),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", None),
    exceptions.Throttled: ("throttled", None),
    exceptions.ParseError: ("malformed_request", None),
}


def _flatten(detail):
    if isinstance(detail, dict):
        return {str(k): _flatten_list(v) for k, v in detail.items()}
    return {"non_field_errors": _flatten_list(detail)}


def _flatten_list(value):
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            out.extend(_flatten_list(item) if isinstance(item, (list, tuple)) else [_flat_item(item)])
        return out
    if isinstance(value, dict):
        return [f"{k}: {', '.join(_flatten_list(v))}" for k, v in value.items()]
    return [_flat_item(value)]


def _flat_item(item):
    return str(item)


def error_response(code: str, message: str, http_status: int, fields: dict | None = None, headers=None) -> Response:
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return Response(body, status=http_status, headers=headers)


API_PREFIXES = ("/api/", "/csc/")


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def messages() -> dict:
    return {
        "not_authenticated": _("Authentication is required."),
        "authentication_failed": _("Authentication failed."),
        "forbidden": _("You are not allowed to do this."),
        "csrf_failed": _("The form has expired or was not sent from Kyso's own page; reload the page and send it "
                         "again."),
        "not_found": _("The requested object does not exist."),
        "method_not_allowed": _("This method is not allowed here."),
        "unsupported_media_type": _("This content type is not supported."),
        "malformed_request": _("The request body could not be read."),
        "body_not_object": _("The request body must be a JSON object of named fields."),
        "number_out_of_range": _("A number in the request is out of range."),
        "request_too_large": _("The request is too large (at most %(mb)s MB).") % {
            "mb": max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024))},
        "server_error": _("An unexpected error occurred; it has been recorded."),
        "throttled": _("Too many requests; try again later."),
    }


def json_error(code: str, http_status: int) -> JsonResponse:
    """The same error shape from plain Django (middleware, error handlers): for what happens outside DRF."""
    return JsonResponse({"error": {"code": code, "message": str(messages()[code])}}, status=http_status)


def exception_handler(exc, context):
    # A step that failed through the step runner has already rolled its own savepoint back and may have
    # kept what must survive the failure (a wrong PIN counted): the request's transaction commits that.
    if not getattr(exc, "rolled_back", False):
        set_rollback()
    if isinstance(exc, KysoError):
        data = exc.as_dict()
        response = error_response(data["code"], data["message"], exc.http_status, data.get("fields"))
        if data.get("field_codes"):
            response.data["error"]["field_codes"] = data["field_codes"]
        if isinstance(exc, TooManyRequests):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, Http404):
        return error_response("not_found", _("The requested object does not exist."), status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return error_response("forbidden", _("You are not allowed to do this."), status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return error_response("invalid_input", _("The data is not valid."), status.HTTP_400_BAD_REQUEST, fields)
    if isinstance(exc, RequestDataTooBig):
        return error_response("request_too_large", messages()["request_too_large"],
                              status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):
        return error_response("malformed_request", messages()["malformed_request"], status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        return error_response("invalid_input", _("The data is not valid."), exc.status_code, _flatten(exc.detail))
    if isinstance(exc, exceptions.APIException):
        code = getattr(exc, "kyso_code", None) or "error"
        for cls, (c, _unused) in _DRF_CODES.items():
            if code == "error" and isinstance(exc, cls):
                code = c
                break
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        message = messages().get(code, str(exc.detail))
        return error_response(code, message, exc.status_code, headers=headers or None)
    return None
