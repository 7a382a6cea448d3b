"""Put bytes into the archive and read them back verified.

Files live under DATA_DIR/files/<2 hex>/<2 hex>/<sha256>, written once (temp file and
rename) and read back only after their hash matches the record: a file changed on disk
is refused, never served (Decision 352: no tampering).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kyso.core import context
from kyso.core.errors import IntegrityFailure, NotFound

from .models import StoredFile


def _root() -> Path:
    return Path(settings.DATA_DIR) / "files"


def path_for(sha256: str) -> Path:
    return _root() / sha256[:2] / sha256[2:4] / sha256


def _write_blob(data: bytes, sha256: str) -> None:
    target = path_for(sha256)
    if target.exists():
        if hashlib.sha256(target.read_bytes()).hexdigest() == sha256:
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o640)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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
    path = path_for(stored.sha256)
    if not path.exists():
        raise NotFound("files.missing", _("The archived file %(name)s is missing."), name=stored.name)
    data = path.read_bytes()
    if len(data) != stored.size or hashlib.sha256(data).hexdigest() != stored.sha256:
        raise IntegrityFailure("files.tampered", _("The archived file %(name)s does not match its recorded hash."), name=stored.name)
    return data
