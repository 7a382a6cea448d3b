"""Portal pages: the public catalogue and status lookup, submission for employers and citizens, the
officers' queue and dossier page with the workflow actions, the one-stop desk (barcode scan), statistics."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kyso import audit
from kyso.accounts import scope
from kyso.core import dates
from kyso.core.actions import act
from kyso.core.documents import render_pdf
from kyso.core.errors import Forbidden, InvalidInput, KysoError, TooManyRequests
from kyso.core.exports import xlsx_response
from kyso.core.security import allow_connect
from kyso.files.views import file_response
from kyso.org.models import Unit

from . import barcode, documents, dossiers, intake, lookup, processing, receipts, result_signature, stats
from .flows import DOSSIER, ORDER
from .models import IntakeRule, Procedure, Status, Submitter
from .permissions import PORTAL_APPROVE, PORTAL_PROCESS, PORTAL_RECEIVE, PORTAL_STATS, PORTAL_VIEW

PAGE = 50


def _submitter(user):
    return Submitter.objects.filter(user=user, is_active=True).first() if user.is_authenticated else None


def _error(request, exc: KysoError):
    messages.error(request, exc.message)
    for text in exc.as_dict().get("fields", {}).values():
        messages.error(request, "; ".join(text))


def _warn_duplicates(request, d) -> None:
    earlier = dossiers.duplicates_of(request.user, d)
    if earlier:
        links = format_html_join(", ", '<a href="{}">{}</a>', ((reverse("portal:dossier", args=[e.code]), e.code)
                                                             for e in earlier))
        messages.warning(request, format_html(_("The same employer already filed this procedure for the period {}: {}. "
                                                "Check that this is not a duplicate."), dossiers.period_label(d), links))


def _failed(request, result) -> bool:
    """After `act`: the step was refused; its message and per-file reasons are shown."""
    if result:
        return False
    for text in result.error.as_dict().get("fields", {}).values():
        messages.error(request, "; ".join(text))
    return True


def procedures(request):
    procs = Procedure.objects.filter(is_active=True).prefetch_related("forms", "steps")
    return render(request, "portal/procedures.html", {"procedures": procs, "rules": IntakeRule.objects.all()})


def status_lookup(request):
    code, result, refused = request.GET.get("code", "").strip(), None, None
    if code:
        try:
            result = lookup.public_status_for(request, code)
        except KysoError as exc:
            messages.error(request, exc.message)
            refused = exc
    response = render(request, "portal/status.html", {"code": code, "result": result})
    if isinstance(refused, TooManyRequests):
        response.status_code, response["Retry-After"] = 429, str(refused.retry_after)
    return response


@login_required
def index(request):
    """The queue: a submitter's own dossiers, or the dossiers of the officer's units (keyset pages)."""
    sub = _submitter(request.user)
    if sub is None and not dossiers.visible(request.user).exists() and not scope.permissions(request.user) & {
            PORTAL_VIEW, PORTAL_RECEIVE, PORTAL_PROCESS, PORTAL_APPROVE}:     # the menu offers it with PORTAL_VIEW
        raise Forbidden("forbidden", _("You are not allowed to do this."))
    qs = dossiers.visible(request.user).select_related("procedure", "unit")
    f = {k: request.GET.get(k, "").strip() for k in ("status", "procedure", "q", "overdue")}
    if f["status"]:
        qs = qs.filter(status=f["status"])
    if f["procedure"]:
        qs = qs.filter(procedure__code=f["procedure"])
    if f["q"]:
        qs = qs.filter(code=f["q"]) if "-" in f["q"] else qs.filter(submitter_tax_code=f["q"])
    if f["overdue"]:   # the longest overdue first (the open dossiers' deadline index), keyset on (due date, id)
        qs = qs.filter(status__in=[Status.IN_PROGRESS, Status.RESULT_READY], due_date__lt=timezone.localdate())
        page, next_after = _page(qs, request.GET.get("after", ""), by_due=True)
    else:
        page, next_after = _page(qs, request.GET.get("after", ""))
    return render(request, "portal/index.html", {
        "submitter": sub, "dossiers": page, "next_after": next_after, "f": f,
        "statuses": Status.choices, "procedures": Procedure.objects.filter(is_active=True),
        "query": "&".join(f"{k}={v}" for k, v in f.items() if v)})


def _page(qs, after: str, *, by_due: bool = False):
    """One keyset page: newest first after id `after`, or by deadline after `after` = "YYYY-MM-DD.id"."""
    if by_due:
        day, _sep, last = after.partition(".")
        try:
            qs = qs.filter(Q(due_date__gt=dt.date.fromisoformat(day)) |
                           Q(due_date=dt.date.fromisoformat(day), id__gt=int(last))) if after else qs
        except ValueError:
            pass
        rows = list(qs.order_by("due_date", "id")[:PAGE + 1])
        more = len(rows) > PAGE
        return rows[:PAGE], f"{rows[PAGE - 1].due_date.isoformat()}.{rows[PAGE - 1].id}" if more else None
    if after.isdigit():
        qs = qs.filter(id__lt=int(after))
    rows = list(qs.order_by("-id")[:PAGE + 1])
    more = len(rows) > PAGE
    return rows[:PAGE], rows[PAGE - 1].id if more else None


@login_required
def submit(request):
    sub = _submitter(request.user)
    if sub is None:
        raise Forbidden("portal.submitter.required", _("Only registered employers, citizens and I-VAN providers submit dossiers."))
    if request.method == "POST":
        uploads = [intake.Upload(f.name, f.read()) for f in request.FILES.getlist("files")]
        dossier = act(request, lambda: intake.submit_signed(request.user, procedure_code=request.POST.get("procedure", ""),
                                                            files=uploads), flow=DOSSIER)
        if not _failed(request, dossier):
            messages.success(request, _("Dossier %(code)s received; result due on %(due)s.")
                             % {"code": dossier.code, "due": dossier.due_date.strftime("%d/%m/%Y")})
            _warn_duplicates(request, dossier)
            return redirect("portal:dossier", code=dossier.code)
    procs = [p for p in Procedure.objects.filter(is_active=True).prefetch_related("forms") if "portal" in p.channels]
    helper = settings.KYSO_SIGNER_HELPER_URL.rstrip("/")
    return allow_connect(request, render(request, "portal/submit.html", {
        "submitter": sub, "procedures": procs, "helper": helper}), helper)


@login_required
def dossier(request, code):
    d = dossiers.get(request.user, code)
    posted = {}
    if request.method == "POST":
        op = request.POST.get("op", "")
        done = act(request, lambda: _act(request, d, op), success=_("Done."), flow=DOSSIER, record=d)
        if done:
            return redirect("portal:dossier", code=code)
        _failed(request, done)
        posted = request.POST
        d = dossiers.get(request.user, code)
    allowed = {t.name: t for t in DOSSIER.allowed(d, request.user)}
    step = next((allowed[n] for n in ORDER if n in allowed), None)
    return render(request, "portal/dossier.html", {
        "d": d, "allowed": allowed, "step": step, "posted": posted,
        "tokens": result_signature.token_certificates(request.user) if step is not None and step.name == "sign" else [],
        "where": DOSSIER.where(d), "duplicates": dossiers.duplicates_of(request.user, d),
        "period": dossiers.period_label(d),
        "files": d.files.select_related("form", "file"), "documents": d.documents.select_related("file"),
        "events": d.events.all()})


def _act(request, d, op: str):
    p = request.POST
    if op == "step":
        return processing.advance(request.user, d, p.get("step", ""), note=p.get("note", ""),
                                  assignee=p.get("assignee", "").strip(), certificate=p.get("certificate", ""),
                                  pin=p.get("pin", ""))
    if op == "supplement_request":
        return processing.request_supplement(request.user, d, p.get("missing", "").splitlines(), p.get("note", ""))
    if op == "supplement":
        return processing.supplement(request.user, d,
                                     [intake.Upload(f.name, f.read()) for f in request.FILES.getlist("files")])
    if op == "apology":
        new_date = dates.parse(p.get("new_date", ""), field="new_date", required=True)
        return processing.apologise(request.user, d, p.get("reason", ""), new_date)
    if op == "refuse":
        return processing.refuse(request.user, d, p.get("reasons", "").splitlines())
    raise InvalidInput("portal.ui.unknown_action", _("Unknown action."))


@login_required
def document(request, code, doc_id):
    d = dossiers.get(request.user, code)
    return file_response(receipts.served_file(get_object_or_404(d.documents.select_related("file"), pk=doc_id)))


@login_required
def dossier_file(request, code, file_id):
    d = dossiers.get(request.user, code)
    return file_response(dossiers.submitted_file(request.user, d, file_id).file)


@login_required
def control_slip(request, code):
    d = dossiers.get(request.user, code)
    response = HttpResponse(render_pdf(documents.control_slip(d)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-kiem-soat-{d.code}.pdf"'
    return response


@login_required
def desk(request):
    """Scan → decode → pre-filled form → the officer confirms; the intake rules decide."""
    if not scope.has_permission_anywhere(request.user, PORTAL_RECEIVE):
        raise Forbidden("forbidden", _("You are not allowed to do this."))
    units = [u for u in Unit.objects.filter(is_active=True, has_own_seal=True, level__receives_dossiers=True)
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
        def receive():
            if unit is None:
                raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
            return intake.receive_barcode(request.user, unit=unit, procedure_code=p.get("procedure", ""),
                                          payload=p.get("payload", "").encode(),
                                          submitter_kind=p.get("submitter_kind", ""), name=p.get("name", ""),
                                          tax_code=p.get("tax_code", ""), email=p.get("email", ""),
                                          phone=p.get("phone", ""),
                                          has_digital_signature=p.get("has_digital_signature") == "1")

        d = act(request, receive, flow=DOSSIER)
        if _failed(request, d):
            ctx["prefill"] = {k: p.get(k, "") for k in ("procedure", "name", "tax_code", "submitter_kind", "payload")}
        else:
            messages.success(request, _("Dossier %(code)s received; result due on %(due)s.")
                             % {"code": d.code, "due": d.due_date.strftime("%d/%m/%Y")})
            _warn_duplicates(request, d)
            return redirect("portal:dossier", code=d.code)
    return render(request, "portal/desk.html", ctx)


@login_required
def statistics(request):
    if not scope.has_permission_anywhere(request.user, PORTAL_STATS):
        raise Forbidden("forbidden", _("You are not allowed to do this."))
    group = request.GET.get("group", "unit")
    try:
        start = dates.parse(request.GET.get("from"), field="from")
        end = dates.parse(request.GET.get("to"), field="to")
    except KysoError as exc:
        messages.error(request, exc.message)
        start = end = None
    rows = []
    try:
        rows = stats.table(dossiers.visible_tally(request.user), group, start, end)
    except KysoError as exc:
        messages.error(request, exc.message)
    if request.GET.get("format") == "xlsx":
        audit.record("portal.stats.export", object_type="portal.stats", object_repr=f"{group} {start}–{end}")
        return xlsx_response(stats.xlsx(rows, _("Dossier statistics by %(group)s") % {"group": group}),
                             f"thong-ke-ho-so-{group}.xlsx")
    return render(request, "portal/statistics.html", {
        "rows": rows, "total": stats.totals(rows), "chart": mark_safe(stats.bar_chart(rows)),  # noqa: S308 - built with escape()
        "group": group, "start": request.GET.get("from", ""), "end": request.GET.get("to", ""),
        "groups": [("unit", _("Unit")), ("procedure", _("Procedure")), ("channel", _("Channel")), ("month", _("Month"))]})
