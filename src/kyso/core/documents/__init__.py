"""Vietnamese administrative documents (Decree 30/2020 layout) rendered as PDF and DOCX."""

from .model import (Checkbox, Field, FieldLine, OfficialDocument, Paragraph, SignatureBlock, Spacer, Table,  # noqa: F401
                    vn_date, vn_date_phrase, vn_datetime)


def render_pdf(doc):
    from .pdf import render_pdf as _render

    return _render(doc)


def render_docx(doc):
    from .docx import render_docx as _render

    return _render(doc)
