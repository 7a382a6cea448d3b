"""Thin views of the e-office: queues and books, the draft form, the document pages with the actions this user
may take (tablet-friendly: the leader signs from his tablet), incoming registration and handling."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kyso.accounts import scope
from kyso.accounts.models import User
from kyso.core.errors import KysoError
from kyso.files.storage import read
from kyso.org.models import Unit

from . import services
from .models import DocType, IncomingState, OutgoingState as S, Urgency
from .permissions import (EOFFICE_ASSIGN, EOFFICE_DRAFT, EOFFICE_ISSUE, EOFFICE_RECEIVE, EOFFICE_REVIEW,
                          EOFFICE_SIGN, EOFFICE_VIEW)

MAX_UPLOAD = services.MAX_FILE_BYTES


def _date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _year(value):
    return int(value) if value and value.isdigit() and 2000 <= int(value) <= 2100 else None


def _attachments(request) -> list[tuple[str, bytes]]:
    from kyso.core.errors import InvalidInput

    files = request.FILES.getlist("attachments")
    if len(files) > services.MAX_ATTACHMENTS:
        raise InvalidInput("eoffice.attachments.too_many", _("At most %(n)s attachments.") % {
            "n": services.MAX_ATTACHMENTS})
    if any(f.size > MAX_UPLOAD for f in files):
        raise InvalidInput("eoffice.file.too_large", _("The file is larger than the allowed %(mb)s MB.") %
                           {"mb": MAX_UPLOAD // (1024 * 1024)})
    return [(f.name, f.read()) for f in files]


@login_required
def attachment_file(request, pk):
    """An attachment, for whoever may see its document."""
    from .models import Attachment

    att = Attachment.objects.filter(pk=pk).select_related("outgoing", "incoming", "file", "draft").first()
    try:
        if att is None:
            raise services.NotFound("eoffice.document.not_found", "")
        if att.outgoing_id:
            services.get_outgoing(request.user, att.outgoing_id)
        else:
            services.get_incoming(request.user, att.incoming_id)
    except KysoError:
        return render(request, "core/404.html", status=404)
    stored = att.file or att.draft
    if stored.media_type != "application/pdf":
        resp = HttpResponse(read(stored), content_type="application/octet-stream")
        resp["Content-Disposition"] = 'attachment; filename="phu-luc.xml"'
        return resp
    return _pdf(read(stored), "phu-luc.pdf")


@login_required
def index(request):
    """Queues on top; below, the outgoing or incoming book of the user's scope with search."""
    book = "in" if request.GET.get("book") == "in" else "out"
    queue = request.GET.get("queue", "")
    queues = services.queues(request.user)
    if queue in queues:
        qs = queues[queue]
        book = "in" if queue in ("to_assign", "to_handle") else "out"
    else:
        queue = ""
        qs = services.search(request.user, book=book, q=request.GET.get("q", ""), year=_year(request.GET.get("year")),
                             state=request.GET.get("state", ""), doc_type=request.GET.get("doc_type", ""),
                             date_from=_date(request.GET.get("from")), date_to=_date(request.GET.get("to")))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "eoffice/index.html", {
        "book": book, "queue": queue, "page": page, "queues": {k: v.count() for k, v in queues.items()},
        "states": (IncomingState.choices if book == "in" else S.choices), "doc_types": DocType.choices,
        "can_draft": scope.has_permission_anywhere(request.user, EOFFICE_DRAFT),
        "can_receive": scope.has_permission_anywhere(request.user, EOFFICE_RECEIVE), "params": request.GET})


def _fail(request, exc: KysoError):
    """Show the error; the failed step ran in its own savepoint (`atomic()` around it), already rolled back."""
    messages.error(request, exc.message)


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
        upload = request.FILES.get("file")
        try:
            if upload is not None and upload.size > MAX_UPLOAD:
                from kyso.core.errors import InvalidInput

                raise InvalidInput("eoffice.file.too_large", _("The file is larger than the allowed %(mb)s MB.") %
                                   {"mb": MAX_UPLOAD // (1024 * 1024)})
            signer = User.objects.filter(pk=request.POST.get("signer") or 0).first()
            with transaction.atomic():
                doc = services.create_draft(
                    request.user, subject=request.POST.get("subject", ""), signer=signer,
                    signer_title=request.POST.get("signer_title", ""), doc_type=request.POST.get("doc_type", "CV"),
                    data=upload.read() if upload else None, filename=upload.name if upload else "",
                    body=request.POST.get("body", ""), recipients=request.POST.getlist("recipients"),
                    external_recipients=request.POST.get("external_recipients", ""),
                    caption=request.POST.get("caption", ""), on_behalf_of=request.POST.get("on_behalf_of", ""),
                    urgency=request.POST.get("urgency", Urgency.NORMAL), attachments=_attachments(request))
        except KysoError as exc:
            _fail(request, exc)
            errors = {k: str(v) for k, v in (getattr(exc, "fields", None) or {}).items()}
        else:
            messages.success(request, _("Draft saved."))
            return redirect("eoffice:outgoing", doc.pk)
    units = Unit.objects.filter(is_active=True, has_own_seal=True, level__code__in=services.ISSUER_LEVELS)
    return render(request, "eoffice/new.html", {
        "issuer": issuer, "signers": services.signers_for(issuer) if issuer else [], "units": units.order_by("path"),
        "doc_types": DocType.choices, "urgencies": Urgency.choices, "errors": errors, "form": request.POST})


def _outgoing_context(request, doc):
    user = request.user
    from kyso.mobile.services import usable_credentials

    is_signer = doc.signer_id == user.pk and scope.can(user, EOFFICE_SIGN, doc.unit)
    tokens = []
    if is_signer and doc.state == S.TO_SIGN:
        from kyso.pki.models import CertStatus, IssuedCertificate

        person = getattr(user, "person", None)
        if person:
            tokens = IssuedCertificate.objects.filter(email__iexact=person.email, status=CertStatus.GOOD,
                                                      key_location__startswith="pkcs11:").order_by("-not_after")
    return {
        "d": doc, "events": doc.events.select_related("actor__person"),
        "recipients": doc.recipients.select_related("unit", "incoming"), "attachments": doc.attachments.all(),
        "can_edit": doc.state == S.DRAFT and (doc.drafted_by_id == user.pk or scope.can(user, EOFFICE_DRAFT,
                                                                                       doc.drafting_unit)),
        "can_review": doc.state == S.IN_REVIEW and doc.drafted_by_id != user.pk and (
            doc.reviewer_id == user.pk or scope.can(user, EOFFICE_REVIEW, doc.drafting_unit)),
        "is_signer": is_signer, "tokens": tokens,
        "phone_credentials": list(usable_credentials(user)) if is_signer else [],
        "can_issue": scope.can(user, EOFFICE_ISSUE, doc.unit),
        "reviewers": User.objects.filter(role_assignments__role__in=["leader", "unit_officer"],
                                         role_assignments__unit__path__in=[u.path for u in
                                                                           doc.drafting_unit.ancestors(True)])
        .exclude(pk=doc.drafted_by_id).distinct().select_related("person") if doc.state == S.DRAFT else [],
    }


@login_required
def outgoing(request, pk):
    try:
        doc = services.get_outgoing(request.user, pk)
    except KysoError:
        return render(request, "core/404.html", status=404)
    if request.method == "POST":
        op = request.POST.get("op", "")
        user = request.user
        try:
            with transaction.atomic():
                doc = _outgoing_step(request, doc, op, user)
        except KysoError as exc:
            _fail(request, exc)
        return redirect("eoffice:outgoing", doc.pk)
    return render(request, "eoffice/outgoing.html", _outgoing_context(request, doc))


def _outgoing_step(request, doc, op, user):
    """One action on an outgoing document (the caller runs it in its own savepoint)."""
    if op == "submit":
        reviewer = User.objects.filter(pk=request.POST.get("reviewer") or 0).first()
        services.submit_for_review(doc, user, reviewer)
        messages.success(request, _("Sent for review."))
    elif op in ("approve", "return"):
        services.review(doc, user, approve=op == "approve", note=request.POST.get("note", ""))
        messages.success(request, _("Passed to the leader for signature.") if op == "approve"
                         else _("Returned to the drafter."))
    elif op == "replace":
        upload = request.FILES.get("file")
        if upload is None or upload.size > MAX_UPLOAD:
            from kyso.core.errors import InvalidInput

            raise InvalidInput("eoffice.file.missing", _("Choose a PDF file of at most 50 MB."))
        services.replace_draft(doc, user, upload.read(), upload.name)
        messages.success(request, _("New version saved."))
    elif op == "sign_token":
        services.sign_with_token(doc, user, certificate=request.POST.get("certificate", ""),
                                 pin=request.POST.get("pin", ""))
        messages.success(request, _("Signed."))
    elif op == "sign_phone":
        services.request_phone_signature(doc, user, channel=request.POST.get("channel", "auto"))
        messages.success(request, _("Confirm the signature on your phone."))
    elif op == "issue":
        doc = services.issue(doc, user)
        messages.success(request, _("Sealed and numbered: %(n)s.") % {"n": doc.number_symbol})
    elif op == "dispatch":
        services.dispatch(doc, user)
        messages.success(request, _("Dispatched."))
    elif op == "issue_dispatch":
        doc = services.dispatch(services.issue(doc, user), user)
        messages.success(request, _("Sealed, numbered (%(n)s) and dispatched.") % {"n": doc.number_symbol})
    else:
        messages.error(request, _("Unknown action."))
    return doc


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


@login_required
def outgoing_file(request, pk, kind):
    try:
        doc = services.get_outgoing(request.user, pk)
    except KysoError:
        return render(request, "core/404.html", status=404)
    stored = {"draft": doc.draft, "signed": doc.signed_file, "issued": doc.issued_file}.get(kind)
    if stored is None:
        return render(request, "core/404.html", status=404)
    return _pdf(read(stored), stored.name.encode("ascii", "ignore").decode() or "document.pdf")


@login_required
def receive(request):
    """The clerk registers a document that came from outside Kyso; it is verified at once."""
    units = scope.filter_by_scope(Unit.objects.filter(is_active=True), request.user, EOFFICE_RECEIVE, "path")
    if not units.exists():
        return render(request, "core/403.html", status=403)
    errors = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            from kyso.core.errors import InvalidInput

            if upload is None:
                raise InvalidInput("eoffice.file.missing", _("Choose the file of the document."))
            if upload.size > MAX_UPLOAD:
                raise InvalidInput("eoffice.file.too_large", _("The file is larger than the allowed %(mb)s MB.") %
                                   {"mb": MAX_UPLOAD // (1024 * 1024)})
            unit = units.filter(pk=request.POST.get("unit") or 0).first()
            if unit is None:
                raise InvalidInput("eoffice.unit.invalid", _("Choose the receiving unit."))
            with transaction.atomic():
                doc = services.receive_external(
                    request.user, unit, upload.read(), filename=upload.name, sender=request.POST.get("sender", ""),
                    subject=request.POST.get("subject", ""), original_number=request.POST.get("original_number", ""),
                    original_date=_date(request.POST.get("original_date")),
                    doc_type=request.POST.get("doc_type", "CV"), urgency=request.POST.get("urgency", "normal"),
                    attachments=_attachments(request))
        except KysoError as exc:
            _fail(request, exc)
            errors = {k: str(v) for k, v in (getattr(exc, "fields", None) or {}).items()}
        else:
            messages.success(request, _("Registered as no. %(n)s.") % {"n": doc.arrival_number})
            return redirect("eoffice:incoming", doc.pk)
    return render(request, "eoffice/receive.html", {"units": units.order_by("path"), "doc_types": DocType.choices,
                                                    "urgencies": Urgency.choices, "errors": errors,
                                                    "form": request.POST})


@login_required
def incoming(request, pk):
    try:
        doc = services.get_incoming(request.user, pk)
    except KysoError:
        return render(request, "core/404.html", status=404)
    can_assign = scope.can(request.user, EOFFICE_ASSIGN, doc.unit)
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            with transaction.atomic():
                _incoming_step(request, doc, op)
        except KysoError as exc:
            _fail(request, exc)
        return redirect("eoffice:incoming", doc.pk)
    return _incoming_page(request, doc, can_assign)


def _incoming_step(request, doc, op):
    """One action on an incoming document (the caller runs it in its own savepoint)."""
    if op == "assign":
        assignee = User.objects.filter(pk=request.POST.get("assignee") or 0).first()
        days = request.POST.get("days", "")
        services.assign(doc, request.user, assignee, days=int(days) if days.isdigit() else None,
                        instructions=request.POST.get("instructions", ""))
        messages.success(request, _("Assigned."))
    elif op == "done":
        services.complete(doc, request.user, request.POST.get("outcome", ""))
        messages.success(request, _("Marked as handled."))
    else:
        messages.error(request, _("Unknown action."))


def _incoming_page(request, doc, can_assign):
    staff = []
    if can_assign and doc.state != IncomingState.DONE:
        staff = User.objects.filter(is_active=True, person__unit__path__startswith=doc.unit.path).select_related(
            "person").order_by("person__full_name")[:300]
    return render(request, "eoffice/incoming.html", {
        "d": doc, "events": doc.events.select_related("actor__person"), "can_assign": can_assign, "staff": staff,
        "can_complete": doc.state == IncomingState.ASSIGNED and (doc.assignee_id == request.user.pk or can_assign),
        "signatures": doc.report.get("signatures", []), "checks": doc.report.get("checks", []),
        "attachments": doc.attachments.all()})


@login_required
def incoming_file(request, pk, kind):
    try:
        doc = services.get_incoming(request.user, pk)
    except KysoError:
        return render(request, "core/404.html", status=404)
    stored = doc.report_pdf if kind == "report" else doc.file
    if stored is None:
        return render(request, "core/404.html", status=404)
    data = read(stored)
    if stored.media_type != "application/pdf":
        resp = HttpResponse(data, content_type="application/octet-stream")
        resp["Content-Disposition"] = 'attachment; filename="document.xml"'
        return resp
    return _pdf(data, "bao-cao-xac-thuc.pdf" if kind == "report" else "van-ban-den.pdf")


@login_required
def book_xlsx(request):
    """The outgoing or incoming book of a year, as the clerk prints it (Decree 30, Appendix IV)."""
    from openpyxl import Workbook

    book = "in" if request.GET.get("book") == "in" else "out"
    year = _year(request.GET.get("year")) or dt.date.today().year
    qs = services.search(request.user, book=book, year=year)
    wb = Workbook()
    ws = wb.active
    if book == "in":
        ws.title = "So van ban den"
        ws.append([_("Arrival number"), _("Received at"), _("Receiving unit"), _("Sender"), _("Number and symbol"),
                   _("Date of the document"), _("Summary"), _("Verification"), _("Handled by"), _("Due"),
                   _("State")])
        for d in qs.order_by("unit__path", "arrival_number"):
            ws.append([d.arrival_number, d.received_at.strftime("%d/%m/%Y %H:%M"), d.unit.name, d.sender,
                       d.original_number, d.original_date.strftime("%d/%m/%Y") if d.original_date else "",
                       d.subject, d.indication, d.assignee.display_name if d.assignee else "",
                       d.due_date.strftime("%d/%m/%Y") if d.due_date else "", d.get_state_display()])
    else:
        ws.title = "So van ban di"
        ws.append([_("Number"), _("Symbol"), _("Issue date"), _("Kind"), _("Summary"), _("Signed by"),
                   _("Issuing organisation"), _("Recipients")])
        for d in qs.filter(number__isnull=False).order_by("unit__path", "number"):
            ws.append([d.number, d.symbol, d.issued_on.strftime("%d/%m/%Y") if d.issued_on else "",
                       d.get_doc_type_display(), d.subject, d.signer.display_name, d.unit.name,
                       ", ".join(r.unit.name for r in d.recipients.select_related("unit"))])
    import io

    buf = io.BytesIO()
    wb.save(buf)
    resp = HttpResponse(buf.getvalue(),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="so-van-ban-{"den" if book == "in" else "di"}-{year}.xlsx"'
    return resp
