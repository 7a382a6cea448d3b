"""Thin views of the SIM PKI registry: the list with search, a line's page with its dated history and changes,
registration, import, the data plans and the monthly payment report."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kyso.accounts import scope
from kyso.core.actions import act
from kyso.core.errors import InvalidInput, KysoError
from kyso.core.tables import check_size
from kyso.core.paging import page_of
from kyso.org.models import Person, Unit

from . import importing, privacy, report, services
from .flows import SUBSCRIPTION, refused
from .models import Carrier, DataPlan, SubState
from .permissions import SIMS_MANAGE, SIMS_VIEW


def _forbidden(request):
    return render(request, "core/403.html", status=403)


def _units(user, perm):
    return scope.filter_by_scope(Unit.objects.filter(is_active=True), user, perm, "path").order_by("path")


def _unit(value):
    return Unit.objects.filter(code=value).first() if value else None


@login_required
def index(request):
    if not scope.has_permission_anywhere(request.user, SIMS_VIEW):
        return _forbidden(request)
    p = request.GET
    unit = _unit(p.get("unit"))
    qs = services.search(request.user, q=p.get("q", ""), unit=unit, state=p.get("state", ""),
                         carrier=p.get("carrier", ""), attention=p.get("attention") == "1")
    page = page_of(request, qs)
    full = privacy.shown(request.user, page.object_list, "sims.page")
    return render(request, "sims/index.html", {
        "page": page, "rows": [(sub, privacy.number(sub, full)) for sub in page.object_list], "params": p, "states": SubState.choices, "carriers": Carrier.choices,
        "units": _units(request.user, SIMS_VIEW), "plans": DataPlan.objects.all(),
        "can_manage": scope.has_permission_anywhere(request.user, SIMS_MANAGE)})


def _errors(exc: KysoError) -> dict:
    return {k: (v[1] if isinstance(v, tuple) else v) for k, v in (exc.fields or {}).items()}


def _register(request, form):
    person = Person.objects.filter(email__iexact=form.get("holder", "").strip()).select_related("unit").first()
    plan = DataPlan.objects.filter(tier=form.get("plan")).first() if form.get("plan", "").isdigit() else None
    if person is None:
        raise refused(InvalidInput("sims.person.not_found", _("No staff member with this e-mail."),
                                   fields={"holder": ("sims.person.not_found", _("No staff member with this e-mail."))}))
    return services.register(
        request.user, person=person, msisdn=form.get("msisdn"), carrier=form.get("carrier"),
        iccid=form.get("iccid"), in_service_on=form.get("in_service_on"), plan=plan,
        unit=_unit(form.get("unit")), certificate=form.get("certificate", ""), data_fee=form.get("data_fee"),
        line_fee=form.get("line_fee"), connection_fee=form.get("connection_fee"), contract=form.get("contract", ""),
        note=form.get("note", ""))


@login_required
def new(request):
    """Register a line: the holder by e-mail; the plan is suggested from his title, the paying unit from his unit."""
    if not scope.has_permission_anywhere(request.user, SIMS_MANAGE):
        return _forbidden(request)
    form, errors = dict(request.POST.items()) if request.method == "POST" else {}, {}
    if request.method == "POST":
        result = act(request, lambda: _register(request, form), success=_("The SIM PKI line is registered."),
                     flow=SUBSCRIPTION)
        if result:
            return redirect("sims:detail", pk=result.pk)
        errors = _errors(result.error)
    return render(request, "sims/new.html", {
        "form": form, "errors": errors, "carriers": Carrier.choices, "plans": DataPlan.objects.filter(is_active=True),
        "units": _units(request.user, SIMS_MANAGE), "today": timezone.localdate()}, status=400 if errors else 200)


def _subscription_steps(request, sub) -> dict:
    """The page's actions on a line: action → the call into the domain."""
    f, user = request.POST, request.user
    plan = DataPlan.objects.filter(tier=f.get("plan")).first() if f.get("plan", "").isdigit() else None
    on, reason = f.get("effective_on"), f.get("reason")
    return {
        "suspend": lambda: services.suspend(user, sub, effective_on=on, reason=reason),
        "resume": lambda: services.resume(user, sub, effective_on=on, reason=reason),
        "end": lambda: services.end(user, sub, effective_on=on, reason=reason),
        "change": lambda: services.change_terms(user, sub, effective_on=on, plan=plan, data_fee=f.get("data_fee"),
                                                line_fee=f.get("line_fee"), certificate=f.get("certificate", ""),
                                                note=f.get("reason", "")),
    }


@login_required
def detail(request, pk):
    try:
        sub = services.get_subscription(request.user, pk)
    except KysoError:
        return render(request, "core/404.html", status=404)
    can_manage = bool(SUBSCRIPTION.allowed(sub, request.user))
    errors, status = {}, 200
    if request.method == "POST":
        if not scope.can(request.user, SIMS_MANAGE, sub.unit):
            return _forbidden(request)
        step = _subscription_steps(request, sub).get(request.POST.get("action"))
        if step is None:
            return render(request, "core/404.html", status=404)
        result = act(request, step, success=_("Saved."), flow=SUBSCRIPTION, record=sub)
        if result:
            return redirect("sims:detail", pk=sub.pk)
        errors, status = _errors(result.error), 400
        sub.refresh_from_db()
    return render(request, "sims/detail.html", {
        "sub": sub, "number": privacy.number(sub, privacy.shown(request.user, [sub], "sims.page")), "events": sub.events.select_related("plan", "actor"), "can_manage": can_manage,
        "plans": DataPlan.objects.filter(is_active=True), "errors": errors, "form": request.POST,
        # after an error, the form that was sent shows again what was typed in it
        "change": request.POST if request.POST.get("action") == "change" else {},
        "stop": request.POST if request.POST.get("action") in ("suspend", "resume", "end") else {},
        "today": timezone.localdate(), "suggested": services.plan_for(sub.person)}, status=status)


def _import(request):
    f = request.FILES.get("file")
    if f is None:
        raise refused(InvalidInput("import.missing", _("Choose a file.")))
    try:
        check_size(f.size)
    except KysoError as exc:
        raise refused(exc) from None
    return importing.start_import(f.name, f.read(), actor=request.user, dry_run=bool(request.POST.get("dry_run")))


@login_required
def import_view(request):
    """The file is checked and imported by a job (never in the request): its page shows the outcome."""
    if not scope.has_permission_anywhere(request.user, SIMS_MANAGE):
        return _forbidden(request)
    status = 200
    if request.method == "POST":
        job = act(request, lambda: _import(request))
        if job:
            messages.success(request, _("The file is being checked and imported; this page shows the outcome."))
            return redirect("jobs:detail", pk=job.pk)
        status = 400
    return render(request, "sims/import.html", {"columns": importing.columns_in_words()}, status=status)


@login_required
def plans(request):
    """The appendix of letter 346 as reference data; the IT Center edits it."""
    can_manage = services.may_edit_plans(request.user)
    if not (can_manage or scope.has_permission_anywhere(request.user, SIMS_VIEW)):
        return _forbidden(request)
    errors, status = {}, 200
    if request.method == "POST":
        if not can_manage:
            return _forbidden(request)
        plan = DataPlan.objects.filter(tier=request.POST.get("tier")).first()
        if plan is None:
            return render(request, "core/404.html", status=404)
        values = {k: request.POST.get(k) for k in ("name", "title_rules", "high_speed_mb_per_day",
                                                   "throttled_down_kbps", "throttled_up_kbps", "data_fee_vnd",
                                                   "line_fee_vnd", "connection_fee_vnd")}
        result = act(request, lambda: services.update_plan(request.user, plan, **values,
                                                           is_active=bool(request.POST.get("is_active"))),
                     success=_("Saved."))
        if result:
            return redirect("sims:plans")
        errors, status = {"tier": plan.tier, **_errors(result.error)}, 400
    return render(request, "sims/plans.html", {"plans": DataPlan.objects.all(), "can_manage": can_manage,
                                               "errors": errors}, status=status)


def _close(request):
    try:
        month = report.parse_month(request.POST.get("month", ""))
    except KysoError as exc:
        raise refused(exc) from None
    return services.close_month(request.user, month)


@login_required
def payment(request):
    """The month's payment by paying unit and carrier, on screen, as XLSX or as a printable PDF."""
    if not scope.has_permission_anywhere(request.user, SIMS_VIEW):
        return _forbidden(request)
    if request.method == "POST":
        closed = act(request, lambda: _close(request))
        if closed:
            messages.success(request, _("%(month)s is closed; the paying units are told their statements.") % {
                "month": closed.month.strftime("%m/%Y")})
        return redirect(f"{request.path}?{urlencode({'month': request.POST.get('month', '')[:7]})}")
    today = dt.date.today()
    default = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    month_text = request.GET.get("month") or default
    unit = _unit(request.GET.get("unit"))
    if unit is not None and not scope.can(request.user, SIMS_VIEW, unit):
        unit = None
    try:
        rep = report.payment_report(request.user, report.parse_month(month_text), unit, via="sims.page")
    except KysoError as exc:
        messages.error(request, exc.message)
        rep = report.payment_report(request.user, report.parse_month(default), unit, via="sims.page")
        month_text = default
    download = report.download(rep, request.GET.get("output", ""), inline=True)
    if download is not None:
        return download
    can_close = rep.closed is None and rep.month < today.replace(day=1) and services.may_close_months(request.user)
    return render(request, "sims/payment.html", {"report": rep, "month": month_text, "can_close": can_close,
                                                 "close_due": services.close_due_on(rep.month),
                                                 "units": _units(request.user, SIMS_VIEW), "params": request.GET})
