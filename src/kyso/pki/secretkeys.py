"""Secret (symmetric) keys in the key store: HMAC keys that never leave it, never in the database.

Software: 32 random bytes in `<KYSO_KEYSTORE_DIR>/<label>.secret` (mode 0600), wrapped with AES-256-GCM under a
key derived (scrypt) from the key store passphrase — the same protection as the PKCS#8 private keys beside it.
PKCS#11 (label listed in KYSO_HSM_KEYS): a generic secret key generated in the token, sensitive and
non-extractable; the HMAC is computed by the token (CKM_SHA256_HMAC).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
from pathlib import Path

import pkcs11
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass

from . import keystore

_CACHE: dict[tuple[str, str], bytes] = {}
_LOCK = threading.Lock()
SCRYPT_N = 2 ** 14


def _wrap_key(passphrase: bytes, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=8, p=1).derive(passphrase)


def _path(label: str) -> Path:
    return Path(settings.KYSO_KEYSTORE_DIR) / f"{keystore._check_label(label)}.secret"


def wrap(secret: bytes, passphrase: bytes, label: str) -> str:
    salt, nonce = os.urandom(16), os.urandom(12)
    ct = AESGCM(_wrap_key(passphrase, salt)).encrypt(nonce, secret, label.encode())
    return json.dumps({"v": 1, "label": label, "kdf": "scrypt", "n": SCRYPT_N, "salt": base64.b64encode(salt).decode(),
                       "nonce": base64.b64encode(nonce).decode(), "ct": base64.b64encode(ct).decode()})


def unwrap(text: str, passphrase: bytes, label: str) -> bytes:
    data = json.loads(text)
    key = _wrap_key(passphrase, base64.b64decode(data["salt"]))
    # bound to the label it was created under (a retired key keeps opening after its file is renamed)
    return AESGCM(key).decrypt(base64.b64decode(data["nonce"]), base64.b64decode(data["ct"]),
                               data.get("label", label).encode())


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def _software_secret(label: str) -> bytes:
    store = keystore.software_store()
    path = _path(label)
    cache_key = (str(path), hashlib.sha256(store._passphrase).hexdigest())
    with _LOCK:
        if cache_key in _CACHE:
            return _CACHE[cache_key]
        if not path.exists():
            try:
                _write_new(path, wrap(os.urandom(32), store._passphrase, label))
            except FileExistsError:
                pass
        secret = _open(path, store, label)
        _CACHE[cache_key] = secret
        return secret


def _open(path: Path, store, label: str) -> bytes:
    """Unwrap with the current passphrase or, once, an earlier one (then re-wrapped under the current)."""
    text = path.read_text()
    try:
        return unwrap(text, store._passphrase, label)
    except InvalidTag:
        for old in store._legacy:
            try:
                secret = unwrap(text, old, label)
            except InvalidTag:
                continue
            _replace(path, wrap(secret, store._passphrase, json.loads(text).get("label", label)))
            return secret
        raise


def _replace(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".new")
    tmp.unlink(missing_ok=True)
    _write_new(tmp, text)
    os.replace(tmp, path)


def forget() -> None:
    with _LOCK:
        _CACHE.clear()


def _p11_secret(store, label: str):
    session = store.session()
    try:
        return session.get_key(object_class=ObjectClass.SECRET_KEY, label=label)
    except pkcs11.exceptions.NoSuchKey:
        return session.generate_key(KeyType.GENERIC_SECRET, 256, label=label, store=True, template={
            Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False, Attribute.SIGN: True, Attribute.VERIFY: True,
            Attribute.TOKEN: True, Attribute.PRIVATE: True})


def hmac_sha256(label: str, data: bytes) -> bytes:
    """HMAC-SHA256 of `data` under the secret key `label` (created on first use)."""
    store = keystore.store_for(label)
    if isinstance(store, keystore.Pkcs11KeyStore):
        with keystore._P11_LOCK:
            return bytes(_p11_secret(store, label).sign(data, mechanism=Mechanism.SHA256_HMAC))
    return hmac.new(_software_secret(label), data, hashlib.sha256).digest()


def software_hmac(label: str, data: bytes) -> bytes:
    """The same, always with the software secret (an earlier key kept to verify what it MACed)."""
    return hmac.new(_software_secret(label), data, hashlib.sha256).digest()


def software_labels(prefix: str) -> list[str]:
    """Labels of the software secrets named `prefix` or `prefix.<anything>` (retired keys)."""
    directory = Path(settings.KYSO_KEYSTORE_DIR)
    if not directory.exists():
        return []
    return sorted(p.stem for p in directory.glob(f"{prefix}*.secret") if p.stem == prefix or p.stem.startswith(prefix + "."))


def rewrap_all() -> int:
    """Keep every software secret under the current key store passphrase (opened with it or an earlier one)."""
    store = keystore.software_store()
    directory = Path(settings.KYSO_KEYSTORE_DIR)
    n = 0
    for path in sorted(directory.glob("*.secret")) if directory.exists() else []:
        _replace(path, wrap(_open(path, store, path.stem), store._passphrase, json.loads(path.read_text()).get("label", path.stem)))
        n += 1
    forget()
    return n
