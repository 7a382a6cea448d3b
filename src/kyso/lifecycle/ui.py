"""More lifecycle pages: the certificate register with its expiry filters and bulk revocation of the
chosen certificates, the letter 26 import, completing a request (Form 01 edit), the external-CA
package and import, Forms 03–05 for download. Thin: `services`, `importing`, `bulk` do the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kyso.accounts import scope
from kyso.core.errors import Forbidden, InvalidInput, KysoError

from . import bulk, documents, exchange, importing, services
from .models import CertStatus, RequestList, RevocationReason, RevocationRequest
from .permissions import LC_CONFIRM, LC_IMPORT, LC_REVIEW, LC_VIEW

PAGE = 100
EXPIRING = [("expired", gettext_lazy("expired")), ("30", gettext_lazy("within 30 days")), ("60", gettext_lazy("within 60 days")),
            ("90", gettext_lazy("within 90 days"))]


def _need(request, perm):
    if not scope.has_permission_anywhere(request.user, perm):
        raise Forbidden("forbidden", _("You are not allowed to do this."))


def _error(request, exc: KysoError):
    messages.error(request, f"[{exc.code}] {exc.message}")


@login_required
def certificates(request):
    """The register (letter 26): search, status, expiry (expired / 30 / 60 / 90 days); the unit officer
    ticks certificates to revoke them together (e.g. a unit dissolved)."""
    _need(request, LC_VIEW)
    if request.method == "POST":
        try:
            with transaction.atomic():
                job = bulk.start_revoke_many(request.user, request.POST.getlist("certificate"),
                                             reason=request.POST.get("reason", ""),
                                             detail=request.POST.get("detail", ""),
                                             phone_notice=request.POST.get("phone_notice", ""))
            return redirect(f"/lifecycle/bulk/?job={job.pk}")
        except KysoError as exc:
            _error(request, exc)
            return redirect(request.get_full_path())
    f = {k: request.GET.get(k, "").strip() for k in ("q", "status", "expiring", "unit")}
    try:
        qs = services.search_certificates(request.user, **f)
    except KysoError as exc:
        _error(request, exc)
        qs = services.search_certificates(request.user)
    after = request.GET.get("after", "")
    if after.isdigit():
        qs = qs.filter(pk__lt=int(after))
    page = list(qs.select_related("device").order_by("-pk")[:PAGE + 1])
    more = len(page) > PAGE
    page = page[:PAGE]
    return render(request, "lifecycle/certificates.html", {
        "certificates": page, "f": f, "statuses": CertStatus.choices, "expiring": EXPIRING,
        "expiry": services.expiry_buckets(request.user), "reasons": [r for r in RevocationReason.choices if r[0] != "b"],
        "can_revoke": scope.has_permission_anywhere(request.user, LC_CONFIRM),
        "next_after": page[-1].pk if more else None,
        "query": "&".join(f"{k}={v}" for k, v in f.items() if v)})


@login_required
def import_register(request):
    """Letter 26: certificates issued before Kyso, from a register and the certificate files."""
    _need(request, LC_IMPORT)
    report, rejected = None, []
    if request.method == "POST":
        reg = request.FILES.get("register")
        if reg is None:
            messages.error(request, _("Choose the register file (CSV or XLSX)."))
        else:
            uploads = [(f.name, f.read()) for f in request.FILES.getlist("files")]
            try:
                with transaction.atomic():
                    report = importing.import_register(request.user, reg.name, reg.read(), uploads)
                messages.success(request, _("%(n)s certificates recorded.") % {"n": report.imported})
            except importing.Rejected as exc:
                _error(request, exc)
                rejected = exc.report.rejected
            except KysoError as exc:
                _error(request, exc)
    return render(request, "lifecycle/import.html", {"report": report, "rejected": rejected,
                                                     "columns": importing.ALIASES})


@login_required
def edit_request(request, pk):
    """Complete or correct a request (Form 01): a change voids earlier confirmations and approvals."""
    req = services.visible_requests(request.user).filter(pk=pk).first()
    if req is None:
        raise Http404
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in services.FORM01_FIELDS if k in request.POST}
        for key in ("birth_date", "id_issue_date"):
            if key in data:
                data[key] = _date(data[key], getattr(req, key))
        if "validity_years" in data:
            data["validity_years"] = int(data["validity_years"]) if data["validity_years"].isdigit() else 0
            if not 1 <= data["validity_years"] <= 5:
                messages.error(request, _("The validity asked is 1 to 5 years (Form 01)."))
                return redirect("lifecycle:edit-request", pk=pk)
        try:
            with transaction.atomic():
                services.edit_request(request.user, req, data)
            messages.success(request, _("Request updated (version %(v)s).") % {"v": req.version})
            return redirect("lifecycle:request", pk=pk)
        except KysoError as exc:
            _error(request, exc)
    fields = [(name, req._meta.get_field(name).verbose_name, getattr(req, name)) for name in services.FORM01_FIELDS]
    return render(request, "lifecycle/edit_request.html", {"req": req, "fields": fields})


def _date(text, default):
    import datetime as dt

    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return default


@login_required
def export_package(request, pk):
    """External CA: Form 02 (XLSX, PDF) and the CSRs of an approved list, for the RA intake agency."""
    if not scope.can(request.user, LC_REVIEW):
        raise Http404
    lst = RequestList.objects.filter(pk=pk, is_approval_list=True).first()
    if lst is None:
        raise Http404
    resp = HttpResponse(exchange.export_package(lst, exchange.csrs_of(lst)), content_type="application/zip")
    resp["Content-Disposition"] = f'attachment; filename="{lst.number.replace("/", "-")}.zip"'
    return resp


@login_required
@require_POST
def ca_import(request):
    """External CA: the issued certificates (PEM, DER, PKCS#7) are matched to the requests sent."""
    f = request.FILES.get("file")
    try:
        if f is None:
            raise InvalidInput("lifecycle.import.no_file", _("Choose the file of issued certificates."))
        with transaction.atomic():
            certs = services.import_issued(request.user, f.read())
        messages.success(request, _("%(n)s certificates recorded.") % {"n": len(certs)})
    except KysoError as exc:
        _error(request, exc)
    return redirect("lifecycle:lists")


@login_required
def form(request, kind, pk, fmt):
    """Forms 03 and 04 of a request, Form 05 of a revocation, rendered now from the records."""
    if kind == "05":
        rev = RevocationRequest.objects.filter(pk=pk).select_related("certificate__subscriber__unit").first()
        if rev is None or not scope.can(request.user, LC_VIEW, rev.certificate.subscriber.unit):
            raise Http404
        doc = documents.form05(rev)
    else:
        req = services.visible_requests(request.user).filter(pk=pk).first()
        if req is None:
            raise Http404
        try:
            doc = documents.form03_for_request(req) if kind == "03" else documents.form04_for_request(req)
        except KysoError as exc:
            _error(request, exc)
            return redirect("lifecycle:request", pk=pk)
    data, ctype = documents.render(doc, fmt)
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="mau-{kind}-{pk}.{fmt}"'
    return resp


@login_required
@require_POST
def signed_record(request, pk):
    """Handover by confidential post: the Form 03 signed by the managing unit comes back (PDF)."""
    req = services.visible_requests(request.user).filter(pk=pk).first()
    if req is None:
        raise Http404
    f = request.FILES.get("file")
    try:
        if f is None:
            raise InvalidInput("lifecycle.import.no_file", _("Choose the signed record (PDF)."))
        with transaction.atomic():
            services.attach_signed_record(request.user, req, f.read())
        messages.success(request, _("Done."))
    except KysoError as exc:
        _error(request, exc)
    return redirect("lifecycle:request", pk=pk)
