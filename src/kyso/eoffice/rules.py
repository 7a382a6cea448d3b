"""What every e-office step shares: who issues a document and its symbol (Decree 30), the checks of the files,
the books' numbers, the document's history and the notifications."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.accounts.models import RoleAssignment, User
from kyso.core.errors import InvalidInput
from kyso.notify.services import notify_person
from kyso.org.models import Unit
from kyso.signing.pdf import _check_pdf as parse_pdf
from kyso.signing.pdf import _existing_signatures, _refuse_malformed

from .models import BookCounter, DocType, Event, OutgoingDocument, Urgency

AGENCY_ABBR = "BHXH"
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ATTACHMENTS = 10
PDF = "application/pdf"


def named(who):
    """The account a step names (signer, reviewer, assignee): a `User` as given, a login looked up — None when
    no account has it. Looked up inside the step, an unknown login meets the very refusal a person outside the
    step's scope meets (same code, same message, audited alike): the answer does not tell which logins exist."""
    if isinstance(who, str):
        return User.objects.filter(username=who).first() if who else None
    return who


def too_large() -> InvalidInput:
    return InvalidInput("eoffice.file.too_large", _("The file is larger than the allowed %(mb)s MB."),
                        mb=MAX_FILE_BYTES // (1024 * 1024))


def field_errors(subject: str, doc_type: str, urgency: str) -> dict:
    """What every document needs, outgoing or incoming: a summary, a known kind and a known urgency.
    Returns the per-field errors (empty if none); the caller adds its own and raises."""
    errors = {}
    if not subject:
        errors["subject"] = _("The summary is required.")
    if doc_type not in DocType.values:
        errors["doc_type"] = _("Unknown kind of document.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Unknown urgency.")
    return errors


def event(doc, verb: str, actor=None, note: str = "") -> None:
    """One line of the document's history (its verb is shown in words: `models.VERBS`)."""
    field = "outgoing" if isinstance(doc, OutgoingDocument) else "incoming"
    Event.objects.create(**{field: doc}, verb=verb, actor=actor if getattr(actor, "pk", None) else None,
                         note=str(note)[:2000])


def notify(user, text, subject, topic, obj, sms: bool = False) -> None:
    person = getattr(user, "person", None)
    if person is not None:
        notify_person(person, str(text), subject=str(subject), topic=topic, obj=obj, sms=sms)


def notify_role(unit: Unit, role: str, text, subject, topic, obj) -> None:
    for ra in RoleAssignment.objects.filter(unit=unit, role=role).select_related("user__person"):
        notify(ra.user, text, subject, topic, obj)


def issuing_unit_for(unit: Unit) -> Unit:
    """The organisation that issues a document drafted in `unit`: the nearest unit up the tree that has a seal
    of its own and issues in its own name (the agency, a province, a district)."""
    u = unit
    while u is not None:
        if u.has_own_seal and u.level.issues_documents:
            return u
        u = u.parent
    raise InvalidInput("eoffice.issuer.none", _("No organisation with a seal of its own above %(unit)s."),
                       unit=unit.name)


def _abbr(unit: Unit) -> str:
    return (unit.short_name or unit.code.rsplit(".", 1)[-1]).upper().replace(" ", "")


def symbol_for(doc_type: str, issuer: Unit, drafting: Unit) -> str:
    """Decree 30, Appendix III: "QĐ-BHXH" for a titled document; "BHXH-CNTT" (issuer–drafting unit) for a
    letter."""
    if doc_type == DocType.CONG_VAN:
        suffix = _abbr(drafting) if drafting.pk != issuer.pk else "VP"
        return f"{AGENCY_ABBR}-{suffix}"
    return f"{doc_type}-{AGENCY_ABBR}"


def check_pdf(data: bytes) -> bytes:
    if not data:
        raise InvalidInput("eoffice.file.empty", _("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise too_large()
    if not data.lstrip()[:5] == b"%PDF-":
        raise InvalidInput("eoffice.file.not_pdf", _("Outgoing documents are PDF files."))
    with _refuse_malformed():
        reader = parse_pdf(data)
        if reader.encrypted:
            raise InvalidInput("signing.input.pdf_encrypted", _("Encrypted PDF documents cannot be signed."))
        if _existing_signatures(reader):
            raise InvalidInput("eoffice.file.already_signed", _("A draft must not carry signatures yet."))
    return data


def check_attachments(attachments, *, pdf_only: bool) -> list[tuple[str, bytes]]:
    out = []
    for item in attachments or ():
        name, content = item
        name = (str(name or "").replace("\\", "/").rsplit("/", 1)[-1] or "phu-luc.pdf")[:255]
        if pdf_only:
            content = check_pdf(content)
        elif len(content or b"") > MAX_FILE_BYTES:
            raise too_large()
        out.append((name, content))
    if len(out) > MAX_ATTACHMENTS:
        raise InvalidInput("eoffice.attachments.too_many", _("At most %(n)s attachments."), n=MAX_ATTACHMENTS)
    return out


def person_name(user) -> str:
    person = getattr(user, "person", None)
    return person.full_name if person else user.get_username()


def next_number(unit: Unit, book: str, year: int) -> int:
    """The next number of a unit's outgoing or incoming book, taken in the caller's transaction (a failed step
    leaves it unused)."""
    counter, _created = BookCounter.objects.get_or_create(unit=unit, book=book, year=year)
    counter = BookCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
