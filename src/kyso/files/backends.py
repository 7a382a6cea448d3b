"""Where archived bytes live, behind Django's Storage interface, so that no web node keeps files of its own
(issue 19: more than one machine).

`KYSO_ARCHIVE` chooses: `dir` (default: `<data dir>/files`, or `KYSO_ARCHIVE_DIR` — a directory shared by every
node, e.g. NFS), `db` (the bytes in the database: one PostgreSQL for the whole cluster, fine for tests and small
installs), `s3` (S3-compatible object storage through django-storages; `KYSO_ARCHIVE_S3_BUCKET`,
`KYSO_ARCHIVE_S3_ENDPOINT`, credentials from the usual AWS variables). Names are content addresses
(`ab/cd/<sha256>`): written once, never changed, never deleted."""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.deconstruct import deconstructible

from .models import Blob


@deconstructible
class ArchiveDirectory(FileSystemStorage):
    """A directory (shared by every node): follows the data directory when none is named."""

    def __init__(self, location: str | None = None):
        self._fixed = location
        super().__init__()

    @property
    def base_location(self):
        return self._fixed or os.environ.get("KYSO_ARCHIVE_DIR") or str(Path(settings.DATA_DIR) / "files")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def get_available_name(self, name, max_length=None):
        return name  # content-addressed: the same name is the same bytes (a damaged copy is replaced)

    def _save(self, name, content):
        """Written through a temporary file, synced, then renamed: a reader never sees half a file."""
        target = Path(self.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in content.chunks():
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o640)
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return name


@deconstructible
class DatabaseStorage(Storage):
    """The bytes in the `files_blob` table: every node that reaches the database reaches the archive."""

    def _open(self, name, mode="rb"):
        blob = Blob.objects.filter(name=name).first()
        if blob is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(blob.data), name=name)

    def _save(self, name, content):
        data = content.read()
        Blob.objects.get_or_create(name=name, defaults={"data": data, "size": len(data)})
        return name

    def exists(self, name):
        return Blob.objects.filter(name=name).exists()

    def size(self, name):
        blob = Blob.objects.filter(name=name).only("size").first()
        if blob is None:
            raise FileNotFoundError(name)
        return blob.size

    def delete(self, name):
        raise PermissionError("the archive never deletes")

    def get_available_name(self, name, max_length=None):
        return name  # content-addressed: the same name is the same bytes


def _s3():
    from storages.backends.s3 import S3Storage  # noqa: PLC0415 - optional dependency, production only

    return S3Storage(bucket_name=os.environ["KYSO_ARCHIVE_S3_BUCKET"],
                     endpoint_url=os.environ.get("KYSO_ARCHIVE_S3_ENDPOINT") or None, file_overwrite=False)


@lru_cache(maxsize=4)
def _backend(kind: str) -> Storage:
    if kind == "db":
        return DatabaseStorage()
    if kind == "s3":
        return _s3()
    return ArchiveDirectory()


def archive() -> Storage:
    return _backend(os.environ.get("KYSO_ARCHIVE", getattr(settings, "KYSO_ARCHIVE", "dir")))
