"""The public verification page: anyone uploads a signed file and reads the report (or takes it as PDF); the
archive renewals page for the IT Center and the auditors."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from kyso.accounts import scope
from kyso.core.errors import KysoError
from kyso.core.paging import page_of

from .etsireport import etsi_report
from .forms import VerifyForm
from .models import ArchiveRenewal
from .permissions import ARCHIVE_VIEW
from .renewal import margin
from .reporting import INDICATION_LABELS, report_pdf
from .report import ALGORITHM_POLICY
from .verify import verify_bytes


@require_http_methods(["GET", "POST"])
def verify_page(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    report, error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            report = verify_bytes(data, filename=upload.name,
                                  doc_type=form.cleaned_data.get("doc_type") or None,
                                  main_document=form.cleaned_data.get("main_document", ""))
        except KysoError as exc:
            error = exc
        if report is not None and request.POST.get("as") == "pdf":
            response = HttpResponse(report_pdf(report), content_type="application/pdf")
            response["Content-Disposition"] = 'attachment; filename="bao-cao-kiem-tra-chu-ky.pdf"'
            return response
        if report is not None and request.POST.get("as") == "etsi":
            response = HttpResponse(etsi_report(report, data), content_type="application/xml")
            response["Content-Disposition"] = 'attachment; filename="bao-cao-kiem-tra-chu-ky-etsi.xml"'
            return response
    status = 400 if (error is not None or (request.method == "POST" and not form.is_valid())) else 200
    return render(request, "signing/verify.html", {
        "form": form, "report": report, "error": error,
        "label": INDICATION_LABELS.get(report.indication) if report else None,
        "algorithm_policy": ALGORITHM_POLICY,
    }, status=status)


@login_required
def renewals_page(request):
    """What the nightly renewal did: the records renewed and those that could not be, with the reason."""
    if not scope.has_permission_anywhere(request.user, ARCHIVE_VIEW):
        raise Http404
    qs = ArchiveRenewal.objects.select_related("source", "renewed")
    paths = scope.scope_paths(request.user, ARCHIVE_VIEW)
    visible = scope.scope_q(request.user, ARCHIVE_VIEW, "unit_path")
    if any(p.count("/") <= 2 for p in paths):
        visible |= Q(unit_path="")      # records of no unit: for whoever holds the permission at a top unit
    outcome = request.GET.get("outcome", "")
    qs = qs.filter(visible)
    if outcome in ArchiveRenewal.Outcome.values:
        qs = qs.filter(outcome=outcome)
    return render(request, "signing/renewals.html", {
        "renewals": page_of(request, qs.order_by("-pk")), "outcome": outcome, "outcomes": ArchiveRenewal.Outcome.choices,
        "margin_days": margin().days,
    })
