"""Incoming documents (Decision 508, Art. 8.8; Decree 30, Art. 20–24): registered in the receiving unit's book
with every signature verified on arrival (the report kept with it, JSON and PDF), assigned for handling with a
deadline in working days (by default from its urgency), handled."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import display, steps
from kyso.core.errors import InvalidInput
from kyso.files.storage import store
from kyso.org.models import Unit
from kyso.signing.report import FORMAT_FAILURE
from kyso.signing.reporting import report_pdf
from kyso.signing.verify import verify_bytes
from kyso.workdays.calendar import add_working_days, today

from .flows import HANDLING_DAYS, INCOMING, RECEIVE, REGISTER
from .models import Attachment, DocType, IncomingDocument, IncomingState, Urgency
from .rules import MAX_FILE_BYTES, PDF, check_attachments, event, field_errors, named, next_number, notify, \
    notify_role, person_name, too_large

MAX_HANDLING_DAYS = 60


def _check_fields(subject: str, sender: str, doc_type: str, urgency: str) -> None:
    errors = field_errors(subject, doc_type, urgency)
    if not sender:
        errors["sender"] = _("The sender is required.")
    if errors:
        raise InvalidInput("eoffice.incoming.invalid", _("The registration has errors."), fields=errors)


def _media(content: bytes) -> str:
    return PDF if content.lstrip()[:5] == b"%PDF-" else "application/xml"


def register_arrival(unit: Unit, data: bytes, *, filename: str, sender: str, subject: str,
                     original_number: str = "", original_date: dt.date | None = None,
                     doc_type: str = DocType.CONG_VAN, urgency: str = Urgency.NORMAL, source=None,
                     registered_by=None, expected_title: str = "", caption: str = "",
                     attachments=()) -> IncomingDocument:
    """Register a document in `unit`'s incoming book and verify every signature on it at once (Art. 8.8).
    A file that is not a readable PDF or XML is refused. The clerk registering a document from outside Kyso
    needs the right to receive at `unit` (`receive_external`); a document dispatched inside Kyso arrives by
    itself."""
    subject = " ".join(str(subject or "").split())
    sender = " ".join(str(sender or "").split())

    def verified():
        if not unit.is_active:   # a unit merged or closed no longer keeps a book
            raise InvalidInput("eoffice.recipient.inactive", _("%(unit)s no longer receives documents."),
                               unit=unit.name)
        _check_fields(subject, sender, doc_type, urgency)
        if len(data or b"") > MAX_FILE_BYTES:
            raise too_large()
        report = verify_bytes(data, filename=filename, doc_type="official", expected_title=expected_title,
                              caption=caption)
        if report.sub_indication == FORMAT_FAILURE and not report.signatures:
            raise InvalidInput("eoffice.file.unreadable", _("The file is not a readable PDF or XML document."))
        # Art. 8.7: an attachment is bound to its main document by the number and symbol in its signature.
        checked = [(name, content, verify_bytes(content, filename=name, doc_type="attachment",
                                                main_document=original_number.strip()))
                   for name, content in check_attachments(attachments, pdf_only=False)]
        return report, checked

    def body(attempt):
        report, checked = verified()
        now = timezone.now()
        year = timezone.localtime(now).year
        stored = store(data, name=filename or "van-ban-den", media_type=_media(data), purpose="eoffice.incoming",
                       unit_path=unit.path)
        pdf_report = store(report_pdf(report), name="bao-cao-xac-thuc.pdf", media_type=PDF,
                           purpose="eoffice.verification", unit_path=unit.path)
        doc = IncomingDocument.objects.create(
            unit=unit, year=year, arrival_number=next_number(unit, "in", year), received_at=now, source=source,
            sender=sender[:255], original_number=original_number[:80], original_date=original_date,
            doc_type=doc_type, subject=subject[:500], urgency=urgency, file=stored, indication=report.indication,
            sub_indication=report.sub_indication or "", report=report.to_dict(), report_pdf=pdf_report,
            registered_by=registered_by)
        for name, content, att_report in checked:
            Attachment.objects.create(
                incoming=doc, name=name, indication=att_report.indication,
                sub_indication=att_report.sub_indication or "", report=att_report.to_dict(),
                file=store(content, name=name, media_type=_media(content), purpose="eoffice.incoming.attachment",
                           unit_path=unit.path))
        event(doc, "registered", registered_by, f"{report.indication} {report.sub_indication or ''}".strip())
        text = _("New incoming document no. %(n)s: %(s)s") % {"n": doc.arrival_number, "s": subject[:120]}
        if not doc.verified:
            text = f"{text} — " + str(_("the signatures did not verify (%(i)s)") % {"i": display.indication(report.indication)})
        notify_role(unit, "clerk", text, _("Incoming document"), "eoffice.incoming", doc)
        notify_role(unit, "leader", text, _("Incoming document"), "eoffice.incoming", doc)
        return doc

    if registered_by is not None:
        return steps.run(RECEIVE, body, actor=registered_by, unit=unit)
    return steps.run(REGISTER, body)


def receive_external(clerk, unit: Unit, data: bytes, **fields) -> IncomingDocument:
    """The clerk registers a document that came from outside Kyso (e-mail, the national document exchange)."""
    return register_arrival(unit, data, registered_by=clerk, **fields)


def assign(doc: IncomingDocument, user, assignee, *, days: int | None = None, instructions: str = ""
           ) -> IncomingDocument:
    """Assign for handling with a deadline in working days (by default from the document's urgency), to an
    account or a login; an unknown login is refused as one outside the document's unit is."""
    def body(attempt):
        nonlocal days
        handler = named(assignee)
        person = getattr(handler, "person", None)
        if person is None or not person.unit.path.startswith(doc.unit.path):
            raise InvalidInput("eoffice.assignee.outside", _("The document is handled by someone of %(unit)s."),
                               unit=doc.unit.name)
        if days is None:
            days = HANDLING_DAYS.get(doc.urgency, 5)
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_HANDLING_DAYS:
            raise InvalidInput("eoffice.assign.days", _("The time to handle is 0 to 60 working days."),
                               fields={"days": ("range", _("0 to 60 working days."))})
        doc.assignee, doc.assigned_by = handler, user
        doc.due_date = add_working_days(today(), days) if days else today()
        doc.instructions = instructions.strip()[:2000]
        doc.save()
        event(doc, "assigned", user, f"{person_name(handler)} — {doc.due_date:%d/%m/%Y}")
        notify(handler, _("Assigned to you: %(s)s (due %(d)s)") % {"s": doc.subject[:120],
                                                                     "d": f"{doc.due_date:%d/%m/%Y}"},
               _("Document to handle"), "eoffice.assigned", doc)

    step = "reassign" if doc.state == IncomingState.ASSIGNED else "assign"
    return INCOMING.perform(step, doc, actor=user, body=body)


def complete(doc: IncomingDocument, user, outcome: str = "") -> IncomingDocument:
    """The officer it was assigned to (or who assigns at the unit) marks it handled."""
    def body(attempt):
        doc.done_at, doc.outcome = timezone.now(), outcome.strip()[:2000]
        doc.save()
        event(doc, "done", user, outcome)

    return INCOMING.perform("complete", doc, actor=user, body=body)
