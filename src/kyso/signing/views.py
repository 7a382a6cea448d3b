"""The public verification page: anyone uploads a signed file and reads the report (or takes it as PDF)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from kyso.core.errors import KysoError

from .forms import VerifyForm
from .reporting import INDICATION_LABELS, report_pdf
from .verify import verify_bytes


@require_http_methods(["GET", "POST"])
def verify_page(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    report, error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = verify_bytes(upload.read(), filename=upload.name,
                                  doc_type=form.cleaned_data.get("doc_type") or None,
                                  main_document=form.cleaned_data.get("main_document", ""))
        except KysoError as exc:
            error = exc
        if report is not None and request.POST.get("as") == "pdf":
            response = HttpResponse(report_pdf(report), content_type="application/pdf")
            response["Content-Disposition"] = 'attachment; filename="bao-cao-kiem-tra-chu-ky.pdf"'
            return response
    status = 400 if (error is not None or (request.method == "POST" and not form.is_valid())) else 200
    return render(request, "signing/verify.html", {
        "form": form, "report": report, "error": error,
        "label": INDICATION_LABELS.get(report.indication) if report else None,
    }, status=status)
