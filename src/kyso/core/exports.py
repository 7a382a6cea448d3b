"""The one way to write an XLSX file: every cell escaped before it reaches a spreadsheet.

A value a spreadsheet would read as a formula (`=HYPERLINK(…)`, `+1+1`, `-2+3`, `@SUM(…)`, or one starting with a
tab or carriage return, also after leading spaces) is written as text with a leading apostrophe, so it shows what
was typed and never runs. Control characters (which XLSX cannot hold, and which would break the file) are dropped.
Numbers, dates and booleans are written as they are.

    sheet = XlsxSheet("Mau 02")
    sheet.row(["Mẫu số 02"], bold=True)
    sheet.row(header, bold=True, wrap=True)
    sheet.rows(data)
    sheet.widths([5, 25, 12])
    return xlsx_response(sheet.to_bytes(), "mau-02.xlsx")
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kyso.core.validators import CONTROL_CHARS

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What makes a spreadsheet start a formula (ASCII and full-width forms).
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def escape_cell(value):
    """The value as it may safely go into a cell: text de-fanged, everything else unchanged."""
    if value is None or isinstance(value, (bool, int, float, Decimal, dt.date, dt.datetime, dt.time)):
        return value
    text = CONTROL_CHARS.sub("", str(value))
    if text[:1] in ("\t", "\r") or text.lstrip(" \t\r\n\u00a0\u3000")[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def sheet_title(title: str) -> str:
    """A sheet name Excel accepts: no \\ / * ? : [ ], no control characters, at most 31 characters."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("-", CONTROL_CHARS.sub("", str(title))).strip("' ")
    return (cleaned or "Sheet")[:31]


class XlsxSheet:
    """One worksheet in a new workbook; add more with `sheet.add_sheet(title)`."""

    def __init__(self, title: str, workbook: Workbook | None = None):
        if workbook is None:
            self.workbook = Workbook()
            self.ws = self.workbook.active
            self.ws.title = sheet_title(title)
        else:
            self.workbook = workbook
            self.ws = workbook.create_sheet(sheet_title(title))

    def add_sheet(self, title: str) -> "XlsxSheet":
        return XlsxSheet(title, workbook=self.workbook)

    def row(self, values: Iterable = (), *, bold: bool = False, size: int | None = None, wrap: bool = False) -> None:
        self.ws.append([escape_cell(v) for v in values])
        if bold or size or wrap:
            for cell in self.ws[self.ws.max_row]:
                if bold or size:
                    cell.font = Font(bold=bold, size=size or 11)
                if wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="center")

    def rows(self, rows: Iterable[Iterable]) -> None:
        for values in rows:
            self.row(values)

    def widths(self, widths: Sequence[float]) -> None:
        for i, width in enumerate(widths, start=1):
            if width:
                self.ws.column_dimensions[get_column_letter(i)].width = width

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.workbook.save(buf)
        return buf.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
