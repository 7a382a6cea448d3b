"""Work on uploaded files (imports) as a job: never inside the request (issue 16, finding 10).

The request checks what it can at once (the permission, the limits of the file), keeps the files in the archive
(`kyso.files`) and submits a job of one item, answering 202 with the job's address. The worker runs the import in
one chunk — one transaction: all rows or none, as before; a worker killed mid-way leaves nothing and the next one
runs it again from the start. The same file may not be imported twice at once (`jobs.overlap`)."""

from __future__ import annotations

import hashlib
import zipfile

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput
from kyso.core.tables import check_size, check_zip
from kyso.files.models import StoredFile
from kyso.files.storage import read, store

from . import submit as jobs
from .models import Job


def check(name: str, data: bytes, *, table: bool = False) -> None:
    """What costs nothing is refused at once, in the request: a file too large, a zip (an XLSX is one) whose
    directory announces too many parts or bytes — a zip bomb never reaches the archive nor a worker — and, for the
    table of an import, an empty file or one that is neither CSV nor XLSX."""
    check_size(len(data))
    if table:
        lower = (name or "").lower()
        if not data:
            raise InvalidInput("import.empty", _("The file is empty."))
        if lower and not lower.endswith((".csv", ".txt", ".xlsx")) and data[:2] != b"PK":
            raise InvalidInput("import.format", _("Only CSV and XLSX files can be imported."))
    if data[:2] == b"PK":
        entries = settings.KYSO_IMPORT_MAX_ROWS if (name or "").lower().endswith(".zip") else None
        try:
            check_zip(data, max_entries=entries)
        except zipfile.BadZipFile:
            pass   # not a zip after all: the job reads it and says what is wrong


def submit_files(kind: str, files: list[tuple[str, bytes]], *, user, unit=None, params=None) -> Job:
    """Check and archive `files` (name, content; the first is the table of rows) and submit a job of `kind` that
    works on them."""
    for i, (name, data) in enumerate(files):
        check(name, data, table=i == 0)
    path = unit.path if unit is not None else ""
    stored = [store(data, name=name or "tep", purpose=f"jobs.{kind}", unit_path=path) for name, data in files]
    digest = hashlib.sha256("|".join(s.sha256 for s in stored).encode()).hexdigest()
    return jobs.submit(kind, items=[digest], unit=unit, user=user, locks=[f"{kind}:{digest}"],
                       params={**(params or {}), "files": [s.pk for s in stored]})


def file_names(job: Job) -> list[str]:
    """The names of the job's files, in the order they were submitted (nothing is read)."""
    by_pk = StoredFile.objects.in_bulk(job.params.get("files", []))
    return [by_pk[pk].name for pk in job.params.get("files", []) if pk in by_pk]


def files_of(job: Job) -> list[tuple[str, bytes]]:
    """The job's files (name, content), in the order they were submitted, each checked against its hash."""
    by_pk = StoredFile.objects.in_bulk(job.params.get("files", []))
    return [(by_pk[pk].name, read(by_pk[pk])) for pk in job.params.get("files", [])]
