"""The holder's key inside a token: SoftHSM stands in for the remote-signing HSM partition and for
the PKI SIM. The PIN is checked by the token itself (C_Login), never by us."""

from __future__ import annotations

import os
import secrets

import pkcs11
from django.conf import settings
from django.utils.translation import gettext as _

from kyso.core.errors import Forbidden, InvalidInput
from kyso.pki import keystore
from kyso.pki.issuance import SubjectInfo, issue_on_token

SIGN_ALGOS = {
    # OID → (key type, hash name or None when the hash comes from hashAlgo)
    "1.2.840.113549.1.1.11": ("rsa", "sha256"),
    "1.2.840.113549.1.1.12": ("rsa", "sha384"),
    "1.2.840.113549.1.1.13": ("rsa", "sha512"),
    "1.2.840.113549.1.1.1": ("rsa", None),
    "1.2.840.10045.4.3.2": ("ec", "sha256"),
    "1.2.840.10045.4.3.3": ("ec", "sha384"),
    "1.2.840.10045.4.3.4": ("ec", "sha512"),
    "1.2.840.10045.2.1": ("ec", None),
}
HASH_OIDS = {"2.16.840.1.101.3.4.2.1": "sha256", "2.16.840.1.101.3.4.2.2": "sha384",
             "2.16.840.1.101.3.4.2.3": "sha512"}
HASH_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}


def check_pin_format(pin) -> str:
    pin = str(pin or "")
    if not (pin.isdigit() and 6 <= len(pin) <= 12):
        raise InvalidInput("mobile.pin.format", _("The PIN is 6 to 12 digits."))
    return pin


def new_token_with_certificate(token_label: str, pin: str, subject: SubjectInfo, *, days: int, key_spec: str):
    """Create a token (the HSM partition or the SIM), generate a non-extractable key in it and certify it."""
    keystore.init_softhsm_token(token_label, pin, secrets.token_hex(8))
    issued = issue_on_token(token_label, pin, "person", subject, days, key_spec=key_spec)
    key_label = issued.key_location.rsplit("object=", 1)[1]
    return issued, key_label


def token_label_for(prefix: str) -> str:
    return f"{prefix}-{os.urandom(5).hex()}"


def sign_digests(token_label: str, key_label: str, pin: str, digests: list[bytes], hash_name: str) -> list[bytes]:
    """Log in to the token with the PIN and sign each digest (PKCS#1 v1.5 or ECDSA, DER).

    Used by the SIM simulator, whose SIM keeps its own PIN tries; holders' keys go through `pki.pins`."""
    keystore.ensure_softhsm_env()
    try:
        key = keystore.Pkcs11KeyStore(settings.KYSO_PKCS11_MODULE, token_label, pin).get(key_label)
    except InvalidInput as exc:
        if exc.code == "keystore.pin":
            raise Forbidden("mobile.pin.wrong", _("The PIN is wrong.")) from None
        raise
    except Exception as exc:  # noqa: BLE001 - missing token or key: one clear answer
        raise Forbidden("mobile.key.unavailable", _("The signing key is not available.")) from exc
    return [key.sign_digest(d, hash_name) for d in digests]


def set_pin(store: keystore.Pkcs11KeyStore, old_pin: str, new_pin: str) -> None:
    """C_SetPIN on the holder's token, already unlocked with `old_pin` (through `pki.pins`)."""

    with keystore._P11_LOCK:
        try:
            store.session().set_pin(old_pin, new_pin)
        except pkcs11.exceptions.PinIncorrect:
            raise Forbidden("mobile.pin.wrong", _("The PIN is wrong.")) from None
        keystore._P11_PINS[(store.module, store.token_label)] = keystore._pin_digest(new_pin)
