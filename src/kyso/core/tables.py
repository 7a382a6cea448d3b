"""Reading CSV and XLSX uploads into rows, with Vietnamese or English headers.

Used by every import (units, staff, certificate registers). Refuses what it cannot read
with a clear error instead of guessing; caps the size and the number of rows.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput

MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024


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


def read_table(filename: str, data: bytes, aliases: dict[str, list[str]], required: list[str]) -> Table:
    if len(data) > MAX_BYTES:
        raise InvalidInput("import.too_large", _("The file is too large (at most %(mb)s MB)."), mb=MAX_BYTES // (1024 * 1024))
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
        raise InvalidInput("import.missing_columns", _("Missing columns: %(columns)s."), columns=", ".join(missing))
    rows = []
    for offset, values in enumerate(raw[header_index + 1:], start=header_index + 2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {}
        for key, value in zip(mapped, values):
            if key is not None:
                row[key] = value.strip() if isinstance(value, str) else value
        rows.append((offset, row))
        if len(rows) > MAX_ROWS:
            raise InvalidInput("import.too_many_rows", _("Too many rows (at most %(max)s)."), max=MAX_ROWS)
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
    try:
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise InvalidInput("import.csv", _("The CSV file could not be read: %(detail)s"), detail=str(exc)) from None


def _read_xlsx(data: bytes) -> list[list]:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
            if total > 20 * MAX_BYTES:  # decompression bomb
                raise InvalidInput("import.too_large", _("The file is too large (at most %(mb)s MB)."), mb=MAX_BYTES // (1024 * 1024))
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001 - any unreadable workbook
        raise InvalidInput("import.xlsx", _("The XLSX file could not be read.")) from None
    try:
        ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 10:
                raise InvalidInput("import.too_many_rows", _("Too many rows (at most %(max)s)."), max=MAX_ROWS)
        return rows
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
