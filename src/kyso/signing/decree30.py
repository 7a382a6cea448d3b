"""The two signatures of a document an office issues (Decree 30/2020/NĐ-CP, Art. 32 and Appendix I; Decision
508, Art. 8.2–8.5): first the competent person's, with his own certificate — his visible stamp shows his title
(with KT./TL./TUQ. when he signs on behalf), his signature image and his name —, then the organisation's, with
the seal certificate the clerk keeps, its stamp (the seal at real size) over the left third of the person's.
The e-office's outgoing documents and the portal's dossier results are signed and sealed by these helpers."""

from __future__ import annotations

from kyso.pki.ca import chain

from .images import seal_image_of, signature_image_of
from .pdf import Appearance, sign_pdf
from .seal import unit_seal

LEADER_MM = (75, 45)            # the leader's stamp: title, signature image, name (`pdf.leader_page`)
MM = 72 / 25.4
DEPUTY = "Phó "                 # "Phó Giám đốc" signs "KT. GIÁM ĐỐC" (Decree 30, Appendix I)


def leader_box(spot) -> tuple[int, tuple[float, float, float, float]]:
    """(page, rectangle) of the leader's stamp on a signature block's blank (`render_pdf(spots=…)`): centred
    across the block, its top level with the blank's top."""
    page, (x1, _y1, x2, y2) = spot
    width, height = LEADER_MM[0] * MM, LEADER_MM[1] * MM
    cx = (x1 + x2) / 2
    return page, (round(cx - width / 2, 2), round(y2 - height, 2), round(cx + width / 2, 2), round(y2, 2))


def on_behalf(title: str) -> tuple[str, str]:
    """(caption, title signed for) of a deputy — "Phó Giám đốc" → ("KT.", "Giám đốc") —, ("", "") otherwise."""
    title = (title or "").strip()
    if title.startswith(DEPUTY) and len(title) > len(DEPUTY):
        rest = title[len(DEPUTY):].strip()
        return "KT.", rest[:1].upper() + rest[1:]
    return "", ""


def leader_appearance(person, *, title: str, name: str = "", caption: str | None = None, on_behalf_of: str = "",
                      page: int | None = None, box=None) -> Appearance:
    """The competent person's stamp. `caption=None` reads it from the title (a deputy signs KT. for the head)."""
    if caption is None:
        caption, on_behalf_of = on_behalf(title)
    return Appearance(kind="leader", title=title, caption=caption, on_behalf_of=on_behalf_of,
                      name=name or (person.full_name if person is not None else ""),
                      signature_image=signature_image_of(person) if person is not None else None, page=page, box=box)


def seal_over(pdf: bytes, unit, *, reason: str = "", document_number: str = "") -> bytes:
    """The organisation's signature on what the competent person has signed (refused on a document he has not:
    `pdf.signing_setup`), with the unit's seal certificate; the number and symbol, if given, on its band."""
    issued, key = unit_seal(unit)
    return sign_pdf(pdf, key, issued.certificate, chain=chain()[:-1], level="B-T", reason=reason,
                    appearance=Appearance(kind="organization", organization=unit.name, seal_image=seal_image_of(unit),
                                          document_number=document_number))
