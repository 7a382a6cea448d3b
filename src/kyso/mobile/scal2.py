"""The CSC API's synchronous remote signing (SCAL2): service tokens, the SMS one-time code, the SAD, signHash
and signDoc.

The holder authorises a batch: `authorize` takes his PIN (checked by his token), the one-time code and the
exact hashes, and returns a SAD bound to those hashes, counted down (`numSignatures`) and short-lived. A
`signHash` call then signs any of them — all at once or a few per call — and each hash only once: a hash
outside the list, a count spent or an expired SAD is refused. Each signHash is one step with one audit record
naming every hash it signed (not one record per signature); the token stays logged in per process and its
key object is found once (`pki.keystore`), so a batch costs little more than the token's own signatures.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import secrets
from collections import Counter

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyso import audit
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput

from . import keys, onetime
from .documents import check_document, sign_document
from .models import AccessToken, Authorization, Credential
from .services import check_hashes, check_usable, unlocked_key

SAD_TTL = dt.timedelta(minutes=5)
TOKEN_TTL = dt.timedelta(hours=1)
MAX_HASHES = 100          # hashes in one signHash call

AUTHORIZE = steps.step("mobile.authorize")
SIGN_HASH = steps.step("mobile.sign_hash")
SIGN_DOC = steps.step("mobile.sign_doc")


def _digest(value: str | bytes) -> str:
    if isinstance(value, str):
        value = value.encode()
    return hashlib.sha256(value).hexdigest()


# --------------------------------------------------------------------------- service tokens

def login(username: str, password: str):
    """`auth/login`: HTTP Basic credentials → a bearer token (returned once, stored hashed)."""

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


# --------------------------------------------------------------------------- one-time code

def send_otp(cred: Credential) -> None:
    """`credentials/sendOTP`: a code for the credential's next authorisation (`onetime`)."""
    check_usable(cred)
    onetime.issue(cred)


# --------------------------------------------------------------------------- SAD

def _sad_key() -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=b"kyso-sad", info=b"csc").derive(settings.KYSO_SAD_KEY.encode())


def authorize(cred: Credential, *, pin: str, otp: str, hashes: list | None, hash_algo: str = "sha256",
              num_signatures: int | None = None, description: str = "") -> tuple[str, int]:
    """`credentials/authorize` (explicit, SCAL2): PIN + one-time code → a SAD for exactly these hashes, each
    to be signed once, within `SAD_TTL`.

    The PIN travels inside the SAD, encrypted with a server key, so the token can be unlocked at
    `signHash` time without the PIN being stored anywhere."""
    check_usable(cred)
    digests = check_hashes(hashes or [], hash_algo, cred.multisign)
    n = int(num_signatures or len(digests))
    if n != len(digests):
        raise InvalidInput("mobile.authorize.count", _("numSignatures must equal the number of hashes (SCAL2)."))
    keys.check_pin_format(pin)
    nonce = os.urandom(12)
    authz_id = secrets.token_hex(8)
    blob = AESGCM(_sad_key()).encrypt(nonce, pin.encode(), authz_id.encode())
    sad = f"{authz_id}.{base64.urlsafe_b64encode(nonce + blob).decode().rstrip('=')}"

    def body(attempt):
        onetime.check(cred, otp, attempt, step=AUTHORIZE.name)
        unlocked_key(cred, pin, attempt)  # the token checks the PIN: sign nothing, just log in
        Authorization.objects.create(credential=cred, sad_hash=_digest(sad),
                                     hashes=[base64.b64encode(d).decode() for d in digests], hash_algo=hash_algo,
                                     num_signatures=n, remaining=n, expires_at=timezone.now() + SAD_TTL,
                                     description=str(description or "")[:500])

    steps.run(AUTHORIZE, body, actor=cred.holder, obj=cred)
    return sad, int(SAD_TTL.total_seconds())


def _pin_from_sad(sad: str) -> str:
    try:
        authz_id, blob = sad.split(".", 1)
        raw = base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4))
        return AESGCM(_sad_key()).decrypt(raw[:12], raw[12:], authz_id.encode()).decode()
    except Exception:  # noqa: BLE001 - any damage: the SAD is not ours
        raise Forbidden("mobile.sad.invalid", _("The authorisation (SAD) is not valid.")) from None


def _spend(cred: Credential, sad: str, wanted: list[str], hash_name: str) -> tuple[Authorization, list[str]]:
    """Lock the SAD's authorisation and check that it still covers every hash in `wanted` (each authorised
    hash once, with the algorithm authorised, at most `remaining` signatures, not expired); the hashes it
    will still cover afterwards."""
    authz = (Authorization.objects.select_for_update()
             .filter(credential=cred, sad_hash=_digest(sad)).first())
    if authz is None:
        raise Forbidden("mobile.sad.invalid", _("The authorisation (SAD) is not valid or has expired."))
    if authz.expires_at <= timezone.now():
        raise Forbidden("mobile.sad.expired", _("The authorisation (SAD) has expired: authorise again."))
    if authz.hash_algo and authz.hash_algo != hash_name:
        raise Forbidden("mobile.sad.hash_algorithm", _("The hashes were authorised with another hash algorithm."))
    count = Counter(authz.hashes)
    count.subtract(wanted)
    if any(v < 0 for v in count.values()):
        raise Forbidden("mobile.sad.hash_not_authorized", _("A hash was not authorised by the holder."))
    if len(wanted) > authz.remaining:
        raise Forbidden("mobile.sad.exhausted", _("The authorisation covers no more signatures."))
    left = []
    for h in authz.hashes:          # in the authorised order, each as often as it is still covered
        if count[h] > 0:
            left.append(h)
            count[h] -= 1
    authz.credential = cred
    return authz, left


def _record_spent(authz: Authorization, left: list[str], signed: list[str], action: str) -> None:
    """Count the signatures down (a conditional update: two calls cannot spend the same count) and write
    one audit record naming every hash signed in this call."""
    done = Authorization.objects.filter(pk=authz.pk, remaining=authz.remaining).update(
        hashes=left, remaining=authz.remaining - len(signed))
    if done != 1:
        raise Forbidden("mobile.sad.exhausted", _("The authorisation covers no more signatures."))
    audit.record(action, authz, before={"remaining": authz.remaining},
                 after={"remaining": authz.remaining - len(signed), "signed": signed})


def sign_hash(cred: Credential, *, sad: str, hashes: list, hash_algo: str | None, sign_algo: str) -> list[bytes]:
    """`signatures/signHash` with a SAD: up to `MAX_HASHES` authorised hashes per call, each signed once."""
    check_usable(cred)
    algo = keys.SIGN_ALGOS.get(str(sign_algo or ""))
    if algo is None:
        raise InvalidInput("mobile.sign_algo.unsupported", _("Unsupported signature algorithm %(oid)s."), oid=sign_algo)
    key_type, implied_hash = algo

    cert_key = "ec" if isinstance(cred.certificate.certificate.public_key(), ec.EllipticCurvePublicKey) else "rsa"
    if key_type != cert_key:
        raise InvalidInput("mobile.sign_algo.key_mismatch", _("The signature algorithm does not fit the key."))
    hash_name = implied_hash or keys.HASH_OIDS.get(str(hash_algo or ""), "")
    if hash_algo and implied_hash and keys.HASH_OIDS.get(str(hash_algo)) not in (None, implied_hash):
        raise InvalidInput("mobile.hash.algorithm", _("hashAlgo does not match signAlgo."))
    if not hash_name:
        raise InvalidInput("mobile.hash.algorithm", _("Unsupported hash algorithm %(algo)s."), algo=hash_algo)
    digests = check_hashes(hashes, hash_name, MAX_HASHES)
    pin = _pin_from_sad(str(sad or ""))
    wanted = [base64.b64encode(d).decode() for d in digests]

    def body(attempt):
        authz, left = _spend(cred, sad, wanted, hash_name)
        key = unlocked_key(cred, pin, attempt)
        sigs = [key.sign_digest(d, hash_name) for d in digests]
        _record_spent(authz, left, wanted, SIGN_HASH.name)
        return sigs

    return steps.run(SIGN_HASH, body, actor=cred.holder, obj=cred)


# --------------------------------------------------------------------------- whole documents (CSC signDoc)

def sign_documents(cred: Credential, *, sad: str, documents: list[tuple[bytes, str, str]]) -> list[bytes]:
    """`signatures/signDoc` with a SAD: the holder authorised the SHA-256 of each document (SCAL2)."""
    check_usable(cred)
    docs = [check_document(*d) for d in documents]
    if not docs:
        raise InvalidInput("mobile.document.missing", _("At least one document is needed."))
    pin = _pin_from_sad(str(sad or ""))
    wanted = [base64.b64encode(hashlib.sha256(data).digest()).decode() for data, _fmt, _lvl in docs]

    def body(attempt):
        authz, left = _spend(cred, sad, wanted, "sha256")
        key = unlocked_key(cred, pin, attempt)
        out = [sign_document(cred, key, data, fmt, lvl) for data, fmt, lvl in docs]
        _record_spent(authz, left, wanted, SIGN_DOC.name)
        return out

    return steps.run(SIGN_DOC, body, actor=cred.holder, obj=cred)
