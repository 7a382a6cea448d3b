"""The platform's secrets, one per job, each from its own source (read by `kyso.settings`; no Django here).

    name                     environment            or a file (mode 0600)         what it protects
    SECRET_KEY               KYSO_SECRET_KEY        KYSO_SECRET_KEY_FILE          Django: sessions, CSRF, signed values
    KEYSTORE_PASSPHRASE      KYSO_KEYSTORE_PASSPHRASE KYSO_KEYSTORE_PASSPHRASE_FILE software keys and secrets in the key store
                                                                                   (the audit MAC key among them)
    SAD_KEY                  KYSO_SAD_KEY           KYSO_SAD_KEY_FILE             the PIN sealed inside a CSC SAD
    MSSP_PASSWORD            KYSO_MSSP_PASSWORD     KYSO_MSSP_PASSWORD_FILE       this application's password at the carrier (AP_PWD)

When neither is given, a single-machine install (the embedded SQLite database, debug or test mode) generates
a random value once into `<data dir>/secrets/<name>` with mode 0600, so that `make run` works on a fresh
machine. A deployment on a database server with debug off must give each one: a missing, weak or shared
secret stops the start with a message saying which and how. See docs/secrets.md for rotation.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

MIN_LENGTH = 32
KNOWN_WEAK = {"changeme", "secret", "password", "kyso", "test", "insecure", "django-insecure"}


class SecretError(Exception):
    """A secret is missing, weak, shared or unreadable: the message says which one and what to do."""


@dataclass(frozen=True)
class Spec:
    name: str          # file name under <data dir>/secrets/
    env: str           # environment variable with the value
    purpose: str
    legacy_env: str = ""  # an older variable still honoured


SPECS = {
    "secret_key": Spec("secret_key", "KYSO_SECRET_KEY", "Django's sessions and signatures"),
    "keystore_passphrase": Spec("keystore_passphrase", "KYSO_KEYSTORE_PASSPHRASE", "the software key store"),
    "sad_key": Spec("sad_key", "KYSO_SAD_KEY", "the PIN sealed inside remote-signing authorisations (SAD)"),
    "mssp_password": Spec("mssp_password", "KYSO_MSSP_PASSWORD", "the mobile-signature service (AP password)",
                          legacy_env="KYSO_MSSP_AP_PWD"),
}


def _weak(value: str) -> str:
    if len(value) < MIN_LENGTH:
        return f"shorter than {MIN_LENGTH} characters"
    if value.lower() in KNOWN_WEAK or len(set(value)) < 8 or "not-for-production" in value:
        return "a known or trivially guessable value"
    return ""


def _read_file(path: Path, spec: Spec) -> str:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise SecretError(f"{spec.env}_FILE names {path}, which cannot be read ({exc.strerror}).") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(f"{path} ({spec.purpose}) is readable by others: chmod 600 {path}")
    return path.read_text().strip()


def _generate(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


def load(key: str, data_dir: Path, *, strict: bool, may_generate: bool, environ=os.environ,
         legacy_files: tuple[Path, ...] = ()) -> str:
    """The secret `key`: from its variable, its file, the data directory, or generated there (when
    `may_generate`). `strict` (debug off): refuse weak values."""
    spec = SPECS[key]
    value, source = environ.get(spec.env, ""), spec.env
    if not value and environ.get(f"{spec.env}_FILE"):
        value, source = _read_file(Path(environ[f"{spec.env}_FILE"]), spec), f"{spec.env}_FILE"
    if not value and spec.legacy_env and environ.get(spec.legacy_env):
        value, source = environ[spec.legacy_env], spec.legacy_env
    if not value:
        for path in (data_dir / "secrets" / spec.name, *legacy_files):
            if path.exists():
                value, source = _read_file(path, spec), str(path)
                break
    if not value:
        if not may_generate:
            raise SecretError(
                f"No secret for {spec.purpose}: set {spec.env} or {spec.env}_FILE (a file of mode 0600), "
                f"e.g. {spec.env}=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')")
        value, source = _generate(data_dir / "secrets" / spec.name), "generated"
    if strict:
        problem = _weak(value)
        if problem:
            raise SecretError(f"The secret for {spec.purpose} ({source}) is {problem}: give {spec.env} a random value "
                              f"of at least {MIN_LENGTH} characters.")
    return value


def load_all(data_dir: Path, *, strict: bool, may_generate: bool, environ=os.environ) -> dict[str, str]:
    opts = {"strict": strict, "may_generate": may_generate, "environ": environ}
    values = {
        # an install from before the split kept its Django key in <data dir>/secret_key: keep its sessions
        "secret_key": load("secret_key", data_dir, legacy_files=(data_dir / "secret_key",), **opts),
        "keystore_passphrase": load("keystore_passphrase", data_dir, **opts),
        "sad_key": load("sad_key", data_dir, **opts),
        "mssp_password": load("mssp_password", data_dir, **opts),
    }
    if strict:
        seen: dict[str, str] = {}
        for key, value in values.items():
            if value in seen:
                raise SecretError(f"{SPECS[key].env} is the same as {SPECS[seen[value]].env}: one secret per job, "
                                  "give each its own random value.")
            seen[value] = key
    return values


def legacy_keystore_passphrases(environ, secret_key: str, passphrase: str) -> list[str]:
    """Passphrases the software key store accepted before (each key file opened with one is re-wrapped under the
    current passphrase, once): KYSO_KEYSTORE_OLD_PASSPHRASE during a rotation, and Django's secret key, which
    was the passphrase by default until each secret had its own."""
    out = [v for v in (environ.get("KYSO_KEYSTORE_OLD_PASSPHRASE", ""), secret_key) if v and v != passphrase]
    return list(dict.fromkeys(out))
