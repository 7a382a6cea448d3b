"""Publication endpoints of the CA, open to everyone: CA certificates, CRLs, OCSP, TSA."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.db import transaction
from django.views.decorators.csrf import csrf_exempt

from kyso.core.errors import NotFound

from . import crl, ocsp, tsa
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


@transaction.non_atomic_requests
@csrf_exempt
def ocsp_post(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    der = ocsp.respond(_body(request) if request.content_type in ("application/ocsp-request", "") else b"")
    return HttpResponse(der, content_type="application/ocsp-response")


@transaction.non_atomic_requests
def ocsp_get(request, encoded: str):
    try:
        data = base64.b64decode(unquote(encoded), validate=False)
    except (binascii.Error, ValueError):
        data = b""
    der = ocsp.respond(data)
    response = HttpResponse(der, content_type="application/ocsp-response")
    response["Cache-Control"] = "public, max-age=600"
    return response


@transaction.non_atomic_requests
@csrf_exempt
def tsa_post(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    body = _body(request) if request.content_type in ("application/timestamp-query", "") else b""
    return HttpResponse(tsa.stamp(body), content_type="application/timestamp-reply")
