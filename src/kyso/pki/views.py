"""Publication endpoints of the CA, open to everyone: CA certificates, CRLs, OCSP, TSA."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kyso.core import ratelimit
from kyso.core.errors import NotFound

from . import crl, fastpath, tsa
from .ca import get_ca

MAX_BODY = 64 * 1024


@transaction.non_atomic_requests
def ca_certificate(request, name: str, ext: str):
    try:
        ca = get_ca(name)
    except NotFound:
        raise Http404 from None
    if ext == "pem":
        return HttpResponse(ca.pem, content_type="application/x-pem-file")
    response = HttpResponse(bytes(ca.cert_der), content_type="application/pkix-cert")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@transaction.non_atomic_requests
def crl_view(request, name: str):
    try:
        der = crl.current(name)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(der, content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _body(request) -> bytes:
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        return b""
    return request.body[:MAX_BODY + 1]


def _ocsp_response(request, tail: str = "") -> HttpResponse:
    body = _body(request) if request.method == "POST" else b""
    status, headers, data = fastpath.http_answer(request.method, tail, body, request.content_type or "", request.META)
    response = HttpResponse(data, status=status)
    for name, value in headers:
        response[name] = value
    return response


@transaction.non_atomic_requests
@csrf_exempt
def ocsp_post(request):
    """Served by `fastpath.dispatcher` under `kyso serve`; this view answers the same for other servers."""
    return _ocsp_response(request)


@transaction.non_atomic_requests
def ocsp_get(request, encoded: str):
    return _ocsp_response(request, encoded)


@transaction.non_atomic_requests
@csrf_exempt
def tsa_post(request):
    """RFC 3161 over HTTP, open to everyone, limited per client address.

    What is written: one `TimestampRecord` per *granted* token — the TSA's record of the tokens it issued
    (serial, time, imprint, policy), which RFC 3161 accounting and ETSI EN 319 421 ask a TSA to keep. A request
    refused for its rate, a malformed one or a rejection writes nothing."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    wait = ratelimit.wait_seconds(request, "tsa", settings.KYSO_TSA_RATE_PER_MINUTE)
    if wait:
        response = JsonResponse({"error": {"code": "pki.tsa.rate_limited", "message": _(
            "Too many time-stamp requests from your address: at most %(n)s a minute. Try again in %(s)s seconds.")
            % {"n": settings.KYSO_TSA_RATE_PER_MINUTE, "s": wait}}}, status=429)
        response["Retry-After"] = str(wait)
        return response
    body = _body(request) if request.content_type in ("application/timestamp-query", "") else b""
    return HttpResponse(tsa.stamp(body), content_type="application/timestamp-reply")
