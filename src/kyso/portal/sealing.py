"""Artefacts the agency issues are PDFs signed with the receiving office's organisation certificate
(`kyso.signing.seal.unit_seal`); a department without its own seal signs with its parent's. The signature is
visible as Decree 30 draws an organisation's: the seal image at real size over the signer's blank, with the
office's name and the time of signing. A dossier's result is different: the office's leader signs it first with
his own certificate, and the seal goes over his signature (`render_for_leader`, `seal_signed`)."""

from __future__ import annotations

from kyso.core.documents import OfficialDocument, render_pdf
from kyso.pki.ca import chain
from kyso.signing.decree30 import leader_box, seal_over
from kyso.signing.images import seal_image_of
from kyso.signing.pdf import SEAL_MM, Appearance, sign_pdf
from kyso.signing.seal import unit_seal

MM = 72 / 25.4


def sealing_unit(unit):
    while unit is not None and not unit.has_own_seal:
        unit = unit.parent
    return unit


def seal_document(doc: OfficialDocument, unit, *, reason: str) -> bytes:
    """Render `doc` and seal it, the seal's stamp centred on the blank of its (last) signature block."""
    spots: list = []
    pdf = render_pdf(doc, spots=spots)
    return seal_pdf(pdf, unit, reason=reason, spot=spots[-1] if spots else None)


def seal_pdf(pdf: bytes, unit, *, reason: str, spot=None) -> bytes:
    sealer = sealing_unit(unit)
    issued, key = unit_seal(sealer)
    appearance = None
    if spot is not None:
        page, (x1, y1, x2, y2) = spot
        side, cx, cy = SEAL_MM * MM, (x1 + x2) / 2, (y1 + y2) / 2
        appearance = Appearance(kind="office", organization=sealer.name, seal_image=seal_image_of(sealer),
                                page=page, box=(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2))
    return sign_pdf(pdf, key, issued.certificate, chain=chain(issued.ca.name), level="B-T", reason=reason,
                    appearance=appearance)


def render_for_leader(doc: OfficialDocument) -> tuple[bytes, int | None, tuple | None]:
    """(PDF, page, rectangle): `doc` rendered, and where its (last) signature block leaves room for the leader's
    stamp."""
    spots: list = []
    pdf = render_pdf(doc, spots=spots)
    if not spots:
        return pdf, None, None
    page, box = leader_box(spots[-1])
    return pdf, page, box


def seal_signed(pdf: bytes, unit, *, reason: str) -> bytes:
    """The office's seal over the leader's signature on `pdf` (Decree 30, Art. 32), as the e-office seals."""
    return seal_over(pdf, sealing_unit(unit), reason=reason)
