"""DOCX rendering of an `OfficialDocument` (python-docx), Times New Roman as Decree 30 asks."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from kyso.core.validators import CONTROL_CHARS

from . import model as m

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
FONT = "Times New Roman"


def _run(par, text, size=13, bold=False, italic=False, underline=False):
    run = par.add_run(CONTROL_CHARS.sub("", str(text)))  # text kept before control characters were refused
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return run


def _par(container, text="", size=13, align="justify", bold=False, italic=False, space_after=2, underline=False):
    par = container.add_paragraph()
    par.alignment = ALIGN[align]
    par.paragraph_format.space_after = Pt(space_after)
    par.paragraph_format.space_before = Pt(0)
    if text:
        _run(par, text, size, bold, italic, underline)
    return par


def _cell_paragraphs(cell):
    first = cell.paragraphs[0]
    used = [False]

    def add(text, **kw):
        if not used[0]:
            used[0] = True
            first.alignment = ALIGN[kw.pop("align", "center")]
            _run(first, text, **kw)
            return first
        return _par(cell, text, **{"align": "center", **kw})

    return add


def render_docx(doc: m.OfficialDocument) -> bytes:
    d = Document()
    section = d.sections[0]
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = d.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)

    if doc.form_label:
        _par(d, doc.form_label, size=11, align="right", italic=True)
    date_line = m.vn_date_phrase(doc.place, doc.date) if (doc.place and doc.date) else ""
    if doc.governing_body or doc.issuer:
        t = d.add_table(rows=1, cols=2)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        left = _cell_paragraphs(t.cell(0, 0))
        if doc.governing_body:
            left(doc.governing_body.upper(), size=12)
        if doc.issuer:
            left(doc.issuer.upper(), size=12, bold=True)
        left("―――――", size=10)
        if doc.number:
            left(doc.number, size=13)
        if doc.summary:
            left(m.summary_line(doc.summary), size=12)
        for mark in (doc.confidentiality, doc.urgency):
            if mark:
                left(mark.upper(), size=13, bold=True)
        right = _cell_paragraphs(t.cell(0, 1))
        right(m.MOTTO_1, size=12, bold=True)
        right(m.MOTTO_2, size=13, bold=True, underline=True)
        if date_line:
            right(date_line, size=13, italic=True)
    else:
        _par(d, m.MOTTO_1, size=12, align="center", bold=True)
        p = _par(d, "", align="center")
        _run(p, m.MOTTO_2, size=13, bold=True, underline=True)
        if date_line:
            _par(d, date_line, size=13, align="right", italic=True)
    _par(d, "")
    _par(d, doc.title.upper(), size=14, align="center", bold=True)
    if doc.subtitle:
        _par(d, doc.subtitle, size=13, align="center", bold=True)
    if doc.recipient:
        _par(d, f"Kính gửi: {doc.recipient}", size=14, align="center")
    _par(d, "")
    for b in doc.blocks:
        if isinstance(b, m.Paragraph):
            p = _par(d, "", size=b.size, align=b.align)
            if b.indent:
                p.paragraph_format.first_line_indent = Mm(10)
            _run(p, b.text, b.size, b.bold, b.italic)
        elif isinstance(b, m.FieldLine):
            p = _par(d, "", align="left")
            for i, f in enumerate(b.fields):
                _run(p, ("    " if i else "") + f"{m.label_text(f.label)}: ")
                _run(p, f.value or "……………", bold=bool(f.value))
        elif isinstance(b, m.Checkbox):
            p = _par(d, "", align="left")
            _run(p, f"{m.label_text(b.label)}: ")
            _run(p, "  ".join(("■ " if c else "□ ") + t for t, c in b.options))
        elif isinstance(b, m.Table):
            t = d.add_table(rows=1, cols=len(b.header))
            t.style = "Table Grid"
            for i, h in enumerate(b.header):
                cell = t.rows[0].cells[i]
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(cell.paragraphs[0], h, size=b.size, bold=True)
            for row in b.rows:
                cells = t.add_row().cells
                for i, value in enumerate(row):
                    _run(cells[i].paragraphs[0], str(value), size=b.size)
        elif isinstance(b, m.Spacer):
            _par(d, "")
    cols = []
    if doc.distribution:
        cols.append(("dist", doc.distribution))
    for s in doc.signatures:
        cols.append(("sig", s))
    if cols:
        _par(d, "")
        t = d.add_table(rows=1, cols=max(2, len(cols)))
        offset = 1 if len(cols) == 1 else 0
        for i, (kind, content) in enumerate(cols):
            add = _cell_paragraphs(t.cell(0, i + offset))
            if kind == "dist":
                add("Nơi nhận:", size=12, bold=True, italic=True, align="left")
                for line in content:
                    add(f"- {line};", size=11, align="left")
                continue
            if content.date_line:
                add(content.date_line, size=13, italic=True)
            for line in content.caption:
                add(line, size=13, bold=True)
            if content.note:
                add(content.note, size=12, italic=True)
            for _ in range(4):
                add(" ", size=13)
            if content.name:
                add(content.name, size=13, bold=True)
    if doc.footer_note:
        _par(d, doc.footer_note, size=10, align="left", italic=True)
    d.core_properties.title = doc.title
    d.core_properties.author = doc.issuer or "Kyso"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
