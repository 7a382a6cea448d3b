"""An administrative document in the layout of Decree 30/2020/NĐ-CP (Appendix I).

Header: the governing body and the issuing unit (left, with the number and symbol), the
national motto (right) and the place and date; then the title, "Kính gửi", the body (lines,
paragraphs, tables, form fields), and the signature blocks. Forms 01–05 of Decision 508 and
the one-stop artefacts (receipt, slips, notices) are built from these pieces and rendered
as PDF or DOCX by `render_pdf` / `render_docx`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
# The form fields of a draft's number and issue date: "Số: [so]/QĐ-BHXH", "…, ngày [ngay] tháng [thang] năm [nam]".
ISSUE_FIELDS = ("kyso_so", "kyso_ngay", "kyso_thang", "kyso_nam")
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def vn_day_month(day: dt.date) -> tuple[str, str]:
    """Days under 10 and months 1–2 take a leading zero (Decree 30): ('05', '02'), ('15', '11')."""
    return f"{day.day:02d}", (f"{day.month:02d}" if day.month <= 2 else str(day.month))


def vn_date_phrase(place: str, day: dt.date) -> str:
    """'Hà Nội, ngày 05 tháng 02 năm 2026' (see `vn_day_month`)."""
    dd, mm = vn_day_month(day)
    return f"{place}, ngày {dd} tháng {mm} năm {day.year}"


URGENCY_MARKS = {"urgent": "KHẨN", "very_urgent": "THƯỢNG KHẨN", "express": "HỎA TỐC"}


def summary_line(summary: str) -> str:
    """'Về việc X' / 'V/v X' / 'X' → 'V/v X' (how a letter's summary is written under its number)."""
    text = (summary or "").strip()
    for prefix in ("V/v ", "v/v ", "Về việc ", "về việc "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return f"V/v {text}" if text else ""


def label_text(label: str) -> str:
    """A field's label without the colon the renderer adds ("Giới tính:" → "Giới tính"): never "::"."""
    return (label or "").rstrip().rstrip(":").rstrip()


def vn_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def vn_datetime(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    from django.utils import timezone

    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%H:%M:%S %d/%m/%Y")


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    align: str = "justify"  # left | center | right | justify
    indent: bool = False
    size: int = 13


@dataclass
class Field:
    """'Label: value' on a line (a filled-in form field); several fields may share a line."""

    label: str
    value: str = ""


@dataclass
class FieldLine:
    fields: list[Field]


@dataclass
class Checkbox:
    label: str
    options: list[tuple[str, bool]]  # (text, checked)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # relative widths
    size: int = 11


@dataclass
class Spacer:
    height_mm: float = 4


@dataclass
class SignatureBlock:
    """A signer's block: caption lines (e.g. 'KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'), note, name."""

    caption: list[str]
    name: str = ""
    note: str = ""  # e.g. "(Ký, ghi rõ họ tên)"
    date_line: str = ""  # a place-and-date line above the caption, as Forms 02 and 04 have
    blank_mm: float = 22  # the room left for the signature (a draft keeps room for the leader's whole stamp)


@dataclass
class OfficialDocument:
    title: str
    governing_body: str = ""
    issuer: str = ""
    number: str = ""  # "Số: 15/DS-BHXH"
    # A letter's summary, under its number and symbol (Decree 30, Appendix I, ô 5b): "V/v …" is added if missing.
    summary: str = ""
    urgency: str = ""          # "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC" (ô 10b), under the number / summary
    confidentiality: str = ""  # "MẬT", "TỐI MẬT", "TUYỆT MẬT" (ô 10a)
    place: str = ""
    date: dt.date | None = None
    subtitle: str = ""
    recipient: str = ""  # "Kính gửi: …"
    form_label: str = ""  # "Mẫu số 01" at the top right
    blocks: list = field(default_factory=list)
    signatures: list[SignatureBlock] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)  # "Nơi nhận"
    landscape: bool = False
    footer_note: str = ""
    # An e-document's number and issue date are given by the clerk after the leader has signed (Decree 30,
    # Art. 15-16): the draft carries empty form fields there (see ISSUE_FIELDS), filled when it is sealed.
    issue_fields: bool = False

    def text(self) -> str:
        """Plain text of the document (search, tests, accessibility)."""
        out = [self.form_label, self.governing_body, self.issuer, self.number, summary_line(self.summary),
               self.confidentiality, self.urgency, MOTTO_1, MOTTO_2]
        if self.date and self.place:
            out.append(vn_date_phrase(self.place, self.date))
        out += [self.title, self.subtitle, f"Kính gửi: {self.recipient}" if self.recipient else ""]
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, FieldLine):
                out.append("  ".join(f"{label_text(f.label)}: {f.value}" for f in b.fields))
            elif isinstance(b, Checkbox):
                out.append(label_text(b.label) + ": " + " ".join(("☒ " if c else "☐ ") + t for t, c in b.options))
            elif isinstance(b, Table):
                out.append(" | ".join(b.header))
                out += [" | ".join(r) for r in b.rows]
        for s in self.signatures:
            out += [s.date_line, *s.caption, s.note, s.name]
        if self.distribution:
            out += ["Nơi nhận:", *self.distribution]
        return "\n".join(x for x in out if x)
