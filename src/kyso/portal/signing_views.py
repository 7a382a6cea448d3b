"""The two calls the submit page makes around the submitter's signing helper (`browser_signing`): JSON in the
one error shape (stable code + Vietnamese message), the page's session and CSRF token."""

from __future__ import annotations

import base64
import json

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kyso.core.errors import InvalidInput, KysoError

from . import browser_signing


def _answer(fn) -> JsonResponse:
    try:
        return JsonResponse(fn())
    except KysoError as exc:
        return JsonResponse({"error": exc.as_dict()}, status=exc.http_status)


@login_required
@require_POST
def prepare(request):
    """A form (multipart `file`) and the device's certificate (`certificate`, base64 DER) → what to sign."""
    def run():
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("portal.sign.no_file", _("Choose the XML form to sign."))
        return browser_signing.prepare(request.session, request.user, name=upload.name, data=upload.read(),
                                       certificate_b64=request.POST.get("certificate", ""))
    return _answer(run)


@login_required
@require_POST
def complete(request):
    """`{"id", "signature"}` (JSON; the signature base64) → the signed form (`name`, `content` base64)."""
    def run():
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise InvalidInput("portal.sign.body", _("The request is not in the expected form."))
        name, signed = browser_signing.complete(request.session, request.user, token=str(body.get("id") or ""),
                                                signature_b64=str(body.get("signature") or ""))
        return {"name": name, "content": base64.b64encode(signed).decode()}
    return _answer(run)
