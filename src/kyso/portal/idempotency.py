"""I-VAN retries must never make a second dossier: the (client, Idempotency-Key) pair is claimed in
the same transaction as the intake. A retry with the same body answers with the first dossier; the
same key with another body is a conflict. Two concurrent requests with one key: the unique
constraint makes the second wait for the first and then replay its answer."""

from __future__ import annotations

import hashlib
import json
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.core.errors import Conflict, InvalidInput

from .models import Dossier, IdempotencyKey

KEY_RE = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")


def body_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def check_key(key: str) -> str:
    if not KEY_RE.match(key or ""):
        raise InvalidInput("portal.idempotency.key_invalid",
                           _("The Idempotency-Key header must be 8 to 100 letters, digits or . _ : -"))
    return key


def claim(user, key: str, digest: str) -> tuple[IdempotencyKey, Dossier | None]:
    """(row, None) when the key is new and now ours; (row, dossier) when it answered before."""
    try:
        with transaction.atomic(), audit.action("portal.idempotency.claim"):
            return IdempotencyKey.objects.create(client=user, key=key, request_hash=digest), None
    except IntegrityError:
        row = IdempotencyKey.objects.select_related("dossier").get(client=user, key=key)
    if row.request_hash != digest:
        raise Conflict("portal.idempotency.key_reused",
                       _("This Idempotency-Key was already used for a different request."))
    return row, row.dossier


def bind(row: IdempotencyKey, dossier: Dossier) -> None:
    with audit.action("portal.idempotency.bind"):
        row.dossier = dossier
        row.save(update_fields=["dossier"])
