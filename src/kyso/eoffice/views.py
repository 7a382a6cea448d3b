"""Thin views of the e-office: queues and books, the draft form, the document pages offering only the steps
this person may take now (tablet-friendly: the leader signs from his tablet), incoming registration and
handling. Every step runs through `kyso.core.actions.act`: one error shape, what was typed kept, and after
success where the document went and who holds it now."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kyso.accounts import scope
from kyso.accounts.models import User
from kyso.core import dates
from kyso.core.actions import act
from kyso.core.errors import InvalidInput, KysoError
from kyso.core.exports import XlsxSheet, xlsx_response
from kyso.core.paging import first_matching, page_of
from kyso.files.storage import read
from kyso.mobile.services import usable_credentials
from kyso.org.models import Unit
from kyso.pki.models import CertStatus, IssuedCertificate
from kyso.workdays.calendar import today

from . import services
from .flows import INCOMING, OUTGOING, refused
from .models import Attachment, DocType, IncomingState, OutgoingState as S, Urgency
from .permissions import EOFFICE_DRAFT, EOFFICE_RECEIVE

MAX_UPLOAD = services.MAX_FILE_BYTES

STAFF_SHOWN = 300


def _day(value):
    """A date typed in a search box: dd/mm/yyyy (or what a date picker sends); nothing when it is not one."""
    try:
        return dates.parse(value)
    except KysoError:
        return None


def _year(value):
    return int(value) if value and value.isdigit() and 2000 <= int(value) <= 2100 else None


def _too_large():
    return refused(InvalidInput("eoffice.file.too_large", _("The file is larger than the allowed %(mb)s MB.") %
                        {"mb": MAX_UPLOAD // (1024 * 1024)}))


def _attachments(request) -> list[tuple[str, bytes]]:
    files = request.FILES.getlist("attachments")
    if len(files) > services.MAX_ATTACHMENTS:
        raise refused(InvalidInput("eoffice.attachments.too_many", _("At most %(n)s attachments.") % {
            "n": services.MAX_ATTACHMENTS}))
    if any(f.size > MAX_UPLOAD for f in files):
        raise _too_large()
    return [(f.name, f.read()) for f in files]


def _field_errors(result) -> dict:
    """Per-field messages of a refused step, for the forms that keep what was typed."""
    out = {}
    for name, value in (getattr(getattr(result, "error", None), "fields", None) or {}).items():
        out[name] = str(value[1] if isinstance(value, tuple) else value)
    return out


def _not_found(request):
    return render(request, "core/404.html", status=404)


def _document(get):
    """A page of one document: the view receives the document this person may see (`get(user, pk)`), or the
    person is answered 404."""
    def decorate(view):
        @login_required
        @functools.wraps(view)
        def page(request, pk, **kwargs):
            try:
                doc = get(request.user, pk)
            except KysoError:
                return _not_found(request)
            return view(request, doc, **kwargs)
        return page
    return decorate


def _file(stored, pdf_name: str, other_name: str) -> HttpResponse:
    """A stored file: a PDF shown inline, anything else (XML) downloaded."""
    data = read(stored)
    if stored.media_type != "application/pdf":
        resp = HttpResponse(data, content_type="application/octet-stream")
        resp["Content-Disposition"] = f'attachment; filename="{other_name}"'
        return resp
    return _pdf(data, pdf_name)


@login_required
def attachment_file(request, pk):
    """An attachment, for whoever may see its document."""
    att = Attachment.objects.filter(pk=pk).select_related("outgoing", "incoming", "file", "draft").first()
    try:
        if att is None:
            return _not_found(request)
        if att.outgoing_id:
            services.get_outgoing(request.user, att.outgoing_id)
        else:
            services.get_incoming(request.user, att.incoming_id)
    except KysoError:
        return _not_found(request)
    return _file(att.file or att.draft, "phu-luc.pdf", "phu-luc.xml")


@login_required
def index(request):
    """What waits for this person in the e-office (from the workflows), and the outgoing or incoming book of
    his scope with search."""
    book = "in" if request.GET.get("book") == "in" else "out"
    qs = services.search(request.user, book=book, q=request.GET.get("q", ""), year=_year(request.GET.get("year")),
                         state=request.GET.get("state", ""), doc_type=request.GET.get("doc_type", ""),
                         date_from=_day(request.GET.get("from")), date_to=_day(request.GET.get("to")))
    page = page_of(request, qs)
    return render(request, "eoffice/index.html", {
        "book": book, "page": page, "queues": services.waiting(request.user),
        "states": (IncomingState.choices if book == "in" else S.choices), "doc_types": DocType.choices,
        "can_draft": scope.has_permission_anywhere(request.user, EOFFICE_DRAFT),
        "can_receive": scope.has_permission_anywhere(request.user, EOFFICE_RECEIVE), "params": request.GET})


def _create(request):
    upload = request.FILES.get("file")
    if upload is not None and upload.size > MAX_UPLOAD:
        raise _too_large()
    signer = User.objects.filter(pk=request.POST.get("signer") or 0).first() if request.POST.get(
        "signer", "").isdigit() else None
    return services.create_draft(
        request.user, subject=request.POST.get("subject", ""), signer=signer,
        signer_title=request.POST.get("signer_title", ""), doc_type=request.POST.get("doc_type", "CV"),
        data=upload.read() if upload else None, filename=upload.name if upload else "",
        body=request.POST.get("body", ""), recipients=request.POST.getlist("recipients"),
        external_recipients=request.POST.get("external_recipients", ""),
        caption=request.POST.get("caption", ""), on_behalf_of=request.POST.get("on_behalf_of", ""),
        urgency=request.POST.get("urgency", Urgency.NORMAL), attachments=_attachments(request))


@login_required
def new(request):
    """A draft: upload its PDF or write its text; choose the signing leader and the recipients."""
    if not scope.has_permission_anywhere(request.user, EOFFICE_DRAFT):
        return render(request, "core/403.html", status=403)
    person = getattr(request.user, "person", None)
    try:
        issuer = services.issuing_unit_for(person.unit) if person else None
    except KysoError:
        issuer = None
    errors = {}
    if request.method == "POST":
        doc = act(request, lambda: _create(request), success=_("Draft saved."), flow=OUTGOING)
        if doc:
            return redirect("eoffice:outgoing", doc.pk)
        errors = _field_errors(doc)
    units = Unit.objects.filter(is_active=True, has_own_seal=True, level__issues_documents=True)
    signers = services.signers_for(issuer).exclude(pk=request.user.pk) if issuer else []
    return render(request, "eoffice/new.html", {
        "issuer": issuer, "signers": signers, "units": units.order_by("path"),
        "doc_types": DocType.choices, "urgencies": Urgency.choices, "errors": errors, "form": request.POST})


def _tokens(user):
    person = getattr(user, "person", None)
    if person is None:
        return []
    return IssuedCertificate.objects.filter(email__iexact=person.email, status=CertStatus.GOOD,
                                            key_location__startswith="pkcs11:").order_by("-not_after")


def _outgoing_context(request, doc):
    user = request.user
    allowed = {t.name for t in OUTGOING.allowed(doc, user)}
    is_signer = "sign" in allowed
    return {
        "d": doc, "events": doc.events.select_related("actor__person"),
        "recipients": doc.recipients.select_related("unit", "incoming"), "attachments": doc.attachments.all(),
        "can_edit": "submit" in allowed, "can_replace": "replace" in allowed, "can_review": "review" in allowed,
        "is_signer": is_signer, "tokens": _tokens(user) if is_signer else [],
        "phone_credentials": list(usable_credentials(user)) if is_signer else [],
        "can_issue": "issue" in allowed, "can_dispatch": "dispatch" in allowed,
        "reviewers": services.reviewers_for(doc) if "submit" in allowed else [],
    }


def _replace(request, doc):
    upload = request.FILES.get("file")
    if upload is None or upload.size > MAX_UPLOAD:
        raise refused(InvalidInput("eoffice.file.missing", _("Choose a PDF file of at most 50 MB.")))
    return services.replace_draft(doc, request.user, upload.read(), upload.name)


def _outgoing_steps(request, doc) -> dict:
    """The page's actions: op → (the call into the domain, what to say when it is done)."""
    user, post = request.user, request.POST
    reviewer = User.objects.filter(pk=post.get("reviewer")).first() if post.get("reviewer", "").isdigit() else None
    return {
        "submit": (lambda: services.submit_for_review(doc, user, reviewer), _("Sent for review.")),
        "approve": (lambda: services.review(doc, user, approve=True, note=post.get("note", "")),
                    _("Passed to the leader for signature.")),
        "return": (lambda: services.review(doc, user, approve=False, note=post.get("note", "")),
                   _("Returned to the drafter.")),
        "replace": (lambda: _replace(request, doc), _("New version saved.")),
        "sign_token": (lambda: services.sign_with_token(doc, user, certificate=post.get("certificate", ""),
                                                        pin=post.get("pin", "")), _("Signed.")),
        "sign_phone": (lambda: services.request_phone_signature(doc, user, channel=post.get("channel", "auto")),
                       _("Confirm the signature on your phone.")),
        "issue": (lambda: services.issue(doc, user), _("Sealed and numbered.")),
        "dispatch": (lambda: services.dispatch(doc, user), _("Dispatched.")),
        "issue_dispatch": (lambda: services.issue_and_dispatch(doc, user), _("Sealed, numbered and dispatched.")),
    }


@_document(services.get_outgoing)
def outgoing(request, doc):
    if request.method == "POST":
        step = _outgoing_steps(request, doc).get(request.POST.get("op", ""))
        if step is None:
            messages.error(request, _("Unknown action."))
        else:
            act(request, step[0], success=step[1], flow=OUTGOING, record=doc)
        return redirect("eoffice:outgoing", doc.pk)
    return render(request, "eoffice/outgoing.html", _outgoing_context(request, doc))


@login_required
def outgoing_status(request, pk):
    """For the tablet page waiting for the phone: the document's state (collects the answer when there is one)."""
    try:
        doc = services.get_outgoing(request.user, pk)
    except KysoError:
        return JsonResponse({"error": {"code": "eoffice.document.not_found"}}, status=404)
    return JsonResponse({"state": doc.state, "label": doc.get_state_display()})


def _pdf(data: bytes, name: str, inline=True) -> HttpResponse:
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@_document(services.get_outgoing)
def outgoing_file(request, doc, kind):
    stored = {"draft": doc.draft, "signed": doc.signed_file, "issued": doc.issued_file}.get(kind)
    if stored is None:
        return _not_found(request)
    return _pdf(read(stored), stored.name.encode("ascii", "ignore").decode() or "document.pdf")


def _receive(request, units):
    upload = request.FILES.get("file")
    if upload is None:
        raise refused(InvalidInput("eoffice.file.missing", _("Choose the file of the document."),
                                   fields={"file": ("missing", _("Choose the file of the document."))}))
    if upload.size > MAX_UPLOAD:
        raise _too_large()
    unit = units.filter(pk=request.POST.get("unit")).first() if request.POST.get("unit", "").isdigit() else None
    if unit is None:
        raise refused(InvalidInput("eoffice.unit.invalid", _("Choose the receiving unit."),
                                   fields={"unit": ("invalid", _("Choose the receiving unit."))}))
    try:
        original_date = dates.parse(request.POST.get("original_date"), field="original_date")
    except KysoError as exc:
        raise refused(exc) from None
    return services.receive_external(
        request.user, unit, upload.read(), filename=upload.name, sender=request.POST.get("sender", ""),
        subject=request.POST.get("subject", ""), original_number=request.POST.get("original_number", ""),
        original_date=original_date, doc_type=request.POST.get("doc_type", "CV"),
        urgency=request.POST.get("urgency", "normal"), attachments=_attachments(request))


@login_required
def receive(request):
    """The clerk registers a document that came from outside Kyso; it is verified at once. A date typed as
    dd/mm/yyyy is kept; an impossible one is refused with its reason, the form keeping what was typed."""
    units = scope.filter_by_scope(Unit.objects.filter(is_active=True), request.user, EOFFICE_RECEIVE, "path")
    if not units.exists():
        return render(request, "core/403.html", status=403)
    errors = {}
    if request.method == "POST":
        doc = act(request, lambda: _receive(request, units), flow=INCOMING,
                  success=_("Registered in the incoming book."))
        if doc:
            return redirect("eoffice:incoming", doc.pk)
        errors = _field_errors(doc)
    return render(request, "eoffice/receive.html", {"units": units.order_by("path"), "doc_types": DocType.choices,
                                                    "urgencies": Urgency.choices, "errors": errors,
                                                    "form": request.POST})


def _assign(request, doc):
    post = request.POST
    assignee = User.objects.filter(pk=post.get("assignee")).first() if post.get("assignee", "").isdigit() else None
    days = post.get("days", "").strip()
    if days and not days.isdigit():
        raise refused(InvalidInput("eoffice.assign.days", _("The time to handle is 0 to 60 working days.")))
    return services.assign(doc, request.user, assignee, days=int(days) if days else None,
                           instructions=post.get("instructions", ""))


@_document(services.get_incoming)
def incoming(request, doc):
    if request.method == "POST":
        op = request.POST.get("op", "")
        if op == "assign":
            act(request, lambda: _assign(request, doc), success=_("Assigned."), flow=INCOMING, record=doc)
        elif op == "done":
            act(request, lambda: services.complete(doc, request.user, request.POST.get("outcome", "")),
                success=_("Marked as handled."), flow=INCOMING, record=doc)
        return redirect("eoffice:incoming", doc.pk)
    allowed = {t.name for t in INCOMING.allowed(doc, request.user)}
    can_assign = bool(allowed & {"assign", "reassign"})
    staff, more, q = [], 0, (request.GET.get("q") or "").strip()[:100]
    if can_assign:        # the receiving unit's staff: a province's are thousands, so the list is searched
        staff, more = first_matching(User.objects.filter(is_active=True, person__unit__path__startswith=doc.unit.path)
                                     .select_related("person").order_by("person__full_name", "pk"), q,
                                     ("person__full_name", "person__title"), STAFF_SHOWN)
    return render(request, "eoffice/incoming.html", {
        "d": doc, "events": doc.events.select_related("actor__person"), "can_assign": can_assign, "staff": staff,
        "more_staff": more, "q": q,
        "can_complete": "complete" in allowed,
        "signatures": doc.report.get("signatures", []), "checks": doc.report.get("checks", []),
        "attachments": doc.attachments.all()})


@_document(services.get_incoming)
def incoming_file(request, doc, kind):
    stored = doc.report_pdf if kind == "report" else doc.file
    if stored is None:
        return _not_found(request)
    return _file(stored, "bao-cao-xac-thuc.pdf" if kind == "report" else "van-ban-den.pdf", "document.xml")


@login_required
def book_xlsx(request):
    """The outgoing or incoming book of a year, as the clerk prints it (Decree 30, Appendix IV)."""
    book = "in" if request.GET.get("book") == "in" else "out"
    year = _year(request.GET.get("year")) or today().year
    qs = services.search(request.user, book=book, year=year)
    if book == "in":
        sheet = XlsxSheet("So van ban den")
        sheet.row([_("Arrival number"), _("Received at"), _("Receiving unit"), _("Sender"), _("Number and symbol"),
                   _("Date of the document"), _("Summary"), _("Verification"), _("Handled by"), _("Due"),
                   _("State")])
        for d in qs.order_by("unit__path", "arrival_number"):
            sheet.row([d.arrival_number, d.received_at.strftime("%d/%m/%Y %H:%M"), d.unit.name, d.sender,
                       d.original_number, d.original_date.strftime("%d/%m/%Y") if d.original_date else "",
                       d.subject, d.indication, d.assignee.display_name if d.assignee else "",
                       d.due_date.strftime("%d/%m/%Y") if d.due_date else "", d.get_state_display()])
    else:
        sheet = XlsxSheet("So van ban di")
        sheet.row([_("Number"), _("Symbol"), _("Issue date"), _("Kind"), _("Summary"), _("Signed by"),
                   _("Issuing organisation"), _("Recipients")])
        for d in qs.filter(number__isnull=False).order_by("unit__path", "number"):
            sheet.row([d.number, d.symbol, d.issued_on.strftime("%d/%m/%Y") if d.issued_on else "",
                       d.get_doc_type_display(), d.subject, d.signer.display_name, d.unit.name,
                       ", ".join(r.unit.name for r in d.recipients.select_related("unit"))])
    return xlsx_response(sheet.to_bytes(), f'so-van-ban-{"den" if book == "in" else "di"}-{year}.xlsx')
