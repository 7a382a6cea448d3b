"""Reading CSV and XLSX uploads into rows, with Vietnamese or English headers.

Used by every import (units, staff, certificate registers, SIM lines). Refuses what it cannot read
with a clear error instead of guessing. The limits are settings (`KYSO_IMPORT_MAX_*`): the size of the file, and
for XLSX (a zip archive) its number of parts, their uncompressed size and compression ratio — checked from the zip
directory before the workbook is opened, so a zip bomb is refused in milliseconds —, then rows and columns.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput

_MB = 1024 * 1024


def fold(text: str) -> str:
    """Lower-case, without Vietnamese diacritics, single spaces: 'Mã đơn vị' -> 'ma don vi'."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict]]  # (row number as the user sees it, {canonical column: value})
    unknown_headers: list[str] = field(default_factory=list)


def _map_headers(raw_headers: list, aliases: dict[str, list[str]]) -> tuple[list[str | None], list[str]]:
    lookup = {}
    for canonical, names in aliases.items():
        lookup[fold(canonical)] = canonical
        for n in names:
            lookup[fold(n)] = canonical
    mapped, unknown = [], []
    for h in raw_headers:
        key = lookup.get(fold(h)) if h not in (None, "") else None
        mapped.append(key)
        if key is None and h not in (None, ""):
            unknown.append(str(h))
    return mapped, unknown


def heading(aliases: dict[str, list[str]], key: str) -> str:
    """The heading people write for a column: its first name (the key itself only for a column without one)."""
    return (aliases.get(key) or [key])[0]


def headings(aliases: dict[str, list[str]], keys=None) -> list[str]:
    return [heading(aliases, k) for k in (aliases if keys is None else keys)]


def _too_large(limit: int) -> InvalidInput:
    return InvalidInput("import.too_large", _("The file is too large (at most %(mb)s MB)."), mb=max(1, limit // _MB))


def check_zip(data: bytes, *, max_entries: int | None = None) -> None:
    """Refuse a zip archive whose directory announces too many parts, too many bytes once uncompressed or a
    compression ratio no real file has. Reads only the directory (Python's zip reader then refuses a part that
    inflates beyond the size announced), so it costs milliseconds whatever the archive holds."""
    max_entries = max_entries or settings.KYSO_IMPORT_MAX_ZIP_ENTRIES
    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # zipfile.BadZipFile for what is not a zip archive
        infos = zf.infolist()
    if len(infos) > max_entries:
        raise InvalidInput("import.zip_entries", _("The file holds too many parts (at most %(max)s)."),
                           max=max_entries)
    limit = settings.KYSO_IMPORT_MAX_UNCOMPRESSED_BYTES
    if sum(i.file_size for i in infos) > limit:
        raise InvalidInput("import.uncompressed_too_large",
                           _("Once unpacked, the file is too large (at most %(mb)s MB)."), mb=max(1, limit // _MB))
    ratio = settings.KYSO_IMPORT_MAX_COMPRESSION_RATIO
    if any(i.file_size > 1024 * 1024 and i.file_size > ratio * max(i.compress_size, 1) for i in infos):
        raise InvalidInput("import.zip_bomb",
                           _("The file is compressed far more than a real spreadsheet (a zip bomb?): it was refused."))


def check_size(size: int) -> None:
    """Refuse an upload larger than an import may be (before reading it)."""
    if size > settings.KYSO_IMPORT_MAX_BYTES:
        raise _too_large(settings.KYSO_IMPORT_MAX_BYTES)


def read_table(filename: str, data: bytes, aliases: dict[str, list[str]], required: list[str]) -> Table:
    check_size(len(data))
    if not data:
        raise InvalidInput("import.empty", _("The file is empty."))
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        raw = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")) or not name:
        raw = _read_csv(data)
    else:
        raise InvalidInput("import.format", _("Only CSV and XLSX files can be imported."))
    # header = first non-empty row
    header_index = next((i for i, r in enumerate(raw) if any(v not in (None, "") for v in r)), None)
    if header_index is None:
        raise InvalidInput("import.empty", _("The file is empty."))
    headers = [str(h).strip() if h is not None else "" for h in raw[header_index]]
    mapped, unknown = _map_headers(headers, aliases)
    missing = [c for c in required if c not in mapped]
    if missing:
        raise InvalidInput("import.missing_columns", _("Missing columns: %(columns)s."), columns=", ".join(headings(aliases, missing)))
    rows = []
    for offset, values in enumerate(raw[header_index + 1:], start=header_index + 2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {}
        for key, value in zip(mapped, values):
            if key is not None:
                row[key] = value.strip() if isinstance(value, str) else value
        rows.append((offset, row))
        if len(rows) > settings.KYSO_IMPORT_MAX_ROWS:
            raise _too_many_rows()
    return Table(headers=headers, rows=rows, unknown_headers=unknown)


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes nearly anything
        raise InvalidInput("import.encoding", _("The file is not UTF-8 text."))
    if "\x00" in text:
        raise InvalidInput("import.format", _("Only CSV and XLSX files can be imported."))
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [row for row in reader]
    except csv.Error as exc:
        raise InvalidInput("import.csv", _("The CSV file could not be read (line %(line)s)."), line=reader.line_num,
                           detail=str(exc)) from None


def _too_many_rows() -> InvalidInput:
    return InvalidInput("import.too_many_rows", _("Too many rows (at most %(max)s)."), max=settings.KYSO_IMPORT_MAX_ROWS)


def _too_many_columns() -> InvalidInput:
    return InvalidInput("import.too_many_columns", _("Too many columns (at most %(max)s)."),
                        max=settings.KYSO_IMPORT_MAX_COLUMNS)


def _read_xlsx(data: bytes) -> list[list]:
    try:
        check_zip(data)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidInput("import.xlsx", _("The XLSX file could not be read.")) from None
    max_rows = settings.KYSO_IMPORT_MAX_ROWS + 1000  # a title, blank and formatted-but-empty lines
    max_cols = settings.KYSO_IMPORT_MAX_COLUMNS
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook
        raise InvalidInput("import.xlsx", _("The XLSX file could not be read.")) from None
    try:
        ws = wb.worksheets[0]
        # the size the sheet declares (its <dimension>): refused before a cell is read
        if (ws.max_column or 0) > max_cols:
            raise _too_many_columns()
        if (ws.max_row or 0) > max_rows:
            raise _too_many_rows()
        rows = []
        # bounded whatever the sheet claims: one row and one column more than allowed, to catch a file that lied
        for row in ws.iter_rows(values_only=True, max_col=max_cols + 1, max_row=max_rows + 1):
            if len(rows) >= max_rows:
                raise _too_many_rows()
            if len(row) > max_cols and row[max_cols] not in (None, ""):
                raise _too_many_columns()
            rows.append(list(row[:max_cols]))
        return rows
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001 - a broken part found while reading (CRC, XML)
        raise InvalidInput("import.xlsx", _("The XLSX file could not be read.")) from None
    finally:
        wb.close()


def truthy(value) -> bool | None:
    """'có', 'x', 'yes', '1', True -> True; 'không', 'no', '0', '' -> False; otherwise None."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    v = fold(str(value))
    if v in {"co", "x", "yes", "y", "1", "true", "dung"}:
        return True
    if v in {"khong", "no", "n", "0", "false", "", "sai"}:
        return False
    return None
