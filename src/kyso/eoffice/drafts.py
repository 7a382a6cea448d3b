"""Drafting and review: a draft uploaded as a PDF or written here, with its signing leader, recipients and
attachments; a new version while it is a draft; sent for review; the reviewer passes it to the leader or
returns it with his comments. The drafter never reviews nor signs his own document (four eyes)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import InvalidInput
from kyso.files.storage import store
from kyso.org.models import Unit
from kyso.signing.pdf import CAPTIONS

from .drafting import render_draft
from .flows import DRAFT, DRAFT_STEP, OUTGOING, refused, wrote
from .models import TITLES, Attachment, DocType, OutgoingDocument, OutgoingState as S, Recipient, Urgency
from .permissions import EOFFICE_DRAFT, EOFFICE_REVIEW, EOFFICE_SIGN
from .rules import PDF, check_attachments, check_pdf, event, field_errors, issuing_unit_for, named, notify, \
    symbol_for


def _check_fields(subject, doc_type, urgency, caption, on_behalf_of) -> None:
    errors = field_errors(subject, doc_type, urgency)
    if caption not in CAPTIONS:
        errors["caption"] = _("The caption must be KT., TL. or TUQ.")
    if caption and not on_behalf_of:
        errors["on_behalf_of"] = _("With KT., TL. or TUQ., say on behalf of which title the leader signs.")
    if errors:
        raise InvalidInput("eoffice.draft.invalid", _("The draft has errors."), fields=errors)


def _recipients(recipients, issuer: Unit, external: str) -> list[Unit]:
    units = []
    for r in recipients:
        unit = r if isinstance(r, Unit) else Unit.objects.filter(code=str(r)).first()
        if unit is None:
            raise InvalidInput("eoffice.recipient.unknown", _("Unknown recipient unit %(code)s."), code=str(r))
        if unit.pk == issuer.pk:
            raise InvalidInput("eoffice.recipient.self", _("A document is not sent to its own issuer."))
        units.append(unit)
    if not units and not external.strip():
        raise InvalidInput("eoffice.recipient.none", _("Name at least one recipient."))
    return units


def _check_signer(user, signer, signer_title: str, issuer: Unit) -> str:
    if signer is None or not scope.can(signer, EOFFICE_SIGN, issuer):
        raise InvalidInput("eoffice.signer.not_leader", _("The signer must be a leader of %(unit)s."), unit=issuer.name)
    if signer.pk == getattr(user, "pk", None):
        raise InvalidInput("eoffice.signer.own_draft", _("The leader who signs is not the drafter of the document."),
                           fields={"signer": ("own_draft", _("Name another leader: nobody signs his own draft."))})
    signer_title = signer_title or getattr(getattr(signer, "person", None), "title", "") or ""
    if not signer_title:
        raise InvalidInput("eoffice.signer.no_title", _("The signer's title is required (Art. 8.2)."))
    return signer_title


def create_draft(user, *, subject: str, signer, signer_title: str = "", doc_type: str = DocType.CONG_VAN,
                 data: bytes | None = None, filename: str = "", body: str = "", recipients=(),
                 external_recipients: str = "", caption: str = "", on_behalf_of: str = "",
                 urgency: str = Urgency.NORMAL, drafting_unit: Unit | None = None,
                 attachments=()) -> OutgoingDocument:
    """A new draft, from an uploaded PDF or written here (`body`), with its signer, recipients and attachments
    in separate PDF files (Art. 8.7: the clerk seals each with the main document's number)."""
    person = getattr(user, "person", None)
    drafting_unit = drafting_unit or (person.unit if person else None)
    if drafting_unit is None:
        raise refused(InvalidInput("eoffice.draft.no_unit", _("Your account is not linked to a unit.")))
    subject = " ".join(str(subject or "").split())

    def step(attempt):
        _check_fields(subject, doc_type, urgency, caption, on_behalf_of)
        issuer = issuing_unit_for(drafting_unit)
        leader = named(signer)
        title = _check_signer(user, leader, signer_title, issuer)
        units = _recipients(recipients, issuer, external_recipients)
        files = check_attachments(attachments, pdf_only=True)
        content, name = data, filename
        if content:
            content = check_pdf(content)
        else:
            if not body.strip():
                raise InvalidInput("eoffice.draft.no_content", _("Upload the draft as a PDF or write its text."),
                                   fields={"body": _("Upload the draft as a PDF or write its text.")})
            content = render_draft(organization=issuer.name,
                                   governing_body="" if issuer.parent is None else issuer.parent.name,
                                   symbol_suffix=symbol_for(doc_type, issuer, drafting_unit),
                                   place=issuer.province_name or "Hà Nội", subject=subject, body=body,
                                   title=TITLES.get(doc_type, ""), recipient=", ".join(u.name for u in units),
                                   distribution=[u.name for u in units] + ["Lưu: VT"], urgency=urgency)
        draft = store(content, name=name or "du-thao.pdf", media_type=PDF, purpose="eoffice.draft",
                      unit_path=issuer.path)
        doc = OutgoingDocument.objects.create(
            unit=issuer, drafting_unit=drafting_unit, doc_type=doc_type, subject=subject[:500], urgency=urgency,
            drafted_by=user, signer=leader, signer_title=title[:150], caption=caption,
            on_behalf_of=on_behalf_of[:150], draft=draft, external_recipients=external_recipients.strip())
        for unit in units:
            Recipient.objects.create(document=doc, unit=unit)
        for att_name, att in files:
            Attachment.objects.create(outgoing=doc, name=att_name, draft=store(
                att, name=att_name, media_type=PDF, purpose="eoffice.attachment", unit_path=issuer.path))
        event(doc, "drafted", user, f"{len(files)} tệp đính kèm" if files else "")
        return doc

    return steps.run(DRAFT, step, actor=user, unit=drafting_unit)


def replace_draft(doc: OutgoingDocument, user, data: bytes, filename: str = "") -> OutgoingDocument:
    """A new version of the draft (only while it is a draft)."""
    def body(attempt):
        content = check_pdf(data)
        doc.draft = store(content, name=filename or "du-thao.pdf", media_type=PDF, purpose="eoffice.draft",
                          unit_path=doc.unit.path)
        doc.version += 1
        doc.save()
        event(doc, "replaced", user, f"v{doc.version}")

    return OUTGOING.perform("replace", doc, actor=user, body=body)


def submit_for_review(doc: OutgoingDocument, user, reviewer=None) -> OutgoingDocument:
    """Send the draft for review — to a named reviewer (an account or a login; never the drafter himself), or to
    the unit's reviewers. An unknown login is refused as one who may not review the unit's drafts is."""
    def body(attempt):
        person = named(reviewer)
        if reviewer is not None:
            if person is not None and wrote(doc, person) and not steps.exception_allows(
                    person, OUTGOING.step("review"), DRAFT_STEP, doc):
                raise InvalidInput("eoffice.reviewer.own_draft",
                                   _("A draft is reviewed by someone other than its drafter."),
                                   fields={"reviewer": ("own_draft", _("Name someone other than the drafter."))})
            if person is None or not scope.can(person, EOFFICE_REVIEW, doc.drafting_unit):
                raise InvalidInput("eoffice.reviewer.invalid", _("The reviewer may not review drafts of this unit."))
        doc.reviewer = person
        doc.state = S.IN_REVIEW
        doc.save()
        event(doc, "submitted", user)
        if person is not None:
            notify(person, _("A draft waits for your review: %(s)s") % {"s": doc.subject[:120]},
                   _("Draft to review"), "eoffice.review", doc)

    return OUTGOING.perform("submit", doc, actor=user, body=body)


def review(doc: OutgoingDocument, user, *, approve: bool, note: str = "") -> OutgoingDocument:
    """The reviewer passes the draft to the leader, or returns it to the drafter with his comments."""
    def body(attempt):
        if not approve and not note.strip():
            raise InvalidInput("eoffice.review.note", _("Say why the draft is returned."),
                               fields={"note": _("Say why the draft is returned.")})
        doc.reviewer = doc.reviewer or user
        doc.state = S.TO_SIGN if approve else S.DRAFT
        doc.save()
        event(doc, "approved" if approve else "returned", user, note)
        if approve:
            notify(doc.signer, _("A document waits for your signature: %(s)s") % {"s": doc.subject[:120]},
                   _("Document to sign"), "eoffice.sign", doc, sms=True)   # leaders sign from tablets
        else:
            notify(doc.drafted_by, _("Your draft was returned: %(n)s") % {"n": note[:200]}, _("Draft returned"),
                   "eoffice.returned", doc)

    return OUTGOING.perform("review", doc, actor=user, body=body)
