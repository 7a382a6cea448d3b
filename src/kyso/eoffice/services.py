"""The e-office, step by step. Views, API and CLI call these; each checks scope and order and writes the
document's history; every change is audited in the same transaction.

Outgoing: draft → review → the leader signs (USB token through PKCS#11, or his phone: remote key or PKI SIM,
letter 346/BHXH-CNTT) → the clerk seals with the organisation's certificate, giving the number and date
(Decree 30, Art. 15) → dispatch. Incoming: registered in the unit's book with the verification report made
on arrival (Decision 508, Art. 8.8), assigned with a deadline in working days, handled."""

from __future__ import annotations

import base64
import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core.errors import Forbidden, InvalidInput, InvalidState, NotFound
from kyso.files.storage import read, store
from kyso.org.models import Unit
from kyso.workdays.calendar import add_working_days, today

from .models import (TITLES, Attachment, BookCounter, DocType, Event, IncomingDocument, IncomingState, OutgoingDocument,
                     OutgoingState as S, Recipient, Urgency)
from .permissions import (EOFFICE_ASSIGN, EOFFICE_DRAFT, EOFFICE_ISSUE, EOFFICE_RECEIVE, EOFFICE_REVIEW,
                          EOFFICE_SIGN, EOFFICE_VIEW)

log = logging.getLogger(__name__)

ISSUER_LEVELS = ("hq", "province", "district")   # organisations that issue documents in their own name
AGENCY_ABBR = "BHXH"
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ATTACHMENTS = 10
DEFAULT_HANDLING_DAYS = {Urgency.NORMAL: 5, Urgency.URGENT: 2, Urgency.VERY_URGENT: 1, Urgency.EXPRESS: 0}
PDF = "application/pdf"


# ---------------------------------------------------------------- helpers

def _event(doc, verb: str, actor=None, note: str = "") -> None:
    field = "outgoing" if isinstance(doc, OutgoingDocument) else "incoming"
    Event.objects.create(**{field: doc}, verb=verb, actor=actor if getattr(actor, "pk", None) else None,
                         note=str(note)[:2000])


def _notify(user, text, subject, topic, obj, sms: bool = False) -> None:
    from kyso.notify.services import notify_person

    person = getattr(user, "person", None)
    if person is not None:
        notify_person(person, str(text), subject=str(subject), topic=topic, obj=obj, sms=sms)


def _notify_role(unit: Unit, role: str, text, subject, topic, obj) -> None:
    from kyso.accounts.models import RoleAssignment

    for ra in RoleAssignment.objects.filter(unit=unit, role=role).select_related("user__person"):
        _notify(ra.user, text, subject, topic, obj)


def issuing_unit_for(unit: Unit) -> Unit:
    """The organisation that issues a document drafted in `unit`: the nearest unit up the tree that has a seal
    of its own and issues in its own name (the agency, a province, a district)."""
    u = unit
    while u is not None:
        if u.has_own_seal and u.level.code in ISSUER_LEVELS:
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


def _check_pdf(data: bytes) -> bytes:
    if not data:
        raise InvalidInput("eoffice.file.empty", _("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput("eoffice.file.too_large", _("The file is larger than the allowed %(mb)s MB."),
                           mb=MAX_FILE_BYTES // (1024 * 1024))
    if not data.lstrip()[:5] == b"%PDF-":
        raise InvalidInput("eoffice.file.not_pdf", _("Outgoing documents are PDF files."))
    from kyso.signing.pdf import _check_pdf as parse, _existing_signatures, _refuse_malformed

    with _refuse_malformed():
        reader = parse(data)
        if reader.encrypted:
            raise InvalidInput("signing.input.pdf_encrypted", _("Encrypted PDF documents cannot be signed."))
        if _existing_signatures(reader):
            raise InvalidInput("eoffice.file.already_signed", _("A draft must not carry signatures yet."))
    return data


def _check_attachments(attachments, *, pdf_only: bool) -> list[tuple[str, bytes]]:
    out = []
    for item in attachments or ():
        name, content = item
        name = (str(name or "").replace("\\", "/").rsplit("/", 1)[-1] or "phu-luc.pdf")[:255]
        if pdf_only:
            content = _check_pdf(content)
        elif len(content or b"") > MAX_FILE_BYTES:
            raise InvalidInput("eoffice.file.too_large", _("The file is larger than the allowed %(mb)s MB."),
                               mb=MAX_FILE_BYTES // (1024 * 1024))
        out.append((name, content))
    if len(out) > MAX_ATTACHMENTS:
        raise InvalidInput("eoffice.attachments.too_many", _("At most %(n)s attachments."), n=MAX_ATTACHMENTS)
    return out


def _person_name(user) -> str:
    person = getattr(user, "person", None)
    return person.full_name if person else user.get_username()


# ---------------------------------------------------------------- visibility

def outgoing_for(user):
    qs = OutgoingDocument.objects.select_related("unit", "drafting_unit", "signer__person", "drafted_by")
    return qs.filter(scope.scope_q(user, EOFFICE_VIEW, "unit__path") | Q(signer=user) | Q(drafted_by=user)
                     | Q(reviewer=user)).distinct()


def incoming_for(user):
    qs = IncomingDocument.objects.select_related("unit", "assignee__person", "source")
    return qs.filter(scope.scope_q(user, EOFFICE_VIEW, "unit__path") | Q(assignee=user)).distinct()


def get_outgoing(user, pk) -> OutgoingDocument:
    from django.core.exceptions import ValidationError

    try:
        doc = outgoing_for(user).get(pk=pk)
    except (OutgoingDocument.DoesNotExist, ValidationError, ValueError):
        raise NotFound("eoffice.document.not_found", _("No such document.")) from None
    if doc.state == S.SIGNING:
        collect_phone_signature(doc.pk)
        doc.refresh_from_db()
    return doc


def get_incoming(user, pk) -> IncomingDocument:
    from django.core.exceptions import ValidationError

    try:
        return incoming_for(user).get(pk=pk)
    except (IncomingDocument.DoesNotExist, ValidationError, ValueError):
        raise NotFound("eoffice.document.not_found", _("No such document.")) from None


# ---------------------------------------------------------------- drafting and review

def create_draft(user, *, subject: str, signer, signer_title: str = "", doc_type: str = DocType.CONG_VAN,
                 data: bytes | None = None, filename: str = "", body: str = "", recipients=(),
                 external_recipients: str = "", caption: str = "", on_behalf_of: str = "",
                 urgency: str = Urgency.NORMAL, drafting_unit: Unit | None = None,
                 attachments=()) -> OutgoingDocument:
    """A new draft, from an uploaded PDF or written here (`body`), with its signer, recipients and attachments
    in separate PDF files (Art. 8.7: the clerk seals each with the main document's number)."""
    from kyso.signing.pdf import CAPTIONS

    person = getattr(user, "person", None)
    drafting_unit = drafting_unit or (person.unit if person else None)
    if drafting_unit is None:
        raise InvalidInput("eoffice.draft.no_unit", _("Your account is not linked to a unit."))
    scope.require(user, EOFFICE_DRAFT, drafting_unit)
    subject = " ".join(str(subject or "").split())
    errors = {}
    if not subject:
        errors["subject"] = _("The summary is required.")
    if doc_type not in DocType.values:
        errors["doc_type"] = _("Unknown kind of document.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Unknown urgency.")
    if caption not in CAPTIONS:
        errors["caption"] = _("The caption must be KT., TL. or TUQ.")
    if caption and not on_behalf_of:
        errors["on_behalf_of"] = _("With KT., TL. or TUQ., say on behalf of which title the leader signs.")
    if errors:
        raise InvalidInput("eoffice.draft.invalid", _("The draft has errors."), fields=errors)
    issuer = issuing_unit_for(drafting_unit)
    if signer is None or not scope.can(signer, EOFFICE_SIGN, issuer):
        raise InvalidInput("eoffice.signer.not_leader", _("The signer must be a leader of %(unit)s."), unit=issuer.name)
    signer_title = signer_title or getattr(getattr(signer, "person", None), "title", "") or ""
    if not signer_title:
        raise InvalidInput("eoffice.signer.no_title", _("The signer's title is required (Art. 8.2)."))
    units = []
    for r in recipients:
        unit = r if isinstance(r, Unit) else Unit.objects.filter(code=str(r)).first()
        if unit is None:
            raise InvalidInput("eoffice.recipient.unknown", _("Unknown recipient unit %(code)s."), code=str(r))
        if unit.pk == issuer.pk:
            raise InvalidInput("eoffice.recipient.self", _("A document is not sent to its own issuer."))
        units.append(unit)
    if not units and not external_recipients.strip():
        raise InvalidInput("eoffice.recipient.none", _("Name at least one recipient."))
    attachments = _check_attachments(attachments, pdf_only=True)
    if data:
        data = _check_pdf(data)
    else:
        if not body.strip():
            raise InvalidInput("eoffice.draft.no_content", _("Upload the draft as a PDF or write its text."),
                               fields={"body": _("Upload the draft as a PDF or write its text.")})
        from .drafting import render_draft

        data = render_draft(organization=issuer.name, governing_body="" if issuer.parent is None else
                            issuer.parent.name if issuer.level.code != "district" else issuer.parent.name,
                            symbol_suffix=symbol_for(doc_type, issuer, drafting_unit),
                            place=issuer.province_name or "Hà Nội", subject=subject, body=body,
                            title=TITLES.get(doc_type, ""), recipient=", ".join(u.name for u in units),
                            distribution=[u.name for u in units] + ["Lưu: VT"])
        filename = filename or "du-thao.pdf"
    with transaction.atomic(), audit.action("eoffice.outgoing.draft"):
        draft = store(data, name=filename or "du-thao.pdf", media_type=PDF, purpose="eoffice.draft",
                      unit_path=issuer.path)
        doc = OutgoingDocument.objects.create(
            unit=issuer, drafting_unit=drafting_unit, doc_type=doc_type, subject=subject[:500], urgency=urgency,
            drafted_by=user, signer=signer, signer_title=signer_title[:150], caption=caption,
            on_behalf_of=on_behalf_of[:150], draft=draft, external_recipients=external_recipients.strip())
        for unit in units:
            Recipient.objects.create(document=doc, unit=unit)
        for name, content in attachments:
            Attachment.objects.create(outgoing=doc, name=name, draft=store(
                content, name=name, media_type=PDF, purpose="eoffice.attachment", unit_path=issuer.path))
        _event(doc, "drafted", user, f"{len(attachments)} tệp đính kèm" if attachments else "")
    return doc


def _require_state(doc, *states) -> None:
    if doc.state not in states:
        raise InvalidState("eoffice.state", _("This cannot be done while the document is “%(state)s”."),
                           state=doc.get_state_display())


def _locked(doc: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.select_for_update().select_related("unit", "drafting_unit").get(pk=doc.pk)


def replace_draft(doc: OutgoingDocument, user, data: bytes, filename: str = "") -> OutgoingDocument:
    """A new version of the draft (only while it is a draft)."""
    data = _check_pdf(data)
    with transaction.atomic(), audit.action("eoffice.outgoing.replace"):
        doc = _locked(doc)
        if user.pk != doc.drafted_by_id:
            scope.require(user, EOFFICE_DRAFT, doc.drafting_unit)
        _require_state(doc, S.DRAFT)
        doc.draft = store(data, name=filename or "du-thao.pdf", media_type=PDF, purpose="eoffice.draft",
                          unit_path=doc.unit.path)
        doc.version += 1
        doc.save()
        _event(doc, "replaced", user, f"v{doc.version}")
    return doc


def submit_for_review(doc: OutgoingDocument, user, reviewer=None) -> OutgoingDocument:
    with transaction.atomic(), audit.action("eoffice.outgoing.submit"):
        doc = _locked(doc)
        if user.pk != doc.drafted_by_id:
            scope.require(user, EOFFICE_DRAFT, doc.drafting_unit)
        _require_state(doc, S.DRAFT)
        if reviewer is not None and not scope.can(reviewer, EOFFICE_REVIEW, doc.drafting_unit):
            raise InvalidInput("eoffice.reviewer.invalid", _("The reviewer may not review drafts of this unit."))
        doc.reviewer = reviewer
        doc.state = S.IN_REVIEW
        doc.save()
        _event(doc, "submitted", user)
        if reviewer is not None:
            _notify(reviewer, _("A draft waits for your review: %(s)s") % {"s": doc.subject[:120]},
                    _("Draft to review"), "eoffice.review", doc)
    return doc


def review(doc: OutgoingDocument, user, *, approve: bool, note: str = "") -> OutgoingDocument:
    """The reviewer passes the draft to the leader, or returns it to the drafter with his comments."""
    with transaction.atomic(), audit.action("eoffice.outgoing.review"):
        doc = _locked(doc)
        if not (doc.reviewer_id == user.pk or scope.can(user, EOFFICE_REVIEW, doc.drafting_unit)):
            raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
        _require_state(doc, S.IN_REVIEW)
        if user.pk == doc.drafted_by_id and doc.reviewer_id != user.pk:
            raise Forbidden("eoffice.review.own_draft", _("A draft is reviewed by someone other than its drafter."))
        if not approve and not note.strip():
            raise InvalidInput("eoffice.review.note", _("Say why the draft is returned."),
                               fields={"note": _("Say why the draft is returned.")})
        doc.reviewer = doc.reviewer or user
        doc.state = S.TO_SIGN if approve else S.DRAFT
        doc.save()
        _event(doc, "approved" if approve else "returned", user, note)
        if approve:
            _notify(doc.signer, _("A document waits for your signature: %(s)s") % {"s": doc.subject[:120]},
                    _("Document to sign"), "eoffice.sign", doc, sms=True)   # leaders sign from tablets
        else:
            _notify(doc.drafted_by, _("Your draft was returned: %(n)s") % {"n": note[:200]}, _("Draft returned"),
                    "eoffice.returned", doc)
    return doc


# ---------------------------------------------------------------- the leader's signature

def _leader_appearance(doc: OutgoingDocument):
    from kyso.signing.images import signature_image_of
    from kyso.signing.pdf import Appearance

    person = getattr(doc.signer, "person", None)
    return Appearance(kind="leader", title=doc.signer_title, caption=doc.caption, on_behalf_of=doc.on_behalf_of,
                      name=person.full_name if person else doc.signer.get_username(),
                      signature_image=signature_image_of(person) if person else None)


def _require_signer(doc: OutgoingDocument, user) -> None:
    if user.pk != doc.signer_id or not scope.can(user, EOFFICE_SIGN, doc.unit):
        raise Forbidden("eoffice.sign.not_signer", _("Only the leader named on the document signs it."))


def sign_with_token(doc: OutgoingDocument, user, *, certificate: str, pin: str) -> OutgoingDocument:
    """The leader signs at his desk with the key on his USB token (PKCS#11, unlocked by his PIN)."""
    from kyso.signing.service import sign_for

    with transaction.atomic(), audit.action("eoffice.outgoing.sign"):
        doc = _locked(doc)
        _require_signer(doc, user)
        _require_state(doc, S.TO_SIGN)
        signed = sign_for(user, read(doc.draft), certificate=certificate, pin=pin, level="B-T",
                          appearance=_leader_appearance(doc))
        _signed(doc, user, signed, "token")
    return doc


def _signed(doc: OutgoingDocument, user, signed: bytes, via: str) -> None:
    doc.signed_file = store(signed, name=f"da-ky-{doc.draft.name}", media_type=PDF, purpose="eoffice.signed",
                            unit_path=doc.unit.path)
    doc.state, doc.signed_via = S.SIGNED, via
    doc.deferred, doc.pending_pdf = {}, None
    doc.save()
    _event(doc, "signed", user, via)
    _notify_role(doc.unit, "clerk", _("Signed, to seal and number: %(s)s") % {"s": doc.subject[:120]},
                 _("Document to issue"), "eoffice.issue", doc)


def request_phone_signature(doc: OutgoingDocument, user, *, channel: str = "auto") -> OutgoingDocument:
    """The leader asks to sign on his tablet/phone: the document is prepared with his visible signature, the
    hash goes to his phone (remote key or PKI SIM), and the signature is put in when he confirms."""
    from kyso.mobile import services as mobile
    from kyso.mobile.models import RequestState
    from kyso.pki.ca import chain
    from kyso.signing.deferred import prepare_pdf

    with transaction.atomic(), audit.action("eoffice.outgoing.phone"):
        doc = _locked(doc)
        _require_signer(doc, user)
        _require_state(doc, S.TO_SIGN)
        creds = list(mobile.usable_credentials(user))
        if channel != "auto":
            creds = [c for c in creds if c.channel == channel]
        creds.sort(key=lambda c: (c.channel != "sim", -c.pk))
        if not creds:
            raise NotFound("mobile.credential.none", _("%(user)s has no usable mobile signing credential."),
                           user=str(user))
        cred = creds[0]
        prepared = prepare_pdf(read(doc.draft), cred.certificate.certificate, chain=chain()[:-1], level="B-T",
                               appearance=_leader_appearance(doc))
        label = doc.get_doc_type_display()
        req = mobile.request_signature(signer=user, hashes=[prepared.to_sign], credential=cred, requested_by=user,
                                       display_text=f"Ký {label}: {doc.subject}"[:480], client_ref=f"eoffice:{doc.pk}")
        if req.state == RequestState.FAILED:
            raise InvalidState("eoffice.phone.failed", _("The phone could not be reached: %(m)s"),
                               m=req.error_message or req.error_code)
        doc.pending_pdf = store(prepared.pdf, name=f"cho-ky-{doc.draft.name}", media_type=PDF,
                                purpose="eoffice.prepared", unit_path=doc.unit.path)
        doc.deferred = {**prepared.as_dict(), "credential": cred.pk}
        doc.signature_request = req
        doc.state = S.SIGNING
        doc.save()
        _event(doc, "phone_requested", user, cred.get_channel_display())
    return doc


def collect_phone_signature(doc_id) -> OutgoingDocument | None:
    """Put the holder's signature in once his phone answered; back to "to sign" when he refused or let it
    expire. Called when the request is decided (hook) and whenever the document is looked at."""
    from kyso.mobile import services as mobile
    from kyso.mobile.models import RequestState
    from kyso.pki.ca import chain
    from kyso.signing.deferred import PreparedPdf, finish_pdf

    doc = OutgoingDocument.objects.filter(pk=doc_id, state=S.SIGNING).first()
    if doc is None or doc.signature_request_id is None:
        return doc
    req = mobile.get_request(doc.signature_request_id)
    if req.state == RequestState.PENDING:
        return doc
    with transaction.atomic(), audit.action("eoffice.outgoing.phone_answer"):
        doc = _locked(doc)
        if doc.state != S.SIGNING:
            return doc
        if req.state == RequestState.SIGNED and req.signatures:
            prepared = PreparedPdf.from_dict(read(doc.pending_pdf), doc.deferred)
            cert = req.credential.certificate.certificate
            try:
                signed = finish_pdf(prepared, cert, base64.b64decode(req.signatures[0]), chain=chain()[:-1])
            except InvalidInput as exc:
                doc.state, doc.deferred = S.TO_SIGN, {}
                doc.save()
                _event(doc, "phone_failed", req.credential.holder, exc.message)
                return doc
            _signed(doc, req.credential.holder, signed, req.channel)
        else:
            doc.state, doc.deferred = S.TO_SIGN, {}
            doc.save()
            _event(doc, f"phone_{req.state}", req.credential.holder, req.error_message)
    return doc


def _on_decided(request_id) -> None:
    from kyso.mobile.models import SignatureRequest

    ref = SignatureRequest.objects.filter(pk=request_id).values_list("client_ref", flat=True).first() or ""
    try:
        collect_phone_signature(ref.removeprefix("eoffice:"))
    except Exception:  # noqa: BLE001 - the phone's answer is kept; the document is collected when next opened
        log.exception("collecting the phone signature of %s failed", ref)


# ---------------------------------------------------------------- the clerk: seal, number, dispatch

def _next_number(unit: Unit, book: str, year: int) -> int:
    counter, _created = BookCounter.objects.get_or_create(unit=unit, book=book, year=year)
    counter = BookCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def issue(doc: OutgoingDocument, clerk) -> OutgoingDocument:
    """The clerk gives the next number of the organisation's outgoing book and today's date and signs with the
    organisation's certificate (the seal over the leader's signature, the number and time on it). A failure
    leaves the number unused: it is taken in the same transaction."""
    from kyso.core.documents.model import ISSUE_FIELDS, vn_day_month
    from kyso.pki.ca import chain
    from kyso.signing.fields import fill_text_fields
    from kyso.signing.images import seal_image_of
    from kyso.signing.pdf import Appearance, sign_pdf
    from kyso.signing.seal import unit_seal

    with transaction.atomic(), audit.action("eoffice.outgoing.issue"):
        doc = _locked(doc)
        scope.require(clerk, EOFFICE_ISSUE, doc.unit)
        _require_state(doc, S.SIGNED)
        day = today()
        number = _next_number(doc.unit, "out", day.year)
        symbol = symbol_for(doc.doc_type, doc.unit, doc.drafting_unit)
        issued, key = unit_seal(doc.unit)
        number_symbol = f"{number}/{symbol}"
        # The number and date go into the draft's fields first (form filling keeps the leader's signature valid).
        dd, mm = vn_day_month(day)
        f = ISSUE_FIELDS
        numbered = fill_text_fields(read(doc.signed_file), {f[0]: str(number), f[1]: dd, f[2]: mm, f[3]: str(day.year)},
                                    italic={f[1], f[2], f[3]}, right={f[0]})
        sealed = sign_pdf(numbered, key, issued.certificate, chain=chain()[:-1], level="B-T",
                          appearance=Appearance(kind="organization", organization=doc.unit.name,
                                                seal_image=seal_image_of(doc.unit), document_number=number_symbol),
                          reason=f"Số {number_symbol}, ngày {day:%d/%m/%Y}")
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
        doc.state = S.ISSUED
        doc.save()
        _event(doc, "issued", clerk, number_symbol)
    return doc


def dispatch(doc: OutgoingDocument, clerk) -> OutgoingDocument:
    """Send the issued document to each recipient unit in Kyso, where it arrives in the incoming book
    (verified there); recipients outside Kyso get the signed file (download)."""
    with transaction.atomic(), audit.action("eoffice.outgoing.dispatch"):
        doc = _locked(doc)
        scope.require(clerk, EOFFICE_ISSUE, doc.unit)
        _require_state(doc, S.ISSUED)
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
        doc.state = S.DISPATCHED
        doc.save()
        _event(doc, "dispatched", clerk, ", ".join(r.unit.name for r in doc.recipients.select_related("unit")))
    return doc


# ---------------------------------------------------------------- incoming

def register_arrival(unit: Unit, data: bytes, *, filename: str, sender: str, subject: str,
                     original_number: str = "", original_date: dt.date | None = None,
                     doc_type: str = DocType.CONG_VAN, urgency: str = Urgency.NORMAL, source=None,
                     registered_by=None, expected_title: str = "", caption: str = "",
                     attachments=()) -> IncomingDocument:
    """Register a document in `unit`'s incoming book and verify every signature on it at once (Art. 8.8):
    the report is kept with it (JSON and PDF). A file that is not a readable PDF or XML is refused."""
    from kyso.signing.report import FORMAT_FAILURE
    from kyso.signing.reporting import report_pdf
    from kyso.signing.verify import verify_bytes

    subject = " ".join(str(subject or "").split())
    sender = " ".join(str(sender or "").split())
    errors = {}
    if not subject:
        errors["subject"] = _("The summary is required.")
    if not sender:
        errors["sender"] = _("The sender is required.")
    if doc_type not in DocType.values:
        errors["doc_type"] = _("Unknown kind of document.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Unknown urgency.")
    if errors:
        raise InvalidInput("eoffice.incoming.invalid", _("The registration has errors."), fields=errors)
    if len(data or b"") > MAX_FILE_BYTES:
        raise InvalidInput("eoffice.file.too_large", _("The file is larger than the allowed %(mb)s MB."),
                           mb=MAX_FILE_BYTES // (1024 * 1024))
    report = verify_bytes(data, filename=filename, doc_type="official", expected_title=expected_title,
                          caption=caption)
    if report.sub_indication == FORMAT_FAILURE and not report.signatures:
        raise InvalidInput("eoffice.file.unreadable", _("The file is not a readable PDF or XML document."))
    media = PDF if data.lstrip()[:5] == b"%PDF-" else "application/xml"
    checked = []
    for name, content in _check_attachments(attachments, pdf_only=False):
        # Art. 8.7: an attachment is bound to its main document by the number and symbol in its signature.
        att_report = verify_bytes(content, filename=name, doc_type="attachment",
                                  main_document=original_number.strip())
        checked.append((name, content, att_report))
    with transaction.atomic(), audit.action("eoffice.incoming.register"):
        now = timezone.now()
        year = timezone.localtime(now).year
        stored = store(data, name=filename or "van-ban-den", media_type=media, purpose="eoffice.incoming",
                       unit_path=unit.path)
        pdf_report = store(report_pdf(report), name="bao-cao-xac-thuc.pdf", media_type=PDF,
                           purpose="eoffice.verification", unit_path=unit.path)
        doc = IncomingDocument.objects.create(
            unit=unit, year=year, arrival_number=_next_number(unit, "in", year), received_at=now, source=source,
            sender=sender[:255], original_number=original_number[:80], original_date=original_date,
            doc_type=doc_type, subject=subject[:500], urgency=urgency, file=stored, indication=report.indication,
            sub_indication=report.sub_indication or "", report=report.to_dict(), report_pdf=pdf_report,
            registered_by=registered_by)
        for name, content, att_report in checked:
            Attachment.objects.create(
                incoming=doc, name=name, indication=att_report.indication,
                sub_indication=att_report.sub_indication or "", report=att_report.to_dict(),
                file=store(content, name=name, media_type=PDF if content.lstrip()[:5] == b"%PDF-" else
                           "application/xml", purpose="eoffice.incoming.attachment", unit_path=unit.path))
        _event(doc, "registered", registered_by, f"{report.indication} {report.sub_indication or ''}".strip())
        text = _("New incoming document no. %(n)s: %(s)s") % {"n": doc.arrival_number, "s": subject[:120]}
        if not doc.verified:
            text = f"{text} — " + str(_("the signatures did not verify (%(i)s)") % {"i": report.indication})
        _notify_role(unit, "clerk", text, _("Incoming document"), "eoffice.incoming", doc)
        _notify_role(unit, "leader", text, _("Incoming document"), "eoffice.incoming", doc)
    return doc


def receive_external(clerk, unit: Unit, data: bytes, **fields) -> IncomingDocument:
    """The clerk registers a document that came from outside Kyso (e-mail, the national document exchange)."""
    scope.require(clerk, EOFFICE_RECEIVE, unit)
    return register_arrival(unit, data, registered_by=clerk, **fields)


def assign(doc: IncomingDocument, user, assignee, *, days: int | None = None, instructions: str = ""
           ) -> IncomingDocument:
    """Assign for handling with a deadline in working days (by default from the document's urgency)."""
    with transaction.atomic(), audit.action("eoffice.incoming.assign"):
        doc = IncomingDocument.objects.select_for_update().select_related("unit").get(pk=doc.pk)
        scope.require(user, EOFFICE_ASSIGN, doc.unit)
        if doc.state == IncomingState.DONE:
            raise InvalidState("eoffice.state", _("This cannot be done while the document is “%(state)s”."),
                               state=doc.get_state_display())
        person = getattr(assignee, "person", None)
        if person is None or not person.unit.path.startswith(doc.unit.path):
            raise InvalidInput("eoffice.assignee.outside", _("The document is handled by someone of %(unit)s."),
                               unit=doc.unit.name)
        if days is None:
            days = DEFAULT_HANDLING_DAYS.get(doc.urgency, 5)
        if not isinstance(days, int) or days < 0 or days > 60:
            raise InvalidInput("eoffice.assign.days", _("The time to handle is 0 to 60 working days."))
        doc.assignee, doc.assigned_by = assignee, user
        doc.due_date = add_working_days(today(), days) if days else today()
        doc.instructions = instructions.strip()[:2000]
        doc.state = IncomingState.ASSIGNED
        doc.save()
        _event(doc, "assigned", user, f"{_person_name(assignee)} — {doc.due_date:%d/%m/%Y}")
        _notify(assignee, _("Assigned to you: %(s)s (due %(d)s)") % {"s": doc.subject[:120],
                                                                      "d": f"{doc.due_date:%d/%m/%Y}"},
                _("Document to handle"), "eoffice.assigned", doc)
    return doc


def complete(doc: IncomingDocument, user, outcome: str = "") -> IncomingDocument:
    with transaction.atomic(), audit.action("eoffice.incoming.complete"):
        doc = IncomingDocument.objects.select_for_update().select_related("unit").get(pk=doc.pk)
        if doc.assignee_id != user.pk and not scope.can(user, EOFFICE_ASSIGN, doc.unit):
            raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
        if doc.state != IncomingState.ASSIGNED:
            raise InvalidState("eoffice.state", _("This cannot be done while the document is “%(state)s”."),
                               state=doc.get_state_display())
        doc.state, doc.done_at, doc.outcome = IncomingState.DONE, timezone.now(), outcome.strip()[:2000]
        doc.save()
        _event(doc, "done", user, outcome)
    return doc


# ---------------------------------------------------------------- queues and search

def queues(user) -> dict:
    """What waits for this user: drafts to review, documents to sign, to issue, incoming to assign or handle."""
    out = outgoing_for(user)
    return {
        "to_review": out.filter(state=S.IN_REVIEW).filter(
            Q(reviewer=user) | scope.scope_q(user, EOFFICE_REVIEW, "drafting_unit__path")).exclude(drafted_by=user),
        "to_sign": out.filter(signer=user, state__in=[S.TO_SIGN, S.SIGNING]),
        "to_issue": out.filter(state__in=[S.SIGNED, S.ISSUED]).filter(scope.scope_q(user, EOFFICE_ISSUE, "unit__path")),
        "to_assign": incoming_for(user).filter(state=IncomingState.REGISTERED).filter(
            scope.scope_q(user, EOFFICE_ASSIGN, "unit__path")),
        "to_handle": IncomingDocument.objects.filter(assignee=user, state=IncomingState.ASSIGNED),
    }


def search(user, *, book: str = "out", q: str = "", year: int | None = None, state: str = "", doc_type: str = "",
           unit: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None):
    """Both books, filtered; `q` matches the summary, the number and symbol, the sender."""
    q = " ".join(str(q or "").split())[:200]
    if book == "in":
        qs = incoming_for(user)
        if q:
            cond = Q(subject__icontains=q) | Q(original_number__icontains=q) | Q(sender__icontains=q)
            if q.isdigit():
                cond |= Q(arrival_number=int(q))
            qs = qs.filter(cond)
        if date_from:
            qs = qs.filter(received_at__date__gte=date_from)
        if date_to:
            qs = qs.filter(received_at__date__lte=date_to)
        order = ["-year", "-arrival_number"]
    else:
        qs = outgoing_for(user)
        if q:
            cond = Q(subject__icontains=q) | Q(symbol__icontains=q)
            if q.split("/")[0].isdigit():
                cond |= Q(number=int(q.split("/")[0]))
            qs = qs.filter(cond)
        if date_from:
            qs = qs.filter(issued_on__gte=date_from)
        if date_to:
            qs = qs.filter(issued_on__lte=date_to)
        order = ["-created_at"]
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if unit:
        qs = qs.filter(unit__code=unit)
    return qs.order_by(*order)


def signers_for(unit: Unit):
    """Leaders who may sign for `unit` (a role covering it), for the draft form."""
    from kyso.accounts.models import RoleAssignment, User

    ids = [ra.user_id for ra in RoleAssignment.objects.filter(role="leader", is_active=True).select_related("unit")
           if unit.path.startswith(ra.unit.path)]
    return User.objects.filter(pk__in=ids, is_active=True).select_related("person").order_by("username")
