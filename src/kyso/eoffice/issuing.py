"""The clerk's part (Decree 30, Art. 15–16; Decision 508, Art. 8.3 and 8.7): the next number of the
organisation's outgoing book and today's date, filled into the signed document, then the organisation's
signature (the seal over the leader's signature, the number and time on it) on the document and on each
attachment; then dispatch to each recipient unit in Kyso, where it arrives in the incoming book, verified."""

from __future__ import annotations

from kyso.core.documents.model import ISSUE_FIELDS, vn_day_month
from kyso.files.storage import read, store
from kyso.pki.ca import chain
from kyso.signing.decree30 import seal_over
from kyso.signing.fields import fill_text_fields
from kyso.signing.pdf import Appearance, sign_pdf
from kyso.signing.seal import unit_seal
from kyso.workdays.calendar import today

from .flows import OUTGOING
from .incoming import register_arrival
from .models import OutgoingDocument
from .rules import PDF, event, next_number, symbol_for


def _seal(doc: OutgoingDocument, clerk) -> None:
    day = today()
    number = next_number(doc.unit, "out", day.year)
    symbol = symbol_for(doc.doc_type, doc.unit, doc.drafting_unit)
    issued, key = unit_seal(doc.unit)
    number_symbol = f"{number}/{symbol}"
    # The number and date go into the draft's fields first (form filling keeps the leader's signature valid).
    dd, mm = vn_day_month(day)
    f = ISSUE_FIELDS
    numbered = fill_text_fields(read(doc.signed_file), {f[0]: str(number), f[1]: dd, f[2]: mm, f[3]: str(day.year)},
                                italic={f[1], f[2], f[3]}, right={f[0]})
    sealed = seal_over(numbered, doc.unit, document_number=number_symbol, reason=f"Số {number_symbol}, ngày {day:%d/%m/%Y}")
    doc.issued_file = store(sealed, name=f"{number}-{symbol}.pdf".replace("/", "-"), media_type=PDF,
                            purpose="eoffice.issued", unit_path=doc.unit.path)
    for att in doc.attachments.select_related("draft"):
        # Art. 8.7: the organisation signs each attachment; its stamp names the main document.
        att.file = store(sign_pdf(read(att.draft), key, issued.certificate, chain=chain()[:-1], level="B-T",
                                  appearance=Appearance(kind="attachment", organization=doc.unit.name,
                                                        document_number=number_symbol)),
                         name=att.name, media_type=PDF, purpose="eoffice.attachment.issued",
                         unit_path=doc.unit.path)
        att.save(update_fields=["file"])
    doc.year, doc.number, doc.symbol, doc.issued_on, doc.issued_by = day.year, number, symbol, day, clerk
    doc.save()
    event(doc, "issued", clerk, number_symbol)


def issue(doc: OutgoingDocument, clerk) -> OutgoingDocument:
    """Seal and number. A failure leaves the number unused: it is taken inside the step."""
    return OUTGOING.perform("issue", doc, actor=clerk, body=lambda attempt: _seal(doc, clerk))


def dispatch(doc: OutgoingDocument, clerk) -> OutgoingDocument:
    """Send the issued document to each recipient unit in Kyso, where it arrives in the incoming book
    (verified there); recipients outside Kyso get the signed file (download)."""
    def body(attempt):
        data = read(doc.issued_file)
        for rcpt in doc.recipients.select_related("unit").select_for_update():
            if rcpt.incoming_id:
                continue
            rcpt.incoming = register_arrival(
                rcpt.unit, data, filename=doc.issued_file.name, sender=doc.unit.name, subject=doc.subject,
                original_number=doc.number_symbol, original_date=doc.issued_on, doc_type=doc.doc_type,
                urgency=doc.urgency, source=doc, expected_title=doc.signer_title, caption=doc.caption,
                attachments=[(a.name, read(a.file)) for a in doc.attachments.select_related("file")])
            rcpt.save(update_fields=["incoming"])
        event(doc, "dispatched", clerk, ", ".join(r.unit.name for r in doc.recipients.select_related("unit")))

    return OUTGOING.perform("dispatch", doc, actor=clerk, body=body)


def issue_and_dispatch(doc: OutgoingDocument, clerk) -> OutgoingDocument:
    """The clerk's one button: seal, number and dispatch."""
    return dispatch(issue(doc, clerk), clerk)
