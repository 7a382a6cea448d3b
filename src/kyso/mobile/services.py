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
import hmac
import os
import re
import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyso import audit
from kyso.core.errors import Forbidden, InvalidInput, InvalidState, NotFound

from . import keys
from .models import (AccessToken, Authorization, Channel, Credential, OtpChallenge, RequestState, SignatureRequest,
                     SimCard)

MAX_PIN_FAILURES = 5
OTP_TTL = dt.timedelta(minutes=5)
SAD_TTL = dt.timedelta(minutes=5)
TOKEN_TTL = dt.timedelta(hours=1)
MAX_HASHES = 100


def request_ttl() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "KYSO_MOBILE_REQUEST_TTL", 180)))


def _digest(value: str | bytes) -> str:
    if isinstance(value, str):
        value = value.encode()
    return hashlib.sha256(value).hexdigest()


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
    from kyso.lifecycle.models import Certificate, CertStatus, Source, Subscriber
    from kyso.lifecycle.services import managing_unit
    from kyso.pki.issuance import SubjectInfo

    if channel not in Channel.values:
        raise InvalidInput("mobile.channel.unknown", _("Unknown channel %(channel)s."), channel=channel)
    person = getattr(user, "person", None)
    if person is None or not person.email:
        raise InvalidInput("mobile.holder.no_person", _("The holder must be a staff member with a government e-mail."))
    pin = keys.check_pin_format(pin)
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
        sub = Subscriber.objects.filter(kind="person", person=person).first() or Subscriber.objects.create(
            kind="person", person=person, unit=person.unit, managing_unit=managing_unit(person.unit))
        cert = issued.certificate
        from cryptography.hazmat.primitives import serialization

        Certificate.objects.create(serial=issued.serial, issuer=cert.issuer.rfc4514_string()[:300],
                                   subject=cert.subject.rfc4514_string()[:500], not_before=issued.not_before,
                                   not_after=issued.not_after, status=CertStatus.ACTIVE, kind="person", subscriber=sub,
                                   source=Source.EMBEDDED, mobile_sim=True, issued=issued,
                                   effective_at=issued.not_before,
                                   der=cert.public_bytes(serialization.Encoding.DER))
    return cred


def usable_credentials(user):
    from kyso.pki.models import CertStatus

    return (Credential.objects.filter(holder=user, enabled=True, certificate__status=CertStatus.GOOD,
                                      certificate__not_after__gt=timezone.now())
            .select_related("certificate__ca"))


def credential_of(user, credential_id: str) -> Credential:
    cred = Credential.objects.filter(credential_id=str(credential_id or "")).select_related("certificate__ca").first()
    if cred is None or cred.holder_id != user.pk:
        raise NotFound("mobile.credential.not_found", _("No such credential."))
    return cred


def _usable(cred: Credential) -> None:
    from kyso.pki.models import CertStatus

    if not cred.enabled:
        raise Forbidden("mobile.credential.disabled", _("The credential is disabled (too many wrong PINs or by "
                                                        "an administrator)."))
    if cred.certificate.status != CertStatus.GOOD:
        raise Forbidden("mobile.certificate.not_good", _("The certificate is revoked or suspended."))
    if cred.certificate.not_after <= timezone.now():
        raise Forbidden("mobile.certificate.expired", _("The certificate has expired."))


def _check_hashes(hashes, hash_algo: str, limit: int) -> list[bytes]:
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


def _pin_failed(cred: Credential) -> None:
    """Count a wrong PIN in its own transaction (it must survive the caller's rollback)."""
    with transaction.atomic(), audit.action("mobile.credential.pin_failed"):
        cred = Credential.objects.select_for_update().get(pk=cred.pk)
        cred.failed_pins += 1
        if cred.failed_pins >= MAX_PIN_FAILURES:
            cred.enabled = False
        cred.save(update_fields=["failed_pins", "enabled"])


def _pin_ok(cred: Credential) -> None:
    if cred.failed_pins:
        with transaction.atomic(), audit.action("mobile.credential.pin_ok"):
            cred.failed_pins = 0
            cred.save(update_fields=["failed_pins"])


def _sign_with_pin(cred: Credential, pin: str, digests: list[bytes], hash_name: str) -> list[bytes]:
    try:
        sigs = keys.sign_digests(cred.token_label, cred.key_label, pin, digests, hash_name)
    except Forbidden as exc:
        if exc.code == "mobile.pin.wrong":
            _pin_failed(cred)
        raise
    _pin_ok(cred)
    return sigs


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
    digests = _check_hashes(hashes, hash_algo, credential.multisign)
    if credential.channel == Channel.SIM and len(digests) != 1:
        raise InvalidInput("mobile.sim.one_hash", _("A SIM signs one hash per request."))
    with transaction.atomic(), audit.action("mobile.request.create"):
        req = SignatureRequest.objects.create(
            credential=credential, channel=credential.channel, hashes=[base64.b64encode(d).decode() for d in digests],
            hash_algo=hash_algo, display_text=display_text, requested_by=requested_by, client_ref=client_ref[:100],
            expires_at=timezone.now() + request_ttl())
        if credential.channel == Channel.SIM:
            from . import mssp

            answer = mssp.client().signature_request(msisdn=credential.msisdn, ap_trans_id=str(req.id),
                                                     data_to_be_signed=digests[0], data_to_be_displayed=display_text,
                                                     timeout=int(request_ttl().total_seconds()))
            if answer.ok:
                req.mssp_trans_id = answer.mssp_trans_id
            else:
                _finish(req, RequestState.FAILED, code=f"mssp.{answer.status_name.lower()}", message=answer.message)
            req.save()
        else:
            from kyso.notify.services import notify_person

            person = credential.holder.person
            notify_person(person, _("Open Kyso on your phone to confirm: %(text)s") % {"text": display_text[:120]},
                          subject=_("Signature request"), topic="mobile.request", obj=req, sms=True)
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
    from django.core.exceptions import ValidationError

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
    from . import mssp

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
    """The holder confirms on his phone: the HSM (app) or the SIM signs with his PIN."""
    req = _open_request_for(request, user)
    pin = str(pin or "")
    if req.channel == Channel.SIM:
        from . import simulator

        simulator.phone_answer(req.credential.msisdn, req.mssp_trans_id, pin=pin)
        return get_request(req.pk)
    _usable(req.credential)
    signed_doc = None
    if req.document_id:
        from kyso.files.storage import read, store

        signed = _sign_document_with_pin(req.credential, pin, read(req.document), req.document_format,
                                         req.document_level)
        signed_doc = (signed, req.document.name)
        sigs = []
    else:
        sigs = _sign_with_pin(req.credential, pin, [base64.b64decode(h) for h in req.hashes], req.hash_algo)
    with transaction.atomic(), audit.action("mobile.request.confirm"):
        req = SignatureRequest.objects.select_for_update().get(pk=req.pk)
        if req.state != RequestState.PENDING:
            raise InvalidState("mobile.request.closed", _("The request is no longer waiting (%(state)s)."),
                               state=req.get_state_display())
        if signed_doc is not None:
            req.signed_document = store(signed_doc[0], name=f"signed-{signed_doc[1]}", purpose="mobile.signed",
                                        media_type=_MEDIA[req.document_format], unit_path=req.unit_path)
        _finish(req, RequestState.SIGNED, signatures=sigs)
        req.save()
    return req


def refuse(request, user) -> SignatureRequest:
    req = _open_request_for(request, user)
    if req.channel == Channel.SIM:
        from . import simulator

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


# --------------------------------------------------------------------------- CSC: tokens, OTP, SAD

def login(username: str, password: str):
    """`auth/login`: HTTP Basic credentials → a bearer token (returned once, stored hashed)."""
    from django.contrib.auth import authenticate

    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise Forbidden("mobile.auth.invalid", _("Wrong user name or password."))
    raw = secrets.token_urlsafe(32)
    with transaction.atomic(), audit.action("mobile.auth.login"):
        AccessToken.objects.create(user=user, token_hash=_digest(raw), expires_at=timezone.now() + TOKEN_TTL)
    return user, raw, int(TOKEN_TTL.total_seconds())


def user_for_token(raw: str):
    tok = AccessToken.objects.filter(token_hash=_digest(raw or ""), revoked=False,
                                     expires_at__gt=timezone.now()).select_related("user").first()
    return tok.user if tok and tok.user.is_active else None


def revoke_token(raw: str) -> None:
    with transaction.atomic(), audit.action("mobile.auth.revoke"):
        AccessToken.objects.filter(token_hash=_digest(raw or "")).update(revoked=True)


def send_otp(cred: Credential) -> None:
    """Send a 6-digit one-time code to the holder's mobile phone by SMS (the second SCAL2 factor)."""
    from kyso.notify.models import Channel as NotifyChannel
    from kyso.notify.services import notify

    _usable(cred)
    phone = cred.msisdn or getattr(cred.holder.person, "phone_mobile", "")
    if not phone:
        raise InvalidState("mobile.otp.no_phone", _("The holder has no mobile phone number for the one-time code."))
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic(), audit.action("mobile.otp.send"):
        OtpChallenge.objects.filter(credential=cred, used=False).update(used=True)
        OtpChallenge.objects.create(credential=cred, code_hash=_digest(f"{cred.pk}:{code}"),
                                    expires_at=timezone.now() + OTP_TTL)
        notify(NotifyChannel.SMS, phone, _("Kyso: your one-time signing code is %(code)s (valid 5 minutes).")
               % {"code": code}, topic="mobile.otp")


def _check_otp(cred: Credential, otp: str) -> None:
    ch = OtpChallenge.objects.filter(credential=cred, used=False, expires_at__gt=timezone.now()).order_by("-pk").first()
    if ch is None:
        raise Forbidden("mobile.otp.missing", _("Ask for a one-time code first (it may have expired)."))
    ok = hmac.compare_digest(ch.code_hash, _digest(f"{cred.pk}:{str(otp or '').strip()}"))
    with transaction.atomic(), audit.action("mobile.otp.check"):
        ch.attempts += 1
        ch.used = ok or ch.attempts >= 3
        ch.save(update_fields=["attempts", "used"])
    if not ok:
        raise Forbidden("mobile.otp.wrong", _("The one-time code is wrong."))


def _sad_key() -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=b"kyso-sad", info=b"csc").derive(settings.SECRET_KEY.encode())


def authorize(cred: Credential, *, pin: str, otp: str, hashes: list | None, hash_algo: str = "sha256",
              num_signatures: int | None = None, description: str = "") -> tuple[str, int]:
    """`credentials/authorize` (explicit, SCAL2): PIN + one-time code → a SAD for exactly these hashes.

    The PIN travels inside the SAD, encrypted with a server key, so the token can be unlocked at
    `signHash` time without the PIN being stored anywhere."""
    _usable(cred)
    digests = _check_hashes(hashes or [], hash_algo, cred.multisign)
    n = int(num_signatures or len(digests))
    if n != len(digests):
        raise InvalidInput("mobile.authorize.count", _("numSignatures must equal the number of hashes (SCAL2)."))
    _check_otp(cred, otp)
    keys.check_pin_format(pin)
    # The token checks the PIN: sign nothing, just log in.
    try:
        keys.sign_digests(cred.token_label, cred.key_label, pin, [], hash_algo)
    except Forbidden as exc:
        if exc.code == "mobile.pin.wrong":
            _pin_failed(cred)
        raise
    nonce = os.urandom(12)
    authz_id = secrets.token_hex(8)
    blob = AESGCM(_sad_key()).encrypt(nonce, pin.encode(), authz_id.encode())
    sad = f"{authz_id}.{base64.urlsafe_b64encode(nonce + blob).decode().rstrip('=')}"
    with transaction.atomic(), audit.action("mobile.authorize"):
        _pin_ok(cred)
        Authorization.objects.create(credential=cred, sad_hash=_digest(sad),
                                     hashes=[base64.b64encode(d).decode() for d in digests], hash_algo=hash_algo,
                                     num_signatures=n, remaining=n, expires_at=timezone.now() + SAD_TTL,
                                     description=str(description or "")[:500])
    return sad, int(SAD_TTL.total_seconds())


def _pin_from_sad(sad: str) -> str:
    try:
        authz_id, blob = sad.split(".", 1)
        raw = base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4))
        return AESGCM(_sad_key()).decrypt(raw[:12], raw[12:], authz_id.encode()).decode()
    except Exception:  # noqa: BLE001 - any damage: the SAD is not ours
        raise Forbidden("mobile.sad.invalid", _("The authorisation (SAD) is not valid.")) from None


def sign_hash(cred: Credential, *, sad: str, hashes: list, hash_algo: str | None, sign_algo: str) -> list[bytes]:
    """`signatures/signHash` with a SAD: each authorised hash can be signed once."""
    _usable(cred)
    algo = keys.SIGN_ALGOS.get(str(sign_algo or ""))
    if algo is None:
        raise InvalidInput("mobile.sign_algo.unsupported", _("Unsupported signature algorithm %(oid)s."), oid=sign_algo)
    key_type, implied_hash = algo
    from cryptography.hazmat.primitives.asymmetric import ec

    cert_key = "ec" if isinstance(cred.certificate.certificate.public_key(), ec.EllipticCurvePublicKey) else "rsa"
    if key_type != cert_key:
        raise InvalidInput("mobile.sign_algo.key_mismatch", _("The signature algorithm does not fit the key."))
    hash_name = implied_hash or keys.HASH_OIDS.get(str(hash_algo or ""), "")
    if hash_algo and implied_hash and keys.HASH_OIDS.get(str(hash_algo)) not in (None, implied_hash):
        raise InvalidInput("mobile.hash.algorithm", _("hashAlgo does not match signAlgo."))
    if not hash_name:
        raise InvalidInput("mobile.hash.algorithm", _("Unsupported hash algorithm %(algo)s."), algo=hash_algo)
    digests = _check_hashes(hashes, hash_name, MAX_HASHES)
    pin = _pin_from_sad(str(sad or ""))
    with transaction.atomic(), audit.action("mobile.sign_hash"):
        authz = (Authorization.objects.select_for_update()
                 .filter(credential=cred, sad_hash=_digest(sad), expires_at__gt=timezone.now()).first())
        if authz is None:
            raise Forbidden("mobile.sad.invalid", _("The authorisation (SAD) is not valid or has expired."))
        wanted = [base64.b64encode(d).decode() for d in digests]
        left = list(authz.hashes)
        for w in wanted:
            if w not in left:
                raise Forbidden("mobile.sad.hash_not_authorized", _("A hash was not authorised by the holder."))
            left.remove(w)
        if len(wanted) > authz.remaining:
            raise Forbidden("mobile.sad.exhausted", _("The authorisation covers no more signatures."))
        sigs = keys.sign_digests(cred.token_label, cred.key_label, pin, digests, hash_name)
        authz.hashes = left
        authz.remaining -= len(wanted)
        authz.save(update_fields=["hashes", "remaining"])
    return sigs


# --------------------------------------------------------------------------- administration

def enrol_for(officer, holder, *, channel: str, msisdn: str = "", key_spec: str = "rsa2048") -> Credential:
    """An IT officer enrols a credential for a holder in his scope; the initial PIN goes to the holder
    alone, by SMS, and he is told to change it (`change_pin`)."""
    from kyso.accounts import scope
    from kyso.notify.models import Channel as NotifyChannel
    from kyso.notify.services import notify

    from .permissions import MOBILE_MANAGE

    person = getattr(holder, "person", None)
    scope.require(officer, MOBILE_MANAGE, person.unit if person else None)
    phone = msisdn or (person.phone_mobile if person else "")
    if not phone:
        raise InvalidInput("mobile.holder.no_phone", _("The holder has no mobile phone number for the initial PIN."))
    pin = f"{secrets.randbelow(10**6):06d}"
    cred = enrol_credential(holder, channel=channel, pin=pin, msisdn=msisdn, key_spec=key_spec)
    notify(NotifyChannel.SMS, normalize_msisdn(phone), _("Kyso: your signing PIN is %(pin)s. Change it on first use.")
           % {"pin": pin}, topic="mobile.initial_pin", obj=cred)
    return cred


def set_enabled(officer, cred: Credential, enabled: bool) -> Credential:
    from kyso.accounts import scope

    from .permissions import MOBILE_MANAGE

    person = getattr(cred.holder, "person", None)
    scope.require(officer, MOBILE_MANAGE, person.unit if person else None)
    with transaction.atomic(), audit.action("mobile.credential.enable" if enabled else "mobile.credential.disable"):
        cred.enabled = enabled
        if enabled:
            cred.failed_pins = 0
        cred.save(update_fields=["enabled", "failed_pins"])
    return cred


def change_pin(cred: Credential, user, old_pin: str, new_pin: str) -> None:
    """The holder changes his PIN (remote-signing credentials; a SIM's PIN is changed on the phone)."""
    if cred.holder_id != user.pk:
        raise NotFound("mobile.credential.not_found", _("No such credential."))
    if cred.channel != Channel.APP:
        raise InvalidState("mobile.pin.sim", _("A SIM's PIN is changed on the phone."))
    _usable(cred)
    try:
        keys.change_pin(cred.token_label, old_pin, new_pin)
    except Forbidden as exc:
        if exc.code == "mobile.pin.wrong":
            _pin_failed(cred)
        raise
    with transaction.atomic(), audit.action("mobile.credential.pin_changed"):
        cred.failed_pins = 0
        cred.save(update_fields=["failed_pins"])


# --------------------------------------------------------------------------- whole documents (CSC signDoc)

_MEDIA = {"P": "application/pdf", "X": "application/xml"}
LEVELS = {"Ades-B-B": "B-B", "Ades-B-T": "B-T", "Ades-B-LT": "B-LT", "AdES-B-B": "B-B", "AdES-B-T": "B-T",
          "AdES-B-LT": "B-LT", "B-B": "B-B", "B-T": "B-T", "B-LT": "B-LT", "": "B-T"}
MAX_DOCUMENT = 20 * 1024 * 1024


def check_document(data: bytes, fmt: str, level: str) -> tuple[bytes, str, str]:
    if fmt not in _MEDIA:
        raise InvalidInput("mobile.document.format", _("signature_format must be P (PDF) or X (XML)."))
    lvl = LEVELS.get(str(level or ""))
    if lvl is None or (fmt == "X" and lvl == "B-LT"):
        raise InvalidInput("mobile.document.level", _("Unsupported conformance level %(level)s."), level=level)
    if not data:
        raise InvalidInput("mobile.document.empty", _("The document is empty."))
    if len(data) > MAX_DOCUMENT:
        raise InvalidInput("mobile.document.too_large", _("The document is larger than 20 MB."))
    return data, fmt, lvl


def _sign_document_with_pin(cred: Credential, pin: str, data: bytes, fmt: str, level: str) -> bytes:
    """Sign the whole document with the holder's key (PAdES or XAdES, through the signing app)."""
    from kyso.signing.pdf import sign_pdf
    from kyso.signing.xml import sign_xml

    try:
        key = keys.unlocked_key(cred.token_label, cred.key_label, pin)
    except Forbidden as exc:
        if exc.code == "mobile.pin.wrong":
            _pin_failed(cred)
        raise
    _pin_ok(cred)
    cert = cred.certificate.certificate
    chain = SignatureRequest(credential=cred).chain_certificates()
    if fmt == "P":
        return sign_pdf(data, key, cert, chain=chain, level=level)
    return sign_xml(data, key, cert, chain=chain, level=level)


def sign_documents(cred: Credential, *, sad: str, documents: list[tuple[bytes, str, str]]) -> list[bytes]:
    """`signatures/signDoc` with a SAD: the holder authorised the SHA-256 of each document (SCAL2)."""
    _usable(cred)
    docs = [check_document(*d) for d in documents]
    if not docs:
        raise InvalidInput("mobile.document.missing", _("At least one document is needed."))
    pin = _pin_from_sad(str(sad or ""))
    with transaction.atomic(), audit.action("mobile.sign_doc"):
        authz = (Authorization.objects.select_for_update()
                 .filter(credential=cred, sad_hash=_digest(sad), expires_at__gt=timezone.now()).first())
        if authz is None:
            raise Forbidden("mobile.sad.invalid", _("The authorisation (SAD) is not valid or has expired."))
        left = list(authz.hashes)
        for data, _fmt, _lvl in docs:
            h = base64.b64encode(hashlib.sha256(data).digest()).decode()
            if h not in left:
                raise Forbidden("mobile.sad.hash_not_authorized", _("A hash was not authorised by the holder."))
            left.remove(h)
        out = [_sign_document_with_pin(cred, pin, data, fmt, lvl) for data, fmt, lvl in docs]
        authz.hashes = left
        authz.remaining -= len(docs)
        authz.save(update_fields=["hashes", "remaining"])
    return out


def request_document_signature(*, signer, data: bytes, name: str, fmt: str, level: str, display_text: str,
                               requested_by=None, credential: Credential | None = None,
                               client_ref: str = "") -> SignatureRequest:
    """Ask the holder to confirm on his phone; Kyso then signs the whole document with his HSM key."""
    from kyso.files.storage import store

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
        req.document = store(data, name=name or "document", media_type=_MEDIA[fmt], purpose="mobile.to_sign",
                             unit_path=credential.unit_path)
        req.document_format, req.document_level = fmt, level
        req.save(update_fields=["document", "document_format", "document_level"])
    return req
