"""The lifecycle pages for every role: the queue, requests with their allowed actions, Form 02 lists,
certificates (expiry, renewal, revocation), key devices and the seal campaign. Thin: `services` does it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyso.accounts import scope
from kyso.core.errors import KysoError
from kyso.files.views import file_response
from kyso.org.models import Person, Unit
from kyso.workdays.calendar import today

from . import documents, services
from .models import (Certificate, DeviceState, KeyDevice, Record, RequestList, RequestState as R, RevocationReason,
                     RevocationRequest)
from .permissions import LC_APPROVE, LC_CONFIRM, LC_DEVICE, LC_REQUEST, LC_REVIEW, LC_VIEW


def _need(request, perm):
    if not scope.has_permission_anywhere(request.user, perm):
        from kyso.core.errors import Forbidden

        raise Forbidden("forbidden", _("You are not allowed to do this."))


@login_required
def index(request):
    _need(request, LC_VIEW)
    reqs = services.visible_requests(request.user).order_by("-id")
    state = request.GET.get("state", "")
    if state:
        reqs = reqs.filter(state=state)
    steps = list(services.my_steps(request.user).order_by("due_on")[:100])
    return render(request, "lifecycle/index.html", {
        "steps": steps, "today": today(), "requests": reqs[:100], "states": R.choices, "state": state,
        "expiry": services.expiry_buckets(request.user),
        "certificates": services.visible_certificates(request.user).order_by("not_after")[:100],
        "can_request": scope.has_permission_anywhere(request.user, LC_REQUEST),
    })


@login_required
def new_request(request):
    _need(request, LC_REQUEST)
    people = scope.filter_by_scope(Person.objects.filter(is_active=True), request.user, LC_REQUEST, "unit__path")
    units = scope.filter_by_scope(Unit.objects.filter(has_own_seal=True, is_active=True), request.user, LC_REQUEST, "path")
    if request.method == "POST":
        try:
            kind = request.POST.get("kind", "")
            person = people.filter(pk=request.POST.get("person") or 0).first() if kind == "person" else None
            unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first() if kind == "organization" else None
            from kyso.files.storage import store

            files = {}
            for key in ("seal_registration", "title_confirmation"):
                f = request.FILES.get(key)
                if f:
                    files[key] = store(f.read(), name=f.name, media_type=f.content_type or "application/octet-stream",
                                       purpose=f"lifecycle.{key}")
            data = {k: request.POST.get(k, "") for k in ("title", "residence", "fax", "validity_years",
                                                         "old_certificate_serial")}
            data["is_seal_holder"] = bool(request.POST.get("is_seal_holder"))
            req = services.file_request(request.user, kind=kind, person=person, unit=unit, data=data, **files)
            messages.success(request, _("Request filed (Form 01)."))
            return redirect("lifecycle:request", pk=req.pk)
        except KysoError as exc:
            messages.error(request, f"[{exc.code}] {exc.message}")
    return render(request, "lifecycle/new_request.html", {"people": people.order_by("full_name")[:500],
                                                          "units": units.order_by("path")})


def _actions_for(user, req):
    """The buttons this user may press on this request now."""
    managing = req.subscriber.managing_unit
    acts = []
    unit_officer = scope.can(user, LC_CONFIRM, managing)
    it = scope.can(user, LC_REVIEW)
    if req.state == R.SUBMITTED and unit_officer:
        acts.append(("confirm", _("Confirm (managing unit)")))
    if req.state == R.RECEIVED and it:
        acts += [("valid", _("Valid")), ("invalid", _("Invalid: return with guidance"))]
    if req.state == R.RETURNED and unit_officer:
        acts.append(("resubmit", _("Completed: resubmit")))
    if req.state == R.ISSUED and it:
        acts.append(("handover_unit", _("Hand over to the managing unit (Form 03)")))
    if req.state == R.HANDED_TO_UNIT and unit_officer:
        acts.append(("handover_subscriber", _("Handed to the subscriber (report back)")))
    if req.state == R.HANDED_TO_SUBSCRIBER and it:
        acts.append(("activate", _("Send the activation notice (Form 04)")))
    if req.state == R.SENT_TO_CA and it:
        acts += [("refused", _("CA refused")), ("supplement", _("CA asks for a supplement"))]
    if req.state in (R.REFUSED, R.SUPPLEMENT) and it:
        acts.append(("notify_outcome", _("Notify the unit in writing")))
    if req.state == R.SUPPLEMENT and unit_officer:
        acts.append(("supplement_done", _("Supplement completed")))
    if unit_officer or it:
        acts.append(("hold", _("Hold / release")))
    return acts


@login_required
def request_detail(request, pk):
    req = services.visible_requests(request.user).filter(pk=pk).first()
    if req is None:
        raise Http404
    from .deadlines import steps_of

    return render(request, "lifecycle/request.html", {
        "req": req, "steps": steps_of("request", req.pk), "today": today(),
        "records": Record.objects.filter(subject_type="request", subject_id=req.pk).order_by("id"),
        "actions": _actions_for(request.user, req), "certificates": req.certificates.all(),
        "can_review": scope.can(request.user, LC_REVIEW),
    })


@login_required
@require_POST
def request_action(request, pk, action):
    req = services.visible_requests(request.user).filter(pk=pk).first()
    if req is None:
        raise Http404
    text = request.POST.get("text", "")
    handlers = {
        "confirm": lambda: services.confirm_request(request.user, req),
        "valid": lambda: services.review(request.user, req, valid=True),
        "invalid": lambda: services.review(request.user, req, valid=False, guidance=text),
        "resubmit": lambda: services.resubmit(request.user, req),
        "handover_unit": lambda: services.handover_to_unit(request.user, req),
        "handover_subscriber": lambda: services.handover_to_subscriber(request.user, req),
        "activate": lambda: services.activate(request.user, req),
        "refused": lambda: services.ca_outcome(request.user, req, "refused", text),
        "supplement": lambda: services.ca_outcome(request.user, req, "supplement", text),
        "notify_outcome": lambda: services.notify_unit_of_outcome(request.user, req),
        "supplement_done": lambda: services.supplement_done(request.user, req),
        "hold": lambda: services.hold(request.user, req, text),
    }
    if action not in handlers:
        raise Http404
    try:
        handlers[action]()
        messages.success(request, _("Done."))
    except KysoError as exc:
        messages.error(request, f"[{exc.code}] {exc.message}")
    return redirect("lifecycle:request", pk=pk)


@login_required
def form(request, kind, pk, fmt):
    """Forms 01 (request) and 02 (list) rendered now from the records, as PDF, DOCX or XLSX."""
    if kind == "01":
        obj = services.visible_requests(request.user).filter(pk=pk).first()
        doc = documents.form01(obj) if obj else None
    else:
        obj = _lists(request.user).filter(pk=pk).first()
        if obj is not None and fmt == "xlsx":
            resp = HttpResponse(documents.form02_xlsx(obj),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            resp["Content-Disposition"] = 'attachment; filename="mau-02.xlsx"'
            return resp
        doc = documents.form02(obj) if obj else None
    if doc is None:
        raise Http404
    data, ctype = documents.render(doc, fmt)
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="mau-{kind}.{fmt}"'
    return resp


@login_required
def record(request, pk):
    rec = Record.objects.filter(pk=pk).select_related("unit", "pdf").first()
    if rec is None or not scope.can(request.user, LC_VIEW, rec.unit) and not scope.can(request.user, LC_REVIEW):
        raise Http404
    return file_response(rec.pdf)


def _lists(user):
    qs = RequestList.objects.select_related("unit", "sent_to").order_by("-id")
    return scope.filter_by_scope(qs, user, LC_VIEW, "unit__path") | scope.filter_by_scope(qs, user, LC_VIEW,
                                                                                         "sent_to__path")


@login_required
def lists(request):
    _need(request, LC_VIEW)
    if request.method == "POST":
        try:
            op = request.POST.get("op")
            lst = _lists(request.user).filter(pk=request.POST.get("list") or 0).first()
            if op == "compile":
                unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
                if unit is None:
                    raise Http404
                services.compile_list(request.user, unit)
            elif op == "compile_approval":
                services.compile_approval_list(request.user)
            elif lst is None:
                raise Http404
            elif op == "send":
                services.send_list(request.user, lst)
            elif op == "receive":
                services.receive_list(request.user, lst)
            elif op == "approve":
                services.approve_list(request.user, lst)
            elif op == "send_to_ca":
                issued = services.send_to_ca(request.user, lst)
                for item in issued:
                    messages.info(request, _("Device %(token)s for request #%(req)s: PIN %(pin)s (shown once).")
                                  % {"token": item.token_label, "req": item.request_id, "pin": item.pin})
            messages.success(request, _("Done."))
        except KysoError as exc:
            messages.error(request, f"[{exc.code}] {exc.message}")
        return redirect("lifecycle:lists")
    units = scope.filter_by_scope(Unit.objects.filter(level__manages_subscribers=True), request.user, LC_CONFIRM, "path")
    return render(request, "lifecycle/lists.html", {
        "lists": _lists(request.user)[:100], "units": units.order_by("path"),
        "can_review": scope.can(request.user, LC_REVIEW), "can_approve": scope.can(request.user, LC_APPROVE),
        "can_confirm": scope.has_permission_anywhere(request.user, LC_CONFIRM),
    })


@login_required
def certificate(request, pk):
    cert = services.visible_certificates(request.user).filter(pk=pk).first()
    if cert is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("op") == "renew":
                req = services.renewal(request.user, cert)
                return redirect("lifecycle:request", pk=req.pk)
            services.request_revocation(request.user, cert, reason=request.POST.get("reason", ""),
                                        detail=request.POST.get("detail", ""),
                                        phone_notice=request.POST.get("phone_notice", ""))
            messages.success(request, _("Revocation requested (Form 05)."))
        except KysoError as exc:
            messages.error(request, f"[{exc.code}] {exc.message}")
        return redirect("lifecycle:certificate", pk=pk)
    return render(request, "lifecycle/certificate.html", {
        "cert": cert, "reasons": RevocationReason.choices, "revocations": cert.revocations.order_by("-id"),
    })


@login_required
def revocation(request, pk):
    rev = RevocationRequest.objects.filter(pk=pk).select_related("certificate__subscriber").first()
    if rev is None or not scope.can(request.user, LC_VIEW, rev.certificate.subscriber.unit):
        raise Http404
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            {"confirm": lambda: services.confirm_revocation(request.user, rev),
             "send_to_ca": lambda: services.send_revocation(request.user, rev),
             "ca_confirmed": lambda: services.ca_confirmed_revocation(request.user, rev),
             "notify_unit": lambda: services.notify_unit_to_recover(request.user, rev),
             "return_device": lambda: services.return_device(request.user, rev,
                                                             lost_or_damaged=request.POST.get("condition", ""),
                                                             explanation=request.POST.get("text", "")),
             }[op]()
            messages.success(request, _("Done."))
        except KeyError:
            raise Http404 from None
        except KysoError as exc:
            messages.error(request, f"[{exc.code}] {exc.message}")
        return redirect("lifecycle:revocation", pk=pk)
    from .deadlines import steps_of

    return render(request, "lifecycle/revocation.html", {"rev": rev, "steps": steps_of("revocation", rev.pk),
                                                         "today": today()})


@login_required
def devices(request):
    _need(request, LC_VIEW)
    qs = scope.filter_by_scope(KeyDevice.objects.select_related("unit", "holder"), request.user, LC_VIEW, "unit__path")
    if request.method == "POST":
        try:
            dev = qs.filter(pk=request.POST.get("device") or 0).first()
            if request.POST.get("op") == "register":
                unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
                services.register_device(request.user, serial=request.POST.get("serial", ""), unit=unit,
                                         model=request.POST.get("model", ""))
            elif dev is not None:
                services.change_device(request.user, dev, request.POST.get("state", ""),
                                       note=request.POST.get("note", ""))
            messages.success(request, _("Done."))
        except KysoError as exc:
            messages.error(request, f"[{exc.code}] {exc.message}")
        return redirect("lifecycle:devices")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(serial__icontains=q) | qs.filter(holder__person__full_name__icontains=q) | \
            qs.filter(unit__name__icontains=q)
    units = scope.filter_by_scope(Unit.objects.all(), request.user, LC_DEVICE, "path")
    return render(request, "lifecycle/devices.html", {"devices": qs.order_by("serial")[:200], "q": q,
                                                      "states": DeviceState.choices, "units": units.order_by("path")})


@login_required
def campaign(request):
    _need(request, LC_VIEW)
    return render(request, "lifecycle/campaign.html", services.seal_campaign(request.user))


@login_required
def bulk(request):
    """Revoke every valid certificate under a unit, with a progress bar."""
    from .bulk import start_bulk_revocation
    from .models import BulkJob

    _need(request, LC_CONFIRM)
    if request.method == "POST":
        try:
            unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
            if unit is None:
                raise Http404
            job = start_bulk_revocation(request.user, unit, reason=request.POST.get("reason", ""),
                                        detail=request.POST.get("detail", ""),
                                        phone_notice=request.POST.get("phone_notice", ""))
            return redirect(f"{request.path}?job={job.pk}")
        except KysoError as exc:
            messages.error(request, f"[{exc.code}] {exc.message}")
            return redirect("lifecycle:bulk")
    job = BulkJob.objects.filter(pk=request.GET.get("job") or 0).first()
    if job is not None and not scope.can(request.user, LC_CONFIRM, job.unit):
        job = None
    units = scope.filter_by_scope(Unit.objects.all(), request.user, LC_CONFIRM, "path").order_by("path")
    return render(request, "lifecycle/bulk.html", {"job": job, "units": units, "reasons": RevocationReason.choices})


@login_required
def bulk_status(request, pk):
    from django.http import JsonResponse

    from .models import BulkJob

    job = BulkJob.objects.filter(pk=pk).first()
    if job is None or not scope.can(request.user, LC_CONFIRM, job.unit):
        raise Http404
    return JsonResponse({"total": job.total, "done": job.done, "failed": job.failed, "state": job.state})
