"""PDF rendering of an `OfficialDocument` (reportlab), Times-compatible Liberation Serif with Vietnamese."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle)
from reportlab.platypus.flowables import Flowable, HRFlowable

from . import model as m

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "KysoSerif"
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


@lru_cache(maxsize=1)
def register_fonts() -> str:
    faces = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
    for suffix, face in faces.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(FONT_DIR / f"LiberationSerif-{face}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Italic", boldItalic=FONT + "-BoldItalic")
    return FONT


def _style(size=13, align="justify", bold=False, italic=False, leading=None, space_after=2):
    name = FONT + ("-BoldItalic" if bold and italic else "-Bold" if bold else "-Italic" if italic else "")
    return ParagraphStyle(f"s{size}{align}{bold}{italic}", fontName=name, fontSize=size,
                          leading=leading or size * 1.3, alignment=ALIGN[align], spaceAfter=space_after)


def _p(text, **kw):
    return Paragraph(escape(text or "").replace("\n", "<br/>"), _style(**kw))


class _FieldLine(Flowable):
    """A centred line of text with empty form fields in it, e.g. "Số: [    ]/QĐ-BHXH". A field is (name, width in
    points). Fields use Times (a standard font: their digits are filled in later with no embedded font)."""

    def __init__(self, parts: list, size: int = 13, italic: bool = False):
        super().__init__()
        self.parts, self.size, self.italic = parts, size, italic
        self.font = FONT + ("-Italic" if italic else "")

    def _width(self, part) -> float:
        return pdfmetrics.stringWidth(part, self.font, self.size) if isinstance(part, str) else part[1]

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.size * 1.3 + 2
        return self.width, self.height

    def draw(self):
        x = (self.width - sum(self._width(p) for p in self.parts)) / 2
        baseline = self.size * 0.3 + 2
        for part in self.parts:
            if isinstance(part, str):
                self.canv.setFont(self.font, self.size)
                self.canv.drawString(x, baseline, part)
            else:
                name, w = part
                self.canv.acroForm.textfield(
                    name=name, value="", x=x, y=baseline - self.size * 0.3, width=w, height=self.size * 1.25,
                    relative=True, borderWidth=0, fillColor=colors.transparent, borderColor=colors.transparent,
                    textColor=colors.black, fontName="Times-Roman",  # one font: reportlab repeats /Font for two
                    fontSize=self.size, maxlen=12, annotationFlags="print", tooltip=name)
            x += self._width(part)


def _number_with_field(doc: m.OfficialDocument):
    """'Số:      /QĐ-BHXH' → 'Số: ' + field + '/QĐ-BHXH' (what follows the blank stays printed)."""
    suffix = doc.number.rsplit("/", 1)[1] if "/" in doc.number else ""
    return _FieldLine(["Số: ", (m.ISSUE_FIELDS[0], 30), f"/{suffix}" if suffix else ""], size=13)


def _date_with_fields(doc: m.OfficialDocument):
    f = m.ISSUE_FIELDS
    return _FieldLine([f"{doc.place}, ngày ", (f[1], 16), " tháng ", (f[2], 16), " năm ", (f[3], 30)], size=13,
                      italic=True)


def _rule(length: float) -> HRFlowable:
    return HRFlowable(width=length, thickness=0.7, color=colors.black, spaceBefore=0, spaceAfter=4, hAlign="CENTER")


def _header(doc: m.OfficialDocument, width: float):
    flow = []
    if doc.form_label:
        flow.append(_p(doc.form_label, size=11, align="right", italic=True))
    date_line = m.vn_date_phrase(doc.place, doc.date) if (doc.place and doc.date) else ""
    if doc.issue_fields and doc.place:
        date_line = _date_with_fields(doc)
    # Decree 30, Appendix I: the rule under the motto is as long as its second line; the rule under the issuer is
    # from a third to a half of its line, both centred under the words (the header table centres them, `ALIGN`).
    motto = [_p(m.MOTTO_1, size=12, align="center", bold=True), _p(m.MOTTO_2, size=13, align="center", bold=True),
             _rule(pdfmetrics.stringWidth(m.MOTTO_2, FONT + "-Bold", 13))]
    if doc.governing_body or doc.issuer:
        left = []
        if doc.governing_body:
            left.append(_p(doc.governing_body.upper(), size=12, align="center"))
        if doc.issuer:
            left.append(_p(doc.issuer.upper(), size=12, align="center", bold=True))
        line = min(pdfmetrics.stringWidth(doc.issuer.upper() or doc.governing_body.upper(), FONT + "-Bold", 12),
                   width * 0.42)
        left.append(_rule(line * 0.4))
        if doc.number:
            left.append(_number_with_field(doc) if doc.issue_fields else _p(doc.number, size=13, align="center"))
        if doc.summary:
            left.append(_p(m.summary_line(doc.summary), size=12, align="center"))
        left += _marks(doc)
        right = list(motto)
        if date_line:
            right.append(date_line if isinstance(date_line, Flowable)
                         else _p(date_line, size=13, align="center", italic=True))
        t = Table([[left, right]], colWidths=[width * 0.42, width * 0.58])
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        flow.append(t)
    else:
        flow += motto
        flow += _marks(doc)
        if date_line:
            flow.append(date_line if isinstance(date_line, Flowable)
                        else _p(date_line, size=13, align="right", italic=True))
    flow.append(Spacer(1, 6 * mm))
    return flow


def _marks(doc: m.OfficialDocument) -> list:
    """Confidentiality and urgency marks (Decree 30, ô 10a/10b): bold capitals in a frame, under the number."""
    out = []
    for mark in (doc.confidentiality, doc.urgency):
        if mark:
            t = Table([[_p(mark.upper(), size=13, align="center", bold=True, space_after=0)]],
                      colWidths=[pdfmetrics.stringWidth(mark.upper(), FONT + "-Bold", 13) + 10 * mm])
            t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.black), ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
            out += [Spacer(1, 2 * mm), t]
    return out


def _field_line(line: m.FieldLine):
    parts = []
    for f in line.fields:
        value = escape(f.value) if f.value else "……………"
        label = escape(m.label_text(f.label))
        parts.append(f"{label}: <b>{value}</b>" if f.value else f"{label}: {value}")
    return Paragraph("&nbsp;&nbsp;&nbsp;&nbsp;".join(parts), _style(size=13, align="left"))


def _checkbox(box: m.Checkbox):
    opts = "&nbsp;&nbsp;".join(("■ " if checked else "□ ") + escape(text) for text, checked in box.options)
    return Paragraph(f"{escape(m.label_text(box.label))}: {opts}", _style(size=13, align="left"))


def _table(tbl: m.Table, width: float):
    cell = _style(size=tbl.size, align="left", leading=tbl.size * 1.2, space_after=0)
    head = _style(size=tbl.size, align="center", bold=True, leading=tbl.size * 1.2, space_after=0)
    data = [[Paragraph(escape(h), head) for h in tbl.header]]
    data += [[Paragraph(escape(str(c)), cell) for c in row] for row in tbl.rows]
    # splitInRow: a row taller than a page (a long note on the control slip) goes on over the next page
    t = LongTable(data, colWidths=_column_widths(tbl, width), repeatRows=1, splitInRow=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    return t


def _column_widths(tbl: m.Table, width: float) -> list[float]:
    """The relative widths asked, widened where a header word would not fit (a header never breaks inside a word,
    "STT" is never "S T T"); the other columns give the room back in proportion."""
    rel = tbl.widths or [1] * len(tbl.header)
    widths = [width * r / sum(rel) for r in rel]
    need = [max((pdfmetrics.stringWidth(w, FONT + "-Bold", tbl.size) for w in (h or "").split()), default=0) + 13
            for h in tbl.header]
    short = sum(max(0.0, n - w) for n, w in zip(need, widths))
    spare = sum(w - n for n, w in zip(need, widths) if w > n)
    if short and spare > short:
        widths = [n if w <= n else w - (w - n) * short / spare for n, w in zip(need, widths)]
    return widths


class _SignatureSpace(Flowable):
    """The blank between a signer's caption and his name, where the signature or the seal goes: where it
    lands (page, rectangle in points) is written into `spots`, so that the signature's stamp can be put
    there (Decree 30, Appendix I: the seal over the signature, under the caption)."""

    def __init__(self, height: float, spots: list | None):
        super().__init__()
        self.height, self.spots = height, spots

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.height

    def draw(self):
        if self.spots is not None:
            x, y = self.canv.absolutePosition(0, 0)
            self.spots.append((self.canv.getPageNumber() - 1, (x, y, x + self.width, y + self.height)))


def _signatures(doc: m.OfficialDocument, width: float, spots: list | None = None):
    cols = []
    for s in doc.signatures:
        cell = []
        if s.date_line:
            cell.append(_p(s.date_line, size=13, align="center", italic=True))
        elif any(o.date_line for o in doc.signatures):      # captions side by side stand level
            cell.append(Spacer(1, 13 * 1.3 + 2))
        for i, line in enumerate(s.caption):
            cell.append(_p(line, size=13, align="center", bold=True))
        if s.note:
            cell.append(_p(s.note, size=12, align="center", italic=True))
        cell.append(_SignatureSpace(s.blank_mm * mm, spots))
        if s.name:
            cell.append(_p(s.name, size=13, align="center", bold=True))
        cols.append(cell)
    if doc.distribution:
        dist = [_p("Nơi nhận:", size=12, align="left", bold=True, italic=True)]
        dist += [_p(f"- {d};", size=11, align="left") for d in doc.distribution]
        cols.insert(0, dist)
    if not cols:
        return []
    if len(cols) == 1:
        cols.insert(0, [])
    t = Table([cols], colWidths=[width / len(cols)] * len(cols))
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [Spacer(1, 6 * mm), KeepTogether(t)]


def render_pdf(doc: m.OfficialDocument, spots: list | None = None) -> bytes:
    """The document as a PDF; with `spots`, the place of each signer's blank is appended to it as
    (page index, (x1, y1, x2, y2)) in the order of `doc.signatures`."""
    register_fonts()
    buf = io.BytesIO()
    pagesize = landscape(A4) if doc.landscape else A4
    tpl = SimpleDocTemplate(buf, pagesize=pagesize, leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=doc.title, author=doc.issuer or "Kyso", subject=doc.subtitle,
                            creator="Kyso")
    width = pagesize[0] - 45 * mm
    flow = _header(doc, width)
    flow.append(_p(doc.title.upper(), size=14, align="center", bold=True))
    if doc.subtitle:
        flow.append(_p(doc.subtitle, size=13, align="center", bold=True))
    if doc.recipient:
        flow.append(Spacer(1, 3 * mm))
        flow.append(_p(f"Kính gửi: {doc.recipient}", size=14, align="center"))
    flow.append(Spacer(1, 5 * mm))
    for b in doc.blocks:
        if isinstance(b, m.Paragraph):
            text = ("&nbsp;" * 8 if b.indent else "") + escape(b.text).replace("\n", "<br/>")
            flow.append(Paragraph(text, _style(size=b.size, align=b.align, bold=b.bold, italic=b.italic)))
        elif isinstance(b, m.FieldLine):
            flow.append(_field_line(b))
        elif isinstance(b, m.Checkbox):
            flow.append(_checkbox(b))
        elif isinstance(b, m.Table):
            flow.append(_table(b, width))
        elif isinstance(b, m.Spacer):
            flow.append(Spacer(1, b.height_mm * mm))
    flow += _signatures(doc, width, spots)
    if doc.footer_note:
        flow.append(Spacer(1, 4 * mm))
        flow.append(_p(doc.footer_note, size=10, align="left", italic=True))
    tpl.build(flow)
    return buf.getvalue()
