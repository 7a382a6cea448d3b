"""The audit trail's keys, plugged in from above.

`audit` sits below `pki` in the layers, so it declares what it needs and `pki` provides it at start-up
(`register_provider`): a keyed MAC for every record (HMAC-SHA256 under a secret kept in the key store or the
HSM, never in the database) and the key that signs checkpoints of the chain head.
"""

from __future__ import annotations

from typing import Callable, Protocol

from django.utils.translation import gettext_lazy as _

from kyso.core.errors import IntegrityFailure


class NoAuditKey(IntegrityFailure):
    default_code = "audit.no_key"
    default_message = _("The audit trail has no key: the change was not made.")


class AuditKeys(Protocol):
    def mac(self, data: bytes) -> tuple[str, bytes]:
        """(key id, HMAC-SHA256 tag) under the current key."""

    def mac_with(self, key_id: str, data: bytes) -> bytes | None:
        """The tag under the key `key_id` (the current or an earlier one); None for a key it does not know."""

    def checkpoint_key(self):
        """The KeyHandle that signs checkpoints (sign, public_key, fingerprint, label, key_type)."""


_PROVIDER: dict[str, Callable[[], AuditKeys]] = {}


def register_provider(fn: Callable[[], AuditKeys]) -> None:
    _PROVIDER["keys"] = fn


def keys() -> AuditKeys:
    fn = _PROVIDER.get("keys")
    if fn is None:
        raise NoAuditKey()
    return fn()
