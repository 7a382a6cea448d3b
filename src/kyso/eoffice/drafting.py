"""A draft in the layout of Decree 30/2020/NĐ-CP, for documents written in Kyso rather than uploaded.

The number and the issue date are empty form fields ("Số: [  ]/QĐ-BHXH", "Hà Nội, ngày [ ] tháng [ ] năm [ ]"):
the clerk gives them when he seals (Art. 15) — filled in a revision after the leader's signature, which form
filling leaves valid — and they are also shown on the organisation's signature. The signature area is left free for the leader's visible signature, which
draws his title, signature image and name (`signing.pdf.Appearance`)."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader, PdfWriter

from kyso.core.documents.model import URGENCY_MARKS, OfficialDocument, Paragraph, SignatureBlock
from kyso.core.documents.pdf import render_pdf
from kyso.signing.decree30 import LEADER_MM, leader_box as stamp_box

NBSP = "\u00a0"
BLANK_KEY = "/KysoSignatureBlank"  # where the draft left room for it: "page x1 y1 x2 y2" in points


def _with_blank(pdf: bytes, spot) -> bytes:
    page, (x1, y1, x2, y2) = stamp_box(spot)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({BLANK_KEY: f"{page} {x1:.2f} {y1:.2f} {x2:.2f} {y2:.2f}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def leader_box(pdf: bytes) -> tuple[int, tuple[float, float, float, float]] | None:
    """The room a Kyso draft left for the leader's stamp — its top level with "Nơi nhận", at the right (Decree
    30, Appendix I) — or None for a draft uploaded as a PDF."""
    value = (PdfReader(io.BytesIO(pdf)).metadata or {}).get(BLANK_KEY)
    if not value:
        return None
    page, *box = str(value).split()
    return int(page), tuple(float(v) for v in box)


def render_draft(*, organization: str, symbol_suffix: str, place: str, subject: str, body: str,
                 governing_body: str = "", title: str = "", recipient: str = "", distribution: list[str] | None = None,
                 signer_title: str = "", signer_name: str = "", day: dt.date | None = None, urgency: str = "",
                 confidentiality: str = "") -> bytes:
    """`urgency` is the e-office's value (urgent, very_urgent, express) or the mark itself; a letter (no title)
    carries its summary as "V/v …" under the number, other kinds as the line under their title."""
    paragraphs = [Paragraph(p.strip(), indent=True) for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    doc = OfficialDocument(
        title=title or "", governing_body=governing_body, issuer=organization,
        number=f"Số: {NBSP * 8}/{symbol_suffix}", place=place, date=day or dt.date.today(),
        subtitle=subject if title else "", summary="" if title else subject, recipient=recipient, blocks=paragraphs,
        urgency=URGENCY_MARKS.get(urgency, urgency if urgency != "normal" else ""), confidentiality=confidentiality,
        distribution=distribution or ["Như trên", "Lưu: VT"],
        # an empty block keeps "Nơi nhận" on the left and the space on the right free for the signature
        signatures=[SignatureBlock(caption=[], blank_mm=LEADER_MM[1])], issue_fields=True)
    spots: list = []
    pdf = render_pdf(doc, spots=spots)
    return _with_blank(pdf, spots[-1])
