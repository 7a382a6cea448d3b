"""The audit trail's keys from the key store (plugged into `kyso.audit.keys` at start-up).

Records are MACed with the secret `platform-audit-chain` (a software secret wrapped by the key store
passphrase, or a non-extractable HMAC key in the HSM when the label is listed in KYSO_HSM_KEYS); checkpoints
are signed with `platform-audit-checkpoint` (P-256).
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from . import keystore, secretkeys

MAC_KEY_LABEL = "platform-audit-chain"
CHECKPOINT_KEY_LABEL = "platform-audit-checkpoint"
ID_MESSAGE = b"kyso-audit-key-id"


def _key_id(tag: bytes) -> str:
    return hashlib.sha256(tag).hexdigest()[:16]


class KeyStoreAuditKeys:
    """The current MAC key (software or HSM) and, to verify older records, every software secret named
    `platform-audit-chain` or `platform-audit-chain.<suffix>` (a retired key, see docs/secrets.md)."""

    def __init__(self):
        self._id = None
        self._software_ids: dict[str, str] = {}

    def key_id(self) -> str:
        if self._id is None:
            self._id = _key_id(secretkeys.hmac_sha256(MAC_KEY_LABEL, ID_MESSAGE))
        return self._id

    def mac(self, data: bytes) -> tuple[str, bytes]:
        return self.key_id(), secretkeys.hmac_sha256(MAC_KEY_LABEL, data)

    def mac_with(self, key_id: str, data: bytes) -> bytes | None:
        if key_id == self.key_id():
            return secretkeys.hmac_sha256(MAC_KEY_LABEL, data)
        for label in secretkeys.software_labels(MAC_KEY_LABEL):
            if label not in self._software_ids:
                self._software_ids[label] = _key_id(secretkeys.software_hmac(label, ID_MESSAGE))
            if self._software_ids[label] == key_id:
                return secretkeys.software_hmac(label, data)
        return None

    def checkpoint_key(self):
        return keystore.get_or_create_key(CHECKPOINT_KEY_LABEL, "p256")


_KEYS: dict[str, KeyStoreAuditKeys] = {}


def provider() -> KeyStoreAuditKeys:
    """One per key store configuration (the key id is remembered)."""
    config = repr((str(keystore.software_store().directory), keystore.hsm_labels(), settings.KYSO_PKCS11_TOKEN))
    keys = _KEYS.get(config)
    if keys is None:
        keys = _KEYS[config] = KeyStoreAuditKeys()
    return keys
