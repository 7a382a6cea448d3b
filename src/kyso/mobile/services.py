"""Remote and mobile signing, one set of functions for the CSC API, the e-office, the phone pages
and the CLI.

Two channels, one flow: hashes are signed only after the holder consents — with PIN and a one-time
code (CSC `credentials/authorize`, SCAL2: the SAD covers exactly those hashes), or by confirming a
signature request on his phone (the asynchronous flow of Vietnamese remote-signing services and of
SIM PKI, letter 346/BHXH-CNTT). Keys stay in tokens; PINs are checked by the tokens.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import secrets

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyso import audit
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput, InvalidState, NotFound
from kyso.files.storage import read, store
from kyso.lifecycle.models import Certificate as LcCertificate
from kyso.lifecycle.models import CertStatus as LcCertStatus
from kyso.lifecycle.models import Source as LcSource
from kyso.lifecycle.models import Subscriber as LcSubscriber
from kyso.lifecycle.services import managing_unit
from kyso.notify.services import notify_person
from kyso.pki import pins
from kyso.pki.issuance import SubjectInfo
from kyso.pki.models import CertStatus

from . import keys, mssp, onetime, simulator
from .documents import MEDIA, check_document, sign_document
from .models import Channel, Credential, RequestState, SignatureRequest, SimCard


def request_ttl() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "KYSO_MOBILE_REQUEST_TTL", 180)))


# --------------------------------------------------------------------------- phone numbers

_MSISDN = re.compile(r"^(?:\+?84|0)([35789]\d{8})$")


def normalize_msisdn(value: str) -> str:
    """A Vietnamese mobile number in international form: 0912345678 → +84912345678."""
    raw = re.sub(r"[\s.\-()]", "", str(value or ""))
    m = _MSISDN.match(raw)
    if not m:
        raise InvalidInput("mobile.msisdn.invalid", _("%(value)s is not a Vietnamese mobile number."), value=value)
    return "+84" + m.group(1)


# --------------------------------------------------------------------------- enrolment

def enrol_credential(user, *, channel: str, pin: str, msisdn: str = "", key_spec: str = "rsa2048", days: int = 1095,
                     description: str = "") -> Credential:
    """Give `user` a remote-signing credential: a key generated in a new token (the HSM partition for
    `app`, the SIM for `sim`) with a certificate from our CA, recorded in the lifecycle register."""

    if channel not in Channel.values:
        raise InvalidInput("mobile.channel.unknown", _("Unknown channel %(channel)s."), channel=channel)
    person = getattr(user, "person", None)
    if person is None or not person.email:
        raise InvalidInput("mobile.holder.no_person", _("The holder must be a staff member with a government e-mail."))
    pin = keys.check_pin_format(pin)
    if channel == Channel.APP:
        # A remote key's one-time codes go to the holder's mobile phone as his staff record holds it — changed
        # only when he confirms it on the old one or a second officer approves (org.contacts) — never to a
        # number typed at enrolment, which would hand the second factor to whoever typed it.
        if msisdn and (not person.phone_mobile or
                       normalize_msisdn(msisdn) != normalize_msisdn(person.phone_mobile)):
            raise InvalidInput("mobile.msisdn.not_confirmed",
                               _("A remote key's one-time codes go to the holder's confirmed mobile phone: change it "
                                 "in his staff record first (confirmed by him, or approved by a second officer)."))
        msisdn = ""
    if channel == Channel.SIM:
        msisdn = normalize_msisdn(msisdn or person.phone_mobile)
        if SimCard.objects.filter(msisdn=msisdn).exists():
            raise InvalidInput("mobile.msisdn.taken", _("The number %(msisdn)s already has a PKI SIM."), msisdn=msisdn)
    subject = SubjectInfo(common_name=person.full_name[:64], email=person.email, title=(person.title or "")[:64],
                          organizational_unit=person.unit.name[:64])
    token = keys.token_label_for("sim" if channel == Channel.SIM else "csc")
    with transaction.atomic(), audit.action("mobile.credential.enrol"):
        issued, key_label = keys.new_token_with_certificate(token, pin, subject, days=days, key_spec=key_spec)
        if channel == Channel.SIM:
            SimCard.objects.create(msisdn=msisdn, token_label=token, key_label=key_label)
        cred = Credential.objects.create(holder=user, certificate=issued, channel=channel, msisdn=msisdn,
                                         token_label=token, key_label=key_label, description=description[:200])
        sub = LcSubscriber.objects.filter(kind="person", person=person).first() or LcSubscriber.objects.create(
            kind="person", person=person, unit=person.unit, managing_unit=managing_unit(person.unit))
        cert = issued.certificate

        LcCertificate.objects.create(serial=issued.serial, issuer=cert.issuer.rfc4514_string()[:300],
                                   subject=cert.subject.rfc4514_string()[:500], not_before=issued.not_before,
                                   not_after=issued.not_after, status=LcCertStatus.ACTIVE, kind="person", subscriber=sub,
                                   source=LcSource.EMBEDDED, mobile_sim=True, issued=issued,
                                   effective_at=issued.not_before,
                                   der=cert.public_bytes(serialization.Encoding.DER))
    return cred


def usable_credentials(user):
    return (Credential.objects.filter(holder=user, enabled=True, certificate__status=CertStatus.GOOD,
                                      certificate__not_after__gt=timezone.now())
            .select_related("certificate__ca"))


def credential_of(user, credential_id: str) -> Credential:
    cred = (Credential.objects.filter(credential_id=str(credential_id or ""))
            .select_related("certificate__ca", "holder__person__unit").first())
    if cred is None or cred.holder_id != user.pk:
        raise NotFound("mobile.credential.not_found", _("No such credential."))
    return cred


def check_usable(cred: Credential) -> None:
    """Enabled, not locked by wrong PINs, certificate valid now."""
    _usable(cred)


def _usable(cred: Credential) -> None:
    if not cred.enabled:
        raise Forbidden("mobile.credential.disabled", _("The credential is disabled by an administrator."))
    pins.check_not_locked(cred.token_label)
    if cred.certificate.status != CertStatus.GOOD:
        raise Forbidden("mobile.certificate.not_good", _("The certificate is revoked or suspended."))
    if cred.certificate.not_after <= timezone.now():
        raise Forbidden("mobile.certificate.expired", _("The certificate has expired."))


def check_hashes(hashes, hash_algo: str, limit: int) -> list[bytes]:
    if hash_algo not in keys.HASH_SIZES:
        raise InvalidInput("mobile.hash.algorithm", _("Unsupported hash algorithm %(algo)s."), algo=hash_algo)
    if not isinstance(hashes, (list, tuple)) or not hashes:
        raise InvalidInput("mobile.hash.missing", _("At least one hash is needed."))
    if len(hashes) > limit:
        raise InvalidInput("mobile.hash.too_many", _("At most %(n)s hashes at once."), n=limit)
    out = []
    for h in hashes:
        if isinstance(h, str):
            try:
                h = base64.b64decode(h, validate=True)
            except ValueError:
                raise InvalidInput("mobile.hash.encoding", _("A hash is not valid base64.")) from None
        if not isinstance(h, (bytes, bytearray)) or len(h) != keys.HASH_SIZES[hash_algo]:
            raise InvalidInput("mobile.hash.length", _("A hash has the wrong length for %(algo)s."), algo=hash_algo)
        out.append(bytes(h))
    return out


# Steps of remote signing: each PIN is checked by the holder's token through `pki.pins` inside one of these,
# so a wrong PIN is counted (and locks the credential) wherever it is asked.
CONFIRM = steps.step("mobile.request.confirm")
CHANGE_PIN = steps.step("mobile.credential.pin_change")


def unlocked_key(cred: Credential, pin: str, attempt: steps.Attempt):
    """The credential's key after its token accepted `pin` (a wrong PIN is counted)."""
    try:
        return pins.unlock(cred.token_label, pin, attempt, wrong_code="mobile.pin.wrong").get(cred.key_label)
    except NotFound:
        raise Forbidden("mobile.key.unavailable", _("The signing key is not available.")) from None


def _sign_with_pin(cred: Credential, pin: str, digests: list[bytes], hash_name: str,
                   attempt: steps.Attempt) -> list[bytes]:
    key = unlocked_key(cred, pin, attempt)
    return [key.sign_digest(d, hash_name) for d in digests]


# --------------------------------------------------------------------------- asynchronous requests

def request_signature(*, signer, hashes: list, display_text: str, hash_algo: str = "sha256", channel: str = "auto",
                      requested_by=None, client_ref: str = "", credential: Credential | None = None) -> SignatureRequest:
    """Ask the holder to sign `hashes` on his phone; the caller polls `get_request` for the outcome."""
    display_text = " ".join(str(display_text or "").split())
    if not display_text:
        raise InvalidInput("mobile.display.missing", _("The text shown to the holder is missing."))
    if len(display_text) > 500:
        raise InvalidInput("mobile.display.too_long", _("The text shown to the holder is longer than 500 characters."))
    if credential is None:
        creds = list(usable_credentials(signer))
        if channel != "auto":
            creds = [c for c in creds if c.channel == channel]
        creds.sort(key=lambda c: (c.channel != Channel.SIM, -c.pk))
        if not creds:
            raise NotFound("mobile.credential.none", _("%(user)s has no usable mobile signing credential."),
                           user=str(signer))
        usable = [c for c in creds if _sim_line_refusal(c) is None]
        credential = (usable or creds)[0]
    _usable(credential)
    if (refusal := _sim_line_refusal(credential)) is not None:
        raise refusal
    if getattr(credential.holder, "person", None) is None:   # unlinked from his staff record: no one to tell, no unit
        raise InvalidInput("mobile.holder.no_person", _("The holder must be a staff member with a government e-mail."))
    digests = check_hashes(hashes, hash_algo, credential.multisign)
    if credential.channel == Channel.SIM and len(digests) != 1:
        raise InvalidInput("mobile.sim.one_hash", _("A SIM signs one hash per request."))
    with transaction.atomic(), audit.action("mobile.request.create"):
        req = SignatureRequest.objects.create(
            credential=credential, channel=credential.channel, hashes=[base64.b64encode(d).decode() for d in digests],
            hash_algo=hash_algo, display_text=display_text, requested_by=requested_by, client_ref=client_ref[:100],
            expires_at=timezone.now() + request_ttl())
        if credential.channel == Channel.SIM:
            answer = mssp.client().signature_request(msisdn=credential.msisdn, ap_trans_id=str(req.id),
                                                     data_to_be_signed=digests[0], data_to_be_displayed=display_text,
                                                     timeout=int(request_ttl().total_seconds()))
            if answer.ok:
                req.mssp_trans_id = answer.mssp_trans_id
            else:
                _finish(req, RequestState.FAILED, code=f"mssp.{answer.status_name.lower()}", message=answer.message)
            req.save()
        else:
            # The SMS carries the one-time code with the text: confirming on the phone proves the phone, not
            # only a password and a PIN (two things the holder knows).
            onetime.issue(credential, request=req)
            notify_person(credential.holder.person, _("Open Kyso on your phone to confirm: %(text)s")
                          % {"text": display_text[:120]}, subject=_("Signature request"), topic="mobile.request",
                          obj=req, sms=False)
    return req


# The SIM PKI registry (kyso.sims) tells whether a SIM's line is in service: a suspended or ended line cannot
# receive the carrier's prompt, so the request is refused at once with the reason instead of timing out.
_SIM_CHECKS: list = []


def add_sim_check(fn) -> None:
    """`fn(msisdn) -> KysoError | None`, asked before a SIM is sent a signature request."""
    if fn not in _SIM_CHECKS:
        _SIM_CHECKS.append(fn)


def _sim_line_refusal(cred: Credential):
    if cred.channel != Channel.SIM:
        return None
    for check in _SIM_CHECKS:
        refusal = check(cred.msisdn)
        if refusal is not None:
            return refusal
    return None


# Callers that wait for a request (the e-office waits for a leader's signature) register a hook under the
# prefix of their `client_ref`; it runs after the outcome is committed, so a failing hook never undoes it.
_HOOKS: dict[str, object] = {}


def on_decided(prefix: str, fn) -> None:
    """Call `fn(request_id)` after a request whose client_ref starts with `prefix` is decided."""
    _HOOKS[prefix] = fn


def _run_hooks(req: SignatureRequest) -> None:
    for prefix, fn in _HOOKS.items():
        if req.client_ref.startswith(prefix):
            pk = req.pk
            transaction.on_commit(lambda fn=fn, pk=pk: fn(pk))


def _finish(req: SignatureRequest, state: str, *, signatures=None, code: str = "", message: str = "") -> None:
    _run_hooks(req)
    req.state = state
    req.decided_at = timezone.now()
    if signatures is not None:
        req.signatures = [base64.b64encode(s).decode() for s in signatures]
    req.error_code, req.error_message = code[:64], str(message)[:300]


def get_request(request_id, *, user=None) -> SignatureRequest:
    """The request with its current state (expired when its time is up; a SIM request asks the carrier)."""

    try:
        req = SignatureRequest.objects.select_related("credential__certificate__ca", "credential__holder").get(
            pk=request_id)
    except (SignatureRequest.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound("mobile.request.not_found", _("No such signature request.")) from None
    if user is not None and user.pk not in (req.credential.holder_id, req.requested_by_id):
        raise NotFound("mobile.request.not_found", _("No such signature request."))
    if req.state != RequestState.PENDING:
        return req
    with transaction.atomic(), audit.action("mobile.request.refresh"):
        req = SignatureRequest.objects.select_for_update().get(pk=req.pk)
        if req.state != RequestState.PENDING:
            return req
        if req.channel == Channel.SIM and req.mssp_trans_id:
            _apply_mssp_status(req)
        if req.state == RequestState.PENDING and req.expires_at <= timezone.now():
            _finish(req, RequestState.EXPIRED, code="mobile.request.expired",
                    message=_("The holder did not answer in time."))
        if req.state != RequestState.PENDING:
            req.save()
    return req


def _apply_mssp_status(req: SignatureRequest) -> None:
    answer = mssp.client().status(req.mssp_trans_id, ap_trans_id=f"{req.id}-s{secrets.token_hex(3)}")
    if answer.status_name in ("SIGNATURE", "VALID_SIGNATURE") and answer.signature:
        _finish(req, RequestState.SIGNED, signatures=[answer.signature])
    elif answer.status_name == "OUTSTANDING_TRANSACTION":
        return
    elif answer.status_name == "USER_CANCEL":
        _finish(req, RequestState.REFUSED, code="mssp.user_cancel", message=_("The holder refused on his phone."))
    elif answer.status_name == "EXPIRED_TRANSACTION":
        _finish(req, RequestState.EXPIRED, code="mssp.expired_transaction",
                message=_("The holder did not answer in time."))
    else:
        _finish(req, RequestState.FAILED, code=f"mssp.{answer.status_name.lower()}", message=answer.message)


def _open_request_for(req_or_id, user) -> SignatureRequest:
    req = get_request(getattr(req_or_id, "pk", req_or_id))
    if req.credential.holder_id != user.pk:
        raise NotFound("mobile.request.not_found", _("No such signature request."))
    if req.state != RequestState.PENDING:
        raise InvalidState("mobile.request.closed", _("The request is no longer waiting (%(state)s)."),
                           state=req.get_state_display())
    return req


def confirm(request, user, pin, otp=None) -> SignatureRequest:
    """The holder confirms on his phone: the SIM signs with its PIN (the SIM is the phone); the HSM key (app)
    signs with his PIN and the one-time code sent to his phone for this request."""
    req = _open_request_for(request, user)
    pin = str(pin or "")
    if req.channel == Channel.SIM:
        simulator.phone_answer(req.credential.msisdn, req.mssp_trans_id, pin=pin)
        return get_request(req.pk)

    def body(attempt):
        _usable(req.credential)
        onetime.check(req.credential, otp, attempt, step=CONFIRM.name, request=req)
        signed_doc = None
        sigs = []
        if req.document_id:
            signed = sign_document(req.credential, unlocked_key(req.credential, pin, attempt), read(req.document),
                                    req.document_format, req.document_level)
            signed_doc = store(signed, name=f"signed-{req.document.name}", purpose="mobile.signed",
                               media_type=MEDIA[req.document_format], unit_path=req.unit_path)
        else:
            sigs = _sign_with_pin(req.credential, pin, [base64.b64decode(h) for h in req.hashes], req.hash_algo,
                                  attempt)
        current = SignatureRequest.objects.select_for_update().get(pk=req.pk)
        if current.state != RequestState.PENDING:
            raise InvalidState("mobile.request.closed", _("The request is no longer waiting (%(state)s)."),
                               state=current.get_state_display())
        if signed_doc is not None:
            current.signed_document = signed_doc
        _finish(current, RequestState.SIGNED, signatures=sigs)
        current.save()
        return current

    return steps.run(CONFIRM, body, actor=user, obj=req)


CODES_PER_REQUEST = 3


def resend_code(request, user) -> None:
    """The SMS did not come, or its code ran out: a new code for the same request (three at most, then the
    requester asks again)."""
    req = _open_request_for(request, user)
    if req.channel != Channel.APP:
        raise InvalidState("mobile.otp.not_needed", _("A PKI SIM is confirmed with the SIM's own PIN."))
    if req.otps.count() >= CODES_PER_REQUEST:
        raise InvalidState("mobile.otp.too_many", _("No more codes for this request: ask for the signature again."))
    onetime.issue(req.credential, request=req)


def refuse(request, user) -> SignatureRequest:
    req = _open_request_for(request, user)
    if req.channel == Channel.SIM:
        simulator.phone_answer(req.credential.msisdn, req.mssp_trans_id, cancel=True)
        return get_request(req.pk)
    with transaction.atomic(), audit.action("mobile.request.refuse"):
        req = SignatureRequest.objects.select_for_update().get(pk=req.pk)
        _finish(req, RequestState.REFUSED, code="mobile.request.refused", message=_("The holder refused."))
        req.save()
    return req


def pending_for(user):
    """The holder's open requests, newest first (the phone page)."""
    return (SignatureRequest.objects.filter(credential__holder=user, state=RequestState.PENDING,
                                            expires_at__gt=timezone.now())
            .select_related("credential__certificate", "requested_by"))


def change_pin(cred: Credential, user, old_pin: str, new_pin: str) -> None:
    """The holder changes his PIN (remote-signing credentials; a SIM's PIN is changed on the phone)."""
    if cred.holder_id != user.pk:
        raise NotFound("mobile.credential.not_found", _("No such credential."))
    if cred.channel != Channel.APP:
        raise InvalidState("mobile.pin.sim", _("A SIM's PIN is changed on the phone."))
    new_pin = keys.check_pin_format(new_pin)

    def body(attempt):
        _usable(cred)
        keys.set_pin(pins.unlock(cred.token_label, old_pin, attempt, wrong_code="mobile.pin.wrong"),
                     str(old_pin or ""), new_pin)

    steps.run(CHANGE_PIN, body, actor=user, obj=cred)


def request_document_signature(*, signer, data: bytes, name: str, fmt: str, level: str, display_text: str,
                               requested_by=None, credential: Credential | None = None,
                               client_ref: str = "") -> SignatureRequest:
    """Ask the holder to confirm on his phone; Kyso then signs the whole document with his HSM key."""

    data, fmt, level = check_document(data, fmt, level)
    if credential is not None and credential.channel != Channel.APP:
        raise InvalidInput("mobile.document.sim", _("A SIM signs hashes only: sign the document's hash instead."))
    if credential is None:
        creds = [c for c in usable_credentials(signer) if c.channel == Channel.APP]
        if not creds:
            raise NotFound("mobile.credential.none", _("%(user)s has no usable mobile signing credential."),
                           user=str(signer))
        credential = creds[0]
    with transaction.atomic(), audit.action("mobile.request.document"):
        req = request_signature(signer=signer, hashes=[hashlib.sha256(data).digest()], display_text=display_text,
                                requested_by=requested_by, credential=credential, client_ref=client_ref)
        req.document = store(data, name=name or "document", media_type=MEDIA[fmt], purpose="mobile.to_sign",
                             unit_path=credential.unit_path)
        req.document_format, req.document_level = fmt, level
        req.save(update_fields=["document", "document_format", "document_level"])
    return req
