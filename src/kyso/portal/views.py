"""Portal pages: the public catalogue and status lookup, submission for employers and citizens, the
officers' queue and dossier page with the workflow actions, the one-stop desk (barcode scan), statistics."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kyso.accounts import scope
from kyso.core.documents import render_pdf
from kyso.core.errors import Forbidden, InvalidInput, KysoError
from kyso.files.views import file_response
from kyso.org.models import Unit

from . import barcode, documents, intake, lookup, stats, workflow
from .models import IntakeRule, Procedure, Status, Step, Submitter
from .permissions import PORTAL_APPROVE, PORTAL_PROCESS, PORTAL_RECEIVE, PORTAL_STATS

PAGE = 50


def _submitter(user):
    return Submitter.objects.filter(user=user, is_active=True).first() if user.is_authenticated else None


def _error(request, exc: KysoError):
    messages.error(request, exc.message)
    for name, text in exc.as_dict().get("fields", {}).items():
        messages.error(request, f"{name}: {'; '.join(text)}")


def procedures(request):
    procs = Procedure.objects.filter(is_active=True).prefetch_related("forms", "steps")
    return render(request, "portal/procedures.html", {"procedures": procs, "rules": IntakeRule.objects.all()})


def status_lookup(request):
    code, result = request.GET.get("code", "").strip(), None
    if code:
        try:
            result = lookup.public_status(code)
        except KysoError as exc:
            messages.error(request, exc.message)
    return render(request, "portal/status.html", {"code": code, "result": result})


@login_required
def index(request):
    """The queue: a submitter's own dossiers, or the dossiers of the officer's units (keyset pages)."""
    sub = _submitter(request.user)
    if sub is None and not workflow.visible(request.user).exists() and not scope.permissions(request.user) & {
            PORTAL_RECEIVE, PORTAL_PROCESS, PORTAL_APPROVE}:
        raise Forbidden("forbidden", _("You are not allowed to do this."))
    qs = workflow.visible(request.user).select_related("procedure", "unit")
    f = {k: request.GET.get(k, "").strip() for k in ("status", "procedure", "q", "overdue")}
    if f["status"]:
        qs = qs.filter(status=f["status"])
    if f["procedure"]:
        qs = qs.filter(procedure__code=f["procedure"])
    if f["q"]:
        qs = qs.filter(code=f["q"]) if "-" in f["q"] else qs.filter(submitter_tax_code=f["q"])
    if f["overdue"]:
        from django.utils import timezone
        qs = qs.filter(status__in=[Status.IN_PROGRESS, Status.RESULT_READY], due_date__lt=timezone.localdate())
    after = request.GET.get("after", "")
    if after.isdigit():
        qs = qs.filter(id__lt=int(after))
    page = list(qs.order_by("-id")[:PAGE + 1])
    more = len(page) > PAGE
    page = page[:PAGE]
    return render(request, "portal/index.html", {
        "submitter": sub, "dossiers": page, "next_after": page[-1].id if more else None, "f": f,
        "statuses": Status.choices, "procedures": Procedure.objects.filter(is_active=True),
        "query": "&".join(f"{k}={v}" for k, v in f.items() if v)})


@login_required
def submit(request):
    sub = _submitter(request.user)
    if sub is None:
        raise Forbidden("portal.submitter.required", _("Only registered employers, citizens and I-VAN providers submit dossiers."))
    if request.method == "POST":
        uploads = [intake.Upload(f.name, f.read()) for f in request.FILES.getlist("files")]
        try:
            dossier = intake.submit_signed(request.user, procedure_code=request.POST.get("procedure", ""), files=uploads)
        except KysoError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Dossier %(code)s received; result due on %(due)s.")
                             % {"code": dossier.code, "due": dossier.due_date.strftime("%d/%m/%Y")})
            return redirect("portal:dossier", code=dossier.code)
    procs = [p for p in Procedure.objects.filter(is_active=True).prefetch_related("forms") if "portal" in p.channels]
    return render(request, "portal/submit.html", {"submitter": sub, "procedures": procs})


@login_required
def dossier(request, code):
    d = workflow.get(request.user, code)
    if request.method == "POST":
        try:
            with transaction.atomic():  # a refused action rolls back to here
                _act(request, d, request.POST.get("op", ""))
            messages.success(request, _("Done."))
        except KysoError as exc:
            _error(request, exc)
        return redirect("portal:dossier", code=code)
    nxt = workflow.next_step(d)
    can = {p: scope.can(request.user, p, d.unit) for p in (PORTAL_RECEIVE, PORTAL_PROCESS, PORTAL_APPROVE)}
    can_step = bool(nxt) and scope.can(request.user, workflow.STEP_PERMISSION[nxt], d.unit)
    return render(request, "portal/dossier.html", {
        "d": d, "next_step": nxt, "next_label": Step(nxt).label if nxt else "", "can_step": can_step,
        "can_process": can[PORTAL_PROCESS], "can_refuse": can[PORTAL_PROCESS] or can[PORTAL_RECEIVE],
        "is_owner": d.submitted_by_id == request.user.id,
        "files": d.files.select_related("form", "file"), "documents": d.documents.select_related("file"),
        "events": d.events.all()})


def _act(request, d, op: str) -> None:
    p = request.POST
    if op == "step":
        workflow.advance(request.user, d, p.get("step", ""), note=p.get("note", ""))
    elif op == "supplement_request":
        workflow.request_supplement(request.user, d, p.get("missing", "").splitlines(), p.get("note", ""))
    elif op == "supplement":
        workflow.supplement(request.user, d, [intake.Upload(f.name, f.read()) for f in request.FILES.getlist("files")])
    elif op == "apology":
        try:
            new_date = dt.date.fromisoformat(p.get("new_date", ""))
        except ValueError:
            new_date = dt.date.min
        workflow.apologise(request.user, d, p.get("reason", ""), new_date)
    elif op == "refuse":
        workflow.refuse(request.user, d, p.get("reasons", "").splitlines())
    else:
        raise InvalidInput("portal.ui.unknown_action", _("Unknown action."))


@login_required
def document(request, code, doc_id):
    d = workflow.get(request.user, code)
    return file_response(get_object_or_404(d.documents.select_related("file"), pk=doc_id).file)


@login_required
def dossier_file(request, code, file_id):
    d = workflow.get(request.user, code)
    return file_response(get_object_or_404(d.files.select_related("file"), pk=file_id).file)


@login_required
def control_slip(request, code):
    d = workflow.get(request.user, code)
    response = HttpResponse(render_pdf(documents.control_slip(d)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-kiem-soat-{d.code}.pdf"'
    return response


@login_required
def desk(request):
    """Scan → decode → pre-filled form → the officer confirms; the intake rules decide."""
    if not scope.has_permission_anywhere(request.user, PORTAL_RECEIVE):
        raise Forbidden("forbidden", _("You are not allowed to do this."))
    units = [u for u in Unit.objects.filter(is_active=True, has_own_seal=True, level__code__in=["province", "district"])
             if scope.can(request.user, PORTAL_RECEIVE, u)]
    ctx = {"units": units, "procedures": Procedure.objects.filter(is_active=True), "prefill": None}
    if request.method == "POST" and request.POST.get("op") == "decode":
        try:
            image = request.FILES.get("image")
            ctx["prefill"] = barcode.prefill(barcode.decode_image(image.read() if image else b""))
        except KysoError as exc:
            _error(request, exc)
    elif request.method == "POST" and request.POST.get("op") == "receive":
        p = request.POST
        unit = next((u for u in units if u.code == p.get("unit")), None)
        try:
            if unit is None:
                raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
            with transaction.atomic():  # a refusal rolls back to here; the page still renders
                d = intake.receive_barcode(request.user, unit=unit, procedure_code=p.get("procedure", ""),
                                           payload=p.get("payload", "").encode(),
                                           submitter_kind=p.get("submitter_kind", ""), name=p.get("name", ""),
                                           tax_code=p.get("tax_code", ""), email=p.get("email", ""),
                                           phone=p.get("phone", ""),
                                           has_digital_signature=p.get("has_digital_signature") == "1")
        except KysoError as exc:
            _error(request, exc)
            ctx["prefill"] = {k: p.get(k, "") for k in ("procedure", "name", "tax_code", "submitter_kind", "payload")}
        else:
            messages.success(request, _("Dossier %(code)s received; result due on %(due)s.")
                             % {"code": d.code, "due": d.due_date.strftime("%d/%m/%Y")})
            return redirect("portal:dossier", code=d.code)
    return render(request, "portal/desk.html", ctx)


@login_required
def statistics(request):
    if not scope.has_permission_anywhere(request.user, PORTAL_STATS):
        raise Forbidden("forbidden", _("You are not allowed to do this."))
    group = request.GET.get("group", "unit")
    try:
        start = dt.date.fromisoformat(request.GET["from"]) if request.GET.get("from") else None
        end = dt.date.fromisoformat(request.GET["to"]) if request.GET.get("to") else None
    except ValueError:
        messages.error(request, _("Dates are in the form YYYY-MM-DD."))
        start = end = None
    rows = []
    try:
        rows = stats.table(workflow.visible(request.user), group, start, end)
    except KysoError as exc:
        messages.error(request, exc.message)
    if request.GET.get("format") == "xlsx":
        from kyso import audit
        audit.record("portal.stats.export", object_type="portal.stats", object_repr=f"{group} {start}–{end}")
        response = HttpResponse(stats.xlsx(rows, _("Dossier statistics by %(group)s") % {"group": group}),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="thong-ke-ho-so-{group}.xlsx"'
        return response
    return render(request, "portal/statistics.html", {
        "rows": rows, "total": stats.totals(rows), "chart": mark_safe(stats.bar_chart(rows)),  # noqa: S308 - built with escape()
        "group": group, "start": request.GET.get("from", ""), "end": request.GET.get("to", ""),
        "groups": [("unit", _("Unit")), ("procedure", _("Procedure")), ("channel", _("Channel")), ("month", _("Month"))]})
