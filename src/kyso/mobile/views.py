"""Thin views: the holder's credentials and requests, the phone page (the app's confirmation screen
and the SIM's prompt), request status for polling clients, and the simulator's SOAP endpoint."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import KysoError
from kyso.core.paging import page_of

from . import services, simulator
from .models import Channel, Credential, MsspTransaction, SignatureRequest
from .permissions import MOBILE_VIEW


@login_required
def index(request):
    own = services.usable_credentials(request.user).order_by("-created_at")
    requests_ = SignatureRequest.objects.filter(credential__holder=request.user).select_related("credential")[:50]
    unit_creds = None
    if scope.has_permission_anywhere(request.user, MOBILE_VIEW):
        unit_creds = page_of(request, scope.filter_by_scope(
            Credential.objects.select_related("holder__person__unit", "certificate").order_by("-created_at"),
            request.user, MOBILE_VIEW, "holder__person__unit__path"))
    return render(request, "mobile/index.html", {"credentials": own, "requests": requests_, "unit_credentials": unit_creds})


@login_required
def phone(request):
    """The holder's phone: open requests of the app and prompts of his PKI SIM."""
    msisdns = list(Credential.objects.filter(holder=request.user, channel=Channel.SIM).values_list("msisdn", flat=True))
    sim_prompts = list(simulator.pending_on_phone(msisdns)) if msisdns else []
    app_requests = [r for r in services.pending_for(request.user) if r.channel == Channel.APP]
    return render(request, "mobile/phone.html", {"app_requests": app_requests, "sim_prompts": sim_prompts,
                                                 "has_credentials": services.usable_credentials(request.user).exists()})


def _answer(request, fn, ok_message):
    """Run the holder's answer; a failed step rolled itself back and kept what must stay (the PIN count)."""
    _result, failed = steps.settle(fn)
    if failed is not None:
        messages.error(request, failed.message)
    else:
        messages.success(request, ok_message)
    return redirect("mobile:phone")


@login_required
@require_POST
def phone_answer(request, request_id):
    if "refuse" in request.POST:
        return _answer(request, lambda: services.refuse(request_id, request.user), _("You refused the request."))
    if "resend" in request.POST:
        return _answer(request, lambda: services.resend_code(request_id, request.user),
                       _("A new code was sent to your phone."))
    return _answer(request, lambda: services.confirm(request_id, request.user, request.POST.get("pin", ""),
                                                     request.POST.get("otp", "")), _("Signed."))


@login_required
@require_POST
def sim_answer(request, trans_id):
    """A SIM prompt answered on the phone (a SIM request that did not come through Kyso's own requests)."""
    msisdns = set(Credential.objects.filter(holder=request.user, channel=Channel.SIM).values_list("msisdn", flat=True))
    txn = MsspTransaction.objects.filter(mssp_trans_id=trans_id, msisdn__in=msisdns).first()
    if txn is None:
        messages.error(request, _("No such request on this phone."))
        return redirect("mobile:phone")
    cancel = "refuse" in request.POST
    return _answer(request, lambda: simulator.phone_answer(txn.msisdn, trans_id, pin=request.POST.get("pin", ""),
                                                           cancel=cancel),
                   _("You refused the request.") if cancel else _("Signed."))


@login_required
def request_status(request, request_id):
    try:
        req = services.get_request(request_id, user=request.user)
    except KysoError as exc:
        return JsonResponse({"error": exc.as_dict()}, status=exc.http_status)
    return JsonResponse({"id": str(req.pk), "state": req.state, "state_label": req.get_state_display(),
                         "error_code": req.error_code, "error_message": req.error_message,
                         "expires_at": req.expires_at.isoformat()})


@csrf_exempt
@require_POST
def mssp_endpoint(request):
    """The built-in carrier's SOAP endpoint (ETSI TS 102 204). The AP authenticates with AP_ID/AP_PWD."""
    answer = simulator.handle(request.body)
    status = 500 if b"Fault>" in answer[:2000] else 200
    return HttpResponse(answer, status=status, content_type="text/xml; charset=utf-8")
