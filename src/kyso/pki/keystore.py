"""One interface for private keys: software (encrypted PKCS#8 files) or PKCS#11 tokens.

Callers hold a `KeyHandle` and call `sign(data, hash_name)`; they never see key bytes.
Which store holds which key is configuration (`KYSO_HSM_KEYS`: labels or label prefixes
kept in the HSM; everything else is a software key).

Software keys: PKCS#8 encrypted with the passphrase from settings, files mode 0600 in
KYSO_KEYSTORE_DIR; never stored in the database. Loaded keys are cached per process
(loading an RSA key costs ~30 ms of OpenSSL key checks).

PKCS#11: python-pkcs11 is not thread-safe at initialisation and allows one login per
token per process, so every call goes through one process-wide lock and one session per
token. Keys generated in the token are sensitive and non-extractable.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import threading
from collections import OrderedDict
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, encode_dss_signature
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import Conflict, InvalidInput, NotFound

from .softhsm import SoftHsmConfig, ensure_softhsm_env, init_softhsm_token, softhsm_available  # noqa: F401

KEY_SPECS = ("rsa2048", "rsa3072", "rsa4096", "p256", "p384")
_LABEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def _check_label(label: str) -> str:
    if not _LABEL_RE.fullmatch(label or ""):
        raise InvalidInput("keystore.label", _("A key label has 1 to 100 letters, digits, '.', '_', ':' or '-'."))
    return label


def _check_spec(spec: str) -> str:
    if spec not in KEY_SPECS:
        raise InvalidInput("keystore.spec", _("Unsupported key type %(spec)s; use one of %(allowed)s."),
                           spec=spec, allowed=", ".join(KEY_SPECS))
    return spec


def public_key_fingerprint(public_key) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


class KeyHandle:
    """A private key that can sign. Signatures come back in the X.509/CMS encoding (DER for ECDSA)."""

    label: str
    store_name: str

    def public_key(self):  # pragma: no cover - interface
        raise NotImplementedError

    def sign(self, data: bytes, hash_name: str = "sha256", *, pss: bool = False) -> bytes:  # pragma: no cover
        raise NotImplementedError

    def sign_digest(self, digest: bytes, hash_name: str = "sha256", *, pss: bool = False) -> bytes:  # pragma: no cover
        raise NotImplementedError

    @property
    def key_type(self) -> str:
        pub = self.public_key()
        if isinstance(pub, rsa.RSAPublicKey):
            return "rsa"
        if isinstance(pub, ec.EllipticCurvePublicKey):
            return "ec"
        return "ed25519"

    @property
    def fingerprint(self) -> str:
        return public_key_fingerprint(self.public_key())


class SoftwareKey(KeyHandle):
    store_name = "software"

    def __init__(self, label: str, private_key):
        self.label = label
        self._key = private_key

    def public_key(self):
        return self._key.public_key()

    def private_key(self):
        """For libraries that need a `cryptography` key object (pyHanko, signxml). Software keys only."""
        return self._key

    def sign(self, data: bytes, hash_name: str = "sha256", *, pss: bool = False) -> bytes:
        algo = _HASHES[hash_name]()
        if isinstance(self._key, rsa.RSAPrivateKey):
            pad = padding.PSS(mgf=padding.MGF1(algo), salt_length=algo.digest_size) if pss else padding.PKCS1v15()
            return self._key.sign(data, pad, algo)
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(algo))
        if isinstance(self._key, ed25519.Ed25519PrivateKey):
            return self._key.sign(data)
        raise InvalidInput("keystore.key_type", _("Unsupported key type."))

    def sign_digest(self, digest: bytes, hash_name: str = "sha256", *, pss: bool = False) -> bytes:
        algo = _HASHES[hash_name]()
        pre = Prehashed(algo)
        if isinstance(self._key, rsa.RSAPrivateKey):
            pad = padding.PSS(mgf=padding.MGF1(algo), salt_length=algo.digest_size) if pss else padding.PKCS1v15()
            return self._key.sign(digest, pad, pre)
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(digest, ec.ECDSA(pre))
        raise InvalidInput("keystore.key_type", _("Unsupported key type."))


def generate_private_key(spec: str):
    _check_spec(spec)
    if spec.startswith("rsa"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(spec[3:]))
    return ec.generate_private_key(ec.SECP256R1() if spec == "p256" else ec.SECP384R1())


class SoftwareKeyStore:
    name = "software"

    def __init__(self, directory: Path, passphrase: str | bytes, legacy: tuple = ()):
        self.directory = Path(directory)
        self._passphrase = _as_bytes(passphrase)
        # Earlier passphrases: a file still under one is opened once and re-wrapped under the current one.
        self._legacy = tuple(_as_bytes(p) for p in legacy if p)
        self._cache: dict[str, SoftwareKey] = {}
        self._lock = threading.Lock()

    def _path(self, label: str) -> Path:
        return self.directory / f"{_check_label(label)}.p8"

    def exists(self, label: str) -> bool:
        return self._path(label).exists()

    def generate(self, label: str, spec: str = "p256", *, extractable: bool = True) -> SoftwareKey:
        return self.import_key(label, generate_private_key(spec))

    def import_key(self, label: str, private_key) -> SoftwareKey:
        path = self._path(label)
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._passphrase),
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise Conflict("keystore.exists", _("A key labelled %(label)s already exists."), label=label) from None
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        handle = SoftwareKey(label, private_key)
        with self._lock:
            self._cache[label] = handle
        return handle

    def get(self, label: str) -> SoftwareKey:
        with self._lock:
            cached = self._cache.get(label)
        if cached is not None:
            return cached
        path = self._path(label)
        if not path.exists():
            raise NotFound("keystore.not_found", _("No key labelled %(label)s."), label=label)
        key = self._load(path)
        handle = SoftwareKey(label, key)
        with self._lock:
            self._cache[label] = handle
        return handle

    def labels(self) -> list[str]:
        if not self.directory.exists():
            return []
        return sorted(p.stem for p in self.directory.glob("*.p8"))

    def _load(self, path: Path):
        data = path.read_bytes()
        try:
            return serialization.load_pem_private_key(data, password=self._passphrase)
        except ValueError:
            for old in self._legacy:
                try:
                    key = serialization.load_pem_private_key(data, password=old)
                except ValueError:
                    continue
                self._rewrite(path, key)
                return key
            raise

    def _rewrite(self, path: Path, private_key) -> None:
        """Re-encrypt a key file under the current passphrase (atomic: a new 0600 file renamed over it)."""
        pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.BestAvailableEncryption(self._passphrase))
        tmp = path.with_name(path.name + ".new")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        os.replace(tmp, path)

    def rewrap_all(self) -> int:
        """Open every key file (with the current or an earlier passphrase) and keep it under the current one."""
        n = 0
        for label in self.labels():
            self._rewrite(self._path(label), self._load(self._path(label)))
            n += 1
        with self._lock:
            self._cache.clear()
        return n


def _as_bytes(value) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


# --------------------------------------------------------------------------- PKCS#11

_P11_LOCK = threading.RLock()
_P11_LIBS: dict[str, object] = {}
_P11_SESSIONS: OrderedDict[tuple[str, str], object] = OrderedDict()   # least recently used first


def _p11_lib(module: str):
    import pkcs11

    lib = _P11_LIBS.get(module)
    if lib is None:
        lib = pkcs11.lib(module)
        _P11_LIBS[module] = lib
    return lib


def _p11_session(module: str, token_label: str, pin: str):
    """One logged-in session per token per process (a second login raises in python-pkcs11)."""
    import pkcs11

    key = (module, token_label)
    session = _P11_SESSIONS.get(key)
    if session is not None:
        # The token is logged in already: the PIN must still be the one that logged it in.
        if not hmac.compare_digest(_P11_PINS.get(key, b""), _pin_digest(pin)):
            raise InvalidInput("keystore.pin", _("The PIN of token %(token)s is wrong."), token=token_label)
        _P11_SESSIONS.move_to_end(key)
        return session
    lib = _p11_lib(module)
    try:
        token = lib.get_token(token_label=token_label)
    except pkcs11.exceptions.NoSuchToken:
        # Tokens initialised by another process after our C_Initialize are seen after a re-init,
        # which invalidates open sessions: forget them.
        _P11_SESSIONS.clear()
        _P11_OBJECTS.clear()
        lib.reinitialize()
        try:
            token = lib.get_token(token_label=token_label)
        except pkcs11.exceptions.NoSuchToken:
            raise NotFound("keystore.no_token", _("No PKCS#11 token labelled %(token)s."), token=token_label) from None
    try:
        session = token.open(user_pin=pin, rw=True)
    except pkcs11.exceptions.PinIncorrect:
        raise InvalidInput("keystore.pin", _("The PIN of token %(token)s is wrong."), token=token_label) from None
    _P11_SESSIONS[key] = session
    _P11_PINS[key] = _pin_digest(pin)
    _close_least_used()
    return session


def _close_least_used() -> None:
    """A pool, not one session per token for ever: past `KYSO_PKCS11_MAX_SESSIONS` logged-in tokens (30,000
    holders' keys in one HSM), the least recently used is logged out; its next use logs in again with the PIN."""
    limit = max(1, int(getattr(settings, "KYSO_PKCS11_MAX_SESSIONS", 256)))
    while len(_P11_SESSIONS) > limit:
        key, session = _P11_SESSIONS.popitem(last=False)
        _P11_PINS.pop(key, None)
        for cache in (_P11_OBJECTS, _P11_PUBLIC):
            for obj_key in [k for k in cache if k[:2] == key]:
                del cache[obj_key]
        try:
            session.close()
        except Exception:  # noqa: BLE001 - the token may be gone already
            pass


_PIN_SALT = os.urandom(16)
_P11_PINS: dict = {}


def _pin_digest(pin) -> bytes:
    """Kept in memory only, salted per process: enough to check a later PIN against the logged-in one."""
    return hashlib.sha256(_PIN_SALT + str(pin or "").encode()).digest()


# The token's key objects, found once per logged-in session (a search costs about a third of an RSA-2048
# signature on SoftHSM): (module, token, label, private?) -> (session, object). A new session (re-login,
# re-initialisation) or `destroy` makes the entry stale, so it is looked up again.
_P11_OBJECTS: dict[tuple, tuple] = {}


def _p11_object(module: str, token_label: str, label: str, session, *, private: bool):
    """The private or public key object `label` of a logged-in session (caller holds `_P11_LOCK`)."""
    import pkcs11

    key = (module, token_label, label, private)
    cached = _P11_OBJECTS.get(key)
    if cached is not None and cached[0] is session:
        return cached[1]
    cls = pkcs11.ObjectClass.PRIVATE_KEY if private else pkcs11.ObjectClass.PUBLIC_KEY
    obj = session.get_key(object_class=cls, label=label)
    _P11_OBJECTS[key] = (session, obj)
    return obj


def forget_pkcs11_sessions():
    with _P11_LOCK:
        _P11_OBJECTS.clear()
        for session in list(_P11_SESSIONS.values()):
            try:
                session.close()
            except Exception:  # noqa: BLE001 - token may be gone already
                pass
        _P11_SESSIONS.clear()


class Pkcs11Key(KeyHandle):
    store_name = "pkcs11"

    def __init__(self, store: "Pkcs11KeyStore", label: str, public_key):
        self.store = store
        self.label = label
        self._public = public_key

    def public_key(self):
        return self._public

    def _private(self, session):
        return _p11_object(self.store.module, self.store.token_label, self.label, session, private=True)

    def sign(self, data: bytes, hash_name: str = "sha256", *, pss: bool = False) -> bytes:
        import pkcs11
        from pkcs11 import Mechanism

        if isinstance(self._public, rsa.RSAPublicKey):
            mech = {
                ("sha256", False): Mechanism.SHA256_RSA_PKCS, ("sha384", False): Mechanism.SHA384_RSA_PKCS,
                ("sha512", False): Mechanism.SHA512_RSA_PKCS, ("sha256", True): Mechanism.SHA256_RSA_PKCS_PSS,
                ("sha384", True): Mechanism.SHA384_RSA_PKCS_PSS, ("sha512", True): Mechanism.SHA512_RSA_PKCS_PSS,
            }[(hash_name, pss)]
            param = None
            if pss:
                h = {"sha256": (Mechanism.SHA256, pkcs11.MGF.SHA256, 32), "sha384": (Mechanism.SHA384, pkcs11.MGF.SHA384, 48),
                     "sha512": (Mechanism.SHA512, pkcs11.MGF.SHA512, 64)}[hash_name]
                param = h
            with _P11_LOCK:
                session = self.store.session()
                return self._private(session).sign(data, mechanism=mech, mechanism_param=param)
        digest = hashlib.new(hash_name, data).digest()
        return self.sign_digest(digest, hash_name)

    def sign_digest(self, digest: bytes, hash_name: str = "sha256", *, pss: bool = False) -> bytes:
        from pkcs11 import Mechanism

        if isinstance(self._public, ec.EllipticCurvePublicKey):
            with _P11_LOCK:
                session = self.store.session()
                raw = self._private(session).sign(digest, mechanism=Mechanism.ECDSA)
            half = len(raw) // 2
            return encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))
        if pss:
            raise InvalidInput("keystore.pss_digest", _("RSA-PSS over a precomputed digest is not supported on tokens."))
        # RSA PKCS#1 v1.5 over a digest: sign the DigestInfo with the raw RSA_PKCS mechanism.
        prefix = _DIGEST_INFO_PREFIX[hash_name]
        with _P11_LOCK:
            session = self.store.session()
            return self._private(session).sign(prefix + digest, mechanism=Mechanism.RSA_PKCS)


_DIGEST_INFO_PREFIX = {
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}


class Pkcs11KeyStore:
    name = "pkcs11"

    def __init__(self, module: str, token_label: str, pin: str):
        self.module = module
        self.token_label = token_label
        self.pin = pin
        self._handles: dict[str, Pkcs11Key] = {}

    def session(self):
        return _p11_session(self.module, self.token_label, self.pin)

    def exists(self, label: str) -> bool:
        import pkcs11

        with _P11_LOCK:
            try:
                self.session().get_key(object_class=pkcs11.ObjectClass.PRIVATE_KEY, label=label)
                return True
            except pkcs11.exceptions.NoSuchKey:
                return False

    def generate(self, label: str, spec: str = "p256", *, extractable: bool = False) -> Pkcs11Key:
        import pkcs11
        from pkcs11 import Attribute, KeyType
        from pkcs11.util.ec import encode_named_curve_parameters

        _check_label(label)
        _check_spec(spec)
        if self.exists(label):
            raise Conflict("keystore.exists", _("A key labelled %(label)s already exists."), label=label)
        key_id = os.urandom(16)
        private_template = {
            Attribute.SENSITIVE: True,
            Attribute.EXTRACTABLE: bool(extractable),
            Attribute.TOKEN: True,
            Attribute.PRIVATE: True,
            Attribute.SIGN: True,
        }
        with _P11_LOCK:
            session = self.session()
            if spec.startswith("rsa"):
                session.generate_keypair(
                    KeyType.RSA, int(spec[3:]), label=label, id=key_id, store=True,
                    public_template={Attribute.VERIFY: True}, private_template=private_template,
                )
            else:
                curve = "secp256r1" if spec == "p256" else "secp384r1"
                params = session.create_domain_parameters(
                    KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters(curve)}, local=True
                )
                params.generate_keypair(label=label, id=key_id, store=True,
                                        public_template={Attribute.VERIFY: True}, private_template=private_template)
        self._handles.pop(label, None)
        return self.get(label)

    def get(self, label: str) -> Pkcs11Key:
        import pkcs11

        handle = self._handles.get(label)
        if handle is not None:
            return handle
        with _P11_LOCK:
            session = self.session()
            try:
                pub = _p11_object(self.module, self.token_label, label, session, private=False)
            except pkcs11.exceptions.NoSuchKey:
                raise NotFound("keystore.not_found", _("No key labelled %(label)s."), label=label) from None
            public_key = _p11_public_key(self.module, self.token_label, label, pub)
        handle = Pkcs11Key(self, label, public_key)
        self._handles[label] = handle
        return handle

    def destroy(self, label: str) -> None:
        """Remove every object (keys, certificate) carrying `label` from the token."""
        import pkcs11

        with _P11_LOCK:
            session = self.session()
            for obj in list(session.get_objects({pkcs11.Attribute.LABEL: label})):
                obj.destroy()
            for private in (True, False):
                _P11_OBJECTS.pop((self.module, self.token_label, label, private), None)
            _P11_PUBLIC.pop((self.module, self.token_label, label), None)
        self._handles.pop(label, None)

    def is_extractable(self, label: str) -> bool:
        import pkcs11
        from pkcs11 import Attribute

        with _P11_LOCK:
            key = self.session().get_key(object_class=pkcs11.ObjectClass.PRIVATE_KEY, label=label)
            return bool(key[Attribute.EXTRACTABLE])

    def labels(self) -> list[str]:
        import pkcs11

        with _P11_LOCK:
            return sorted({o.label for o in self.session().get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.PRIVATE_KEY})})


_P11_PUBLIC: dict[tuple, tuple] = {}


def _p11_public_key(module: str, token_label: str, label: str, pub):
    """`_p11_public_to_crypto`, converted once per public key object (caller holds `_P11_LOCK`)."""
    cached = _P11_PUBLIC.get((module, token_label, label))
    if cached is not None and cached[0] is pub:
        return cached[1]
    public_key = _p11_public_to_crypto(pub)
    _P11_PUBLIC[(module, token_label, label)] = (pub, public_key)
    return public_key


def _p11_public_to_crypto(pub):
    """A `cryptography` public key from a PKCS#11 public key object."""
    from asn1crypto.core import OctetString
    from asn1crypto.keys import ECDomainParameters, ECPointBitString, PublicKeyAlgorithm, PublicKeyInfo
    from pkcs11 import Attribute, KeyType
    from pkcs11.util.rsa import encode_rsa_public_key

    if pub.key_type == KeyType.RSA:
        return serialization.load_der_public_key(_rsa_spki(encode_rsa_public_key(pub)))
    point = OctetString.load(pub[Attribute.EC_POINT]).native
    info = PublicKeyInfo({
        "algorithm": PublicKeyAlgorithm({"algorithm": "ec", "parameters": ECDomainParameters.load(pub[Attribute.EC_PARAMS])}),
        "public_key": ECPointBitString(point),
    })
    return serialization.load_der_public_key(info.dump())


def _rsa_spki(pkcs1_der: bytes) -> bytes:
    from asn1crypto.keys import PublicKeyAlgorithm, PublicKeyInfo, RSAPublicKey

    return PublicKeyInfo({
        "algorithm": PublicKeyAlgorithm({"algorithm": "rsa"}),
        "public_key": RSAPublicKey.load(pkcs1_der),
    }).dump()


# --------------------------------------------------------------------------- configuration

_STORES: dict[str, object] = {}
_STORES_LOCK = threading.Lock()


def software_store() -> SoftwareKeyStore:
    with _STORES_LOCK:
        store = _STORES.get("software")
        if (store is None or store.directory != Path(settings.KYSO_KEYSTORE_DIR)
                or store._passphrase != _as_bytes(settings.KYSO_KEYSTORE_PASSPHRASE)):
            store = SoftwareKeyStore(settings.KYSO_KEYSTORE_DIR, settings.KYSO_KEYSTORE_PASSPHRASE,
                                     tuple(getattr(settings, "KYSO_KEYSTORE_LEGACY_PASSPHRASES", ())))
            _STORES["software"] = store
        return store


def pkcs11_store(token_label: str | None = None, pin: str | None = None) -> Pkcs11KeyStore:
    token_label = token_label or settings.KYSO_PKCS11_TOKEN
    pin = pin if pin is not None else settings.KYSO_PKCS11_PIN
    ensure_softhsm_env()
    key = f"pkcs11:{token_label}"
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is None:
            store = Pkcs11KeyStore(settings.KYSO_PKCS11_MODULE, token_label, pin)
            _STORES[key] = store
        return store


def hsm_labels() -> list[str]:
    return [x.strip() for x in getattr(settings, "KYSO_HSM_KEYS", []) if x.strip()]


def store_for(label: str):
    """The store configured for this key label (HSM when listed in KYSO_HSM_KEYS)."""
    for pattern in hsm_labels():
        if label == pattern or (pattern.endswith("*") and label.startswith(pattern[:-1])):
            return pkcs11_store()
    return software_store()


def get_key(label: str) -> KeyHandle:
    return store_for(label).get(label)


def get_or_create_key(label: str, spec: str = "p256") -> KeyHandle:
    store = store_for(label)
    if store.exists(label):
        return store.get(label)
    try:
        return store.generate(label, spec)
    except Conflict:
        return store.get(label)
