"""More lifecycle pages: the certificate register with its expiry filters and bulk revocation of the
chosen certificates, the letter 26 import, completing a request (Form 01 edit), the external-CA
package and import, Forms 03–05 for download. Thin: `services`, `importing`, `bulk` do the work."""

from __future__ import annotations


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kyso.accounts import scope
from kyso.core import actions, dates
from kyso.core.errors import InvalidInput, KysoError

from . import bulk, documents, exchange, importing, privacy, services
from .flows import REQUEST
from .models import CertStatus, RevocationReason
from .permissions import LC_CONFIRM, LC_IMPORT, LC_REVIEW, LC_VIEW
from .views import need, page

PAGE = 100
EXPIRING = [("expired", gettext_lazy("expired")), ("30", gettext_lazy("within 30 days")),
            ("60", gettext_lazy("within 60 days")), ("90", gettext_lazy("within 90 days"))]


@login_required
def certificates(request):
    """The register (letter 26): search, status, expiry (expired / 30 / 60 / 90 days); the unit officer
    ticks certificates to revoke them together (e.g. a unit dissolved)."""
    need(request, LC_VIEW)
    if request.method == "POST":
        job = actions.act(request, lambda: bulk.start_revoke_many(
            request.user, request.POST.getlist("certificate"), reason=request.POST.get("reason", ""),
            detail=request.POST.get("detail", ""), phone_notice=request.POST.get("phone_notice", "")))
        return redirect(f"/jobs/{job.pk}/") if job else redirect(request.get_full_path())
    f = {k: request.GET.get(k, "").strip() for k in ("q", "status", "expiring", "unit")}
    try:
        qs = services.search_certificates(request.user, **f)
    except KysoError as exc:           # a bad filter: say so and show the register unfiltered
        messages.error(request, exc.message)
        qs = services.search_certificates(request.user)
    after = request.GET.get("after", "")
    if after.isdigit():
        qs = qs.filter(pk__lt=int(after))
    rows = list(qs.select_related("device").order_by("-pk")[:PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return page(request, "lifecycle/certificates.html", {
        "certificates": rows, "f": f, "statuses": CertStatus.choices, "expiring": EXPIRING,
        "expiry": services.expiry_buckets(request.user), "reasons": [r for r in RevocationReason.choices if r[0] != "b"],
        "can_revoke": scope.has_permission_anywhere(request.user, LC_CONFIRM),
        "next_after": rows[-1].pk if more else None,
        "query": "&".join(f"{k}={v}" for k, v in f.items() if v)})


@login_required
def import_register(request):
    """Letter 26: certificates issued before Kyso, from a register and the certificate files."""
    need(request, LC_IMPORT)
    if request.method == "POST":
        reg = request.FILES.get("register")
        if reg is None:
            messages.error(request, _("Choose the register file (CSV or XLSX)."))
        else:
            uploads = [(f.name, f.read()) for f in request.FILES.getlist("files")]
            job = actions.act(request, lambda: importing.start_import(request.user, reg.name, reg.read(), uploads))
            if job:   # checked and recorded by a job, never in the request: its page shows the outcome
                messages.success(request, _("The register is being checked and imported; this page shows the outcome."))
                return redirect("jobs:detail", pk=job.pk)
    return page(request, "lifecycle/import.html", {"columns": _columns_in_words()})


def _columns_in_words():
    """The register's columns by their Vietnamese headings (the English ones are accepted but not advertised)."""
    return [(names[0], [n for n in names[1:] if not n.isascii()]) for names in importing.ALIASES.values()]


@login_required
def edit_request(request, pk):
    """Complete or correct a request (Form 01): a change voids earlier confirmations and approvals."""
    req = services.visible_requests(request.user).filter(pk=pk).first()
    if req is None or not REQUEST.may("edit", req, request.user) or not privacy.entitled(request.user, req):
        raise Http404
    typed, errors = {}, {}
    if request.method == "POST":
        typed = {k: request.POST.get(k, "").strip() for k in services.FORM01_FIELDS if k in request.POST}
        done = actions.act(request, lambda: services.edit_request(request.user, req, _read(typed)), flow=REQUEST,
                           record=req, success=_("Request updated (version %(v)s).") % {"v": req.version + 1})
        if done:
            return redirect("lifecycle:request", pk=pk)
        errors = {name: " ".join(msgs) for name, msgs in done.error.as_dict().get("fields", {}).items()}
    privacy.reveal(request.user, [req], via="page.edit")
    fields = [(name, req._meta.get_field(name).verbose_name, typed.get(name, getattr(req, name)), errors.get(name))
              for name in services.FORM01_FIELDS]       # after an error: what was typed, with its field's error
    return page(request, "lifecycle/edit_request.html", {"req": req, "fields": fields})


def _read(typed: dict) -> dict:
    """The typed values as the domain takes them; a value that is not one is refused with its field named."""
    data = dict(typed)
    if "validity_years" in data:
        years = int(data["validity_years"]) if data["validity_years"].isdigit() else 0
        if not 1 <= years <= 5:
            msg = _("The validity asked is 1 to 5 years (Form 01).")
            code = "lifecycle.request.validity"
            raise InvalidInput(code, msg, fields={"validity_years": (code, msg)})
        data["validity_years"] = years
    return _with_dates(data)


def _with_dates(data: dict) -> dict:
    """The typed dates (dd/mm/yyyy) read by the one parser: a date that is not one is refused with its field
    named, never replaced by the old value in silence."""
    for key in ("birth_date", "id_issue_date"):
        if key in data:
            data[key] = dates.parse(data[key], field=key)
    return data


@login_required
def export_package(request, pk):
    """External CA: Form 02 (XLSX, PDF) and the CSRs of an approved list, for the RA intake agency."""
    if not scope.can(request.user, LC_REVIEW):
        raise Http404
    lst = services.visible_lists(request.user).filter(pk=pk, is_approval_list=True).first()
    if lst is None:
        raise Http404
    privacy.reveal(request.user, lst.all_requests(), via="page.export")
    resp = HttpResponse(exchange.export_package(lst, exchange.csrs_of(lst)), content_type="application/zip")
    resp["Content-Disposition"] = f'attachment; filename="{lst.number.replace("/", "-")}.zip"'
    return resp


@login_required
@require_POST
def ca_import(request):
    """External CA: the issued certificates (PEM, DER, PKCS#7) are matched to the requests sent."""
    f = request.FILES.get("file")

    def run():
        if f is None:
            raise InvalidInput("lifecycle.import.no_file", _("Choose the file of issued certificates."))
        return services.import_issued(request.user, f.read())

    certs = actions.act(request, run)
    if certs:
        messages.success(request, _("%(n)s certificates recorded.") % {"n": len(certs)})
    return redirect("lifecycle:lists")


@login_required
def form(request, kind, pk, fmt):
    """Forms 03 and 04 of a request, Form 05 of a revocation, rendered now from the records."""
    if kind == "05":
        rev = services.visible_revocations(request.user).filter(pk=pk).first()
        if rev is None:
            raise Http404
        doc = privacy.form05_for(request.user, rev, via=f"page.form05.{fmt}")
    else:
        req = services.visible_requests(request.user).filter(pk=pk).first()
        if req is None:
            raise Http404
        try:
            doc = documents.form03_for_request(req) if kind == "03" else documents.form04_for_request(req)
        except KysoError as exc:           # not issued yet: the page answers, nothing was written
            messages.error(request, exc.message)
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

    def attach():
        if f is None:
            raise InvalidInput("lifecycle.import.no_file", _("Choose the signed record (PDF)."))
        return services.attach_signed_record(request.user, req, f.read())

    actions.act(request, attach, success=_("Done."))
    return redirect("lifecycle:request", pk=pk)
