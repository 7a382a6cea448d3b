"""The leader's signature (Decision 508, Art. 8.2; letter 346/BHXH-CNTT): at his desk with the key on his
USB token (PKCS#11, unlocked by his PIN), or on his tablet/phone — remote key or PKI SIM — where the document
is prepared with his visible signature, the hash goes to his phone and the signature is put in when he
confirms. Only the leader named on the document signs it, and never the one who drafted it."""

from __future__ import annotations

import base64
import logging

from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput, InvalidState, NotFound
from kyso.files.storage import read, store
from kyso.mobile import services as mobile
from kyso.mobile.models import RequestState, SignatureRequest
from kyso.pki.ca import chain
from kyso.signing.deferred import PreparedPdf, finish_pdf, prepare_pdf
from kyso.signing.decree30 import leader_appearance
from kyso.signing.pdf import Appearance
from kyso.signing.service import sign_for

from .drafting import leader_box
from .flows import OUTGOING
from .models import SIGNED_VIA, OutgoingDocument, OutgoingState as S
from .queries import find_outgoing
from .rules import PDF, event, notify_role

log = logging.getLogger(__name__)
PREFIX = "eoffice:"


def _leader_appearance(doc: OutgoingDocument, draft: bytes) -> Appearance:
    """The leader's stamp where a Kyso draft left room for it (level with "Nơi nhận", right); an uploaded draft's
    at the default place, bottom right of its last page."""
    person = getattr(doc.signer, "person", None)
    page, box = leader_box(draft) or (None, None)
    return leader_appearance(person, title=doc.signer_title, caption=doc.caption, on_behalf_of=doc.on_behalf_of,
                             name=person.full_name if person else doc.signer.get_username(), page=page, box=box)


def _signed(doc: OutgoingDocument, user, signed: bytes, via: str) -> None:
    doc.signed_file = store(signed, name=f"da-ky-{doc.draft.name}", media_type=PDF, purpose="eoffice.signed",
                            unit_path=doc.unit.path)
    doc.state, doc.signed_via = S.SIGNED, via
    doc.deferred, doc.pending_pdf = {}, None
    doc.save()
    event(doc, "signed", user, str(SIGNED_VIA.get(via, via)))
    notify_role(doc.unit, "clerk", _("Signed, to seal and number: %(s)s") % {"s": doc.subject[:120]},
                _("Document to issue"), "eoffice.issue", doc)


def sign_with_token(doc: OutgoingDocument, user, *, certificate: str, pin: str) -> OutgoingDocument:
    """The leader signs at his desk. The token's own step counts a wrong PIN (kept although signing fails), so
    the document's step is checked first and taken only with the signed bytes."""
    OUTGOING.check("sign", doc, user)
    draft = read(doc.draft)
    signed = sign_for(user, draft, certificate=certificate, pin=pin, level="B-T",
                      appearance=_leader_appearance(doc, draft))
    return OUTGOING.perform("sign", doc, actor=user, body=lambda attempt: _signed(doc, user, signed, "token"))


def request_phone_signature(doc: OutgoingDocument, user, *, channel: str = "auto") -> OutgoingDocument:
    """The leader asks to sign on his tablet/phone."""
    def body(attempt):
        creds = list(mobile.usable_credentials(user))
        if channel != "auto":
            creds = [c for c in creds if c.channel == channel]
        creds.sort(key=lambda c: (c.channel != "sim", -c.pk))
        if not creds:
            raise NotFound("mobile.credential.none", _("%(user)s has no usable mobile signing credential."),
                           user=str(user))
        cred = creds[0]
        draft = read(doc.draft)
        prepared = prepare_pdf(draft, cred.certificate.certificate, chain=chain()[:-1], level="B-T",
                               appearance=_leader_appearance(doc, draft))
        req = mobile.request_signature(signer=user, hashes=[prepared.to_sign], credential=cred, requested_by=user,
                                       display_text=f"Ký {doc.get_doc_type_display()}: {doc.subject}"[:480],
                                       client_ref=f"{PREFIX}{doc.pk}")
        if req.state == RequestState.FAILED:
            raise InvalidState("eoffice.phone.failed", _("The phone could not be reached: %(m)s"),
                               m=req.error_message or req.error_code)
        doc.pending_pdf = store(prepared.pdf, name=f"cho-ky-{doc.draft.name}", media_type=PDF,
                                purpose="eoffice.prepared", unit_path=doc.unit.path)
        doc.deferred = {**prepared.as_dict(), "credential": cred.pk}
        doc.signature_request = req
        doc.state = S.SIGNING
        doc.save()
        event(doc, "phone_requested", user, cred.get_channel_display())

    return OUTGOING.perform("phone", doc, actor=user, body=body)


def collect_phone_signature(doc_id) -> OutgoingDocument | None:
    """Put the holder's signature in once his phone answered; back to "to sign" when he refused or let it
    expire. Called when the request is decided (hook) and whenever the document is looked at; the system
    takes this step (the holder's answer on the phone is his act)."""
    doc = OutgoingDocument.objects.filter(pk=doc_id, state=S.SIGNING).first()
    if doc is None or doc.signature_request_id is None:
        return doc
    req = mobile.get_request(doc.signature_request_id)
    if req.state == RequestState.PENDING:
        return doc

    def body(attempt):
        holder = req.credential.holder
        if req.state == RequestState.SIGNED and req.signatures:
            prepared = PreparedPdf.from_dict(read(doc.pending_pdf), doc.deferred)
            cert = req.credential.certificate.certificate
            try:
                signed = finish_pdf(prepared, cert, base64.b64decode(req.signatures[0]), chain=chain()[:-1])
            except InvalidInput as exc:
                doc.state, doc.deferred = S.TO_SIGN, {}
                doc.save()
                event(doc, "phone_failed", holder, exc.message)
                return doc
            _signed(doc, holder, signed, req.channel)
        else:
            doc.state, doc.deferred = S.TO_SIGN, {}
            doc.save()
            event(doc, f"phone_{req.state}", holder, req.error_message)
        return doc

    try:
        return OUTGOING.perform("phone_answer", doc, actor=None, body=body)
    except InvalidState:        # someone else collected it a moment ago
        doc.refresh_from_db()
        return doc


def get_outgoing(user, pk) -> OutgoingDocument:
    """One document this person may see (a phone's answer waiting for it is collected first)."""
    doc = find_outgoing(user, pk)
    if doc.state == S.SIGNING:
        collect_phone_signature(doc.pk)
        doc.refresh_from_db()
    return doc


def on_decided(request_id) -> None:
    """The mobile app's hook: a signature request of ours was decided."""
    ref = SignatureRequest.objects.filter(pk=request_id).values_list("client_ref", flat=True).first() or ""
    try:
        collect_phone_signature(ref.removeprefix(PREFIX))
    except Exception:  # noqa: BLE001 - the phone's answer is kept; the document is collected when next opened
        log.exception("collecting the phone signature of %s failed", ref)
