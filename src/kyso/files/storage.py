"""Put bytes into the archive and read them back verified.

Bytes live in the archive backend (`backends.py`: a shared directory, the database or S3) under
<2 hex>/<2 hex>/<sha256>, written once and read back only after their hash matches the record: a file
changed in the archive is refused, never served (Decision 352: no tampering).
"""

from __future__ import annotations

import hashlib
import os

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from kyso.core import context
from kyso.core.errors import IntegrityFailure, NotFound

from .backends import archive
from .models import StoredFile


def name_for(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def _write_blob(data: bytes, sha256: str) -> None:
    storage = archive()
    name = name_for(sha256)
    if storage.exists(name):
        with storage.open(name) as fh:
            if hashlib.sha256(fh.read()).hexdigest() == sha256:
                return
    storage.save(name, ContentFile(data))


def put(data: bytes) -> str:
    """Write `data` into the archive ahead of its record and return its SHA-256. Content-addressed, so harmless
    if the record never comes; a caller about to take locks puts its files first and keeps the synced writes
    out of them (`store` then finds the bytes there and only checks them)."""
    sha256 = hashlib.sha256(data).hexdigest()
    _write_blob(data, sha256)
    return sha256


def store(data: bytes, *, name: str, media_type: str = "application/octet-stream", purpose: str = "",
          unit_path: str = "") -> StoredFile:
    """Archive `data` and return its record (one record per call; the bytes are shared by hash)."""
    sha256 = hashlib.sha256(data).hexdigest()
    _write_blob(data, sha256)
    return StoredFile.objects.create(
        sha256=sha256, size=len(data), media_type=media_type[:120], name=os.path.basename(name or "file")[:255],
        purpose=purpose[:60], unit_path=unit_path, created_by=context.current().actor_label()[:150],
    )


def read(stored: StoredFile) -> bytes:
    """The file's bytes, after checking them against the recorded hash."""
    try:
        with archive().open(name_for(stored.sha256)) as fh:
            data = fh.read()
    except (FileNotFoundError, OSError):
        raise NotFound("files.missing", _("The archived file %(name)s is missing."), name=stored.name) from None
    if len(data) != stored.size or hashlib.sha256(data).hexdigest() != stored.sha256:
        raise IntegrityFailure("files.tampered", _("The archived file %(name)s does not match its recorded hash."), name=stored.name)
    return data
