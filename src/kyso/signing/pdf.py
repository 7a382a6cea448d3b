"""PAdES signing (B-B, B-T with our TSA, B-LT and B-LTA with complete validation material: `pades_lt.py`) and the visible
appearance of Vietnamese e-documents (Decree 30/2020/NĐ-CP, Appendix I; Decision 508, Art. 8.3)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.sign import fields
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.stamp import StaticStampStyle, TextStampStyle

from kyso.core.documents.pdf import register_fonts
from kyso.core.errors import InvalidInput, InvalidState, KysoError

from .fonts import stamp_font
from .keys import KeyHandleSigner
from .policy import is_person
from .pades_lt import LONG_TERM, make_long_term
from .timestamps import KysoTimeStamper

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
KINDS = ("leader", "organization", "attachment", "office")
CAPTIONS = ("", "KT.", "TL.", "TUQ.")      # signing on behalf (Art. 8.3): caption before the title
MM = 72 / 25.4
SEAL_MM = 36                                # a seal's real diameter, placed at real size
MAX_PDF_BYTES = 50 * 1024 * 1024
# Art. 8.7: an attachment in a separate file names its main document in the signature's /Reason, where a
# verifier can read it (the visible stamp shows the same number).
ATTACHMENT_REASON = "Kèm theo văn bản số {number}"
VN_TZ = dt.timezone(dt.timedelta(hours=7))


@dataclass
class Appearance:
    """What the visible signature shows.

    leader: the competent person's signature image centred between his title (with KT./TL./TUQ.) and name.
    organization: the seal image at real size over the left third of the leader's signature, with the
    organisation's name and the signing time (ISO 8601, Vietnam time).
    attachment: top right of page 1, no image: number and symbol of the main document, signing time,
    Liberation Serif 10 black.
    office: the organisation's stamp (as `organization`) on a document the office issues by itself with its
    organisation certificate alone — a receipt, a notice of the one-stop desk (Decision 352) — placed by `box`."""

    kind: str = "leader"
    title: str = ""
    caption: str = ""
    on_behalf_of: str = ""       # with a caption: the title signed for ("Giám đốc" in "KT. GIÁM ĐỐC")
    name: str = ""
    organization: str = ""
    document_number: str = ""
    signature_image: bytes | None = None
    seal_image: bytes | None = None
    page: int | None = None
    box: tuple[float, float, float, float] | None = None

    def check(self) -> None:
        if self.kind not in KINDS:
            raise InvalidInput("signing.appearance.unknown", _("Unknown appearance %(kind)s."), kind=self.kind)
        if self.caption not in CAPTIONS:
            raise InvalidInput("signing.appearance.caption", _("The caption must be KT., TL. or TUQ."))
        if self.kind == "attachment" and not self.document_number:
            raise InvalidInput("signing.appearance.document_number",
                               _("An attachment's signature shows the number and symbol of the main document."))


def _check_pdf(data: bytes) -> PdfFileReader:
    if len(data) > MAX_PDF_BYTES:
        raise InvalidInput("signing.input.too_large", _("The file is larger than the allowed %(mb)s MB."),
                           mb=MAX_PDF_BYTES // (1024 * 1024))
    if not data.lstrip()[:5] == b"%PDF-":
        raise InvalidInput("signing.input.not_pdf", _("The file is not a PDF document."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root  # noqa: B018 - force parsing of the trailer and catalogue
        reader.root["/Pages"]  # noqa: B018
        return reader
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds on broken files
        raise InvalidInput("signing.input.pdf_malformed", _("The PDF document is malformed and cannot be read."),
                           detail=str(exc)[:200]) from exc


def _page_box(reader: PdfFileReader, page: int) -> tuple[float, float]:
    pages = reader.root["/Pages"]
    count = int(pages["/Count"])
    if not -count <= page < count:
        raise InvalidInput("signing.appearance.page", _("The document has no page %(page)s."), page=page + 1)

    mb = reader.find_page_for_modification(page % count)[0].get_object()
    box = mb.get("/MediaBox") or pages.get("/MediaBox") or [0, 0, 595, 842]
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def _existing_signatures(reader: PdfFileReader):
    return list(reader.embedded_signatures)


def _signed_by_a_person(existing) -> bool:
    """Whether a competent person (not an organisation) has already signed: Decree 30, Art. 32."""
    for emb in existing:
        try:
            if is_person(x509.load_der_x509_certificate(emb.signer_cert.dump())):
                return True
        except Exception:  # noqa: BLE001 - an unreadable earlier signature proves nothing
            continue
    return False


def _text_style(size: int = 10) -> TextBoxStyle:
    return TextBoxStyle(font=GlyphAccumulatorFactory(stamp_font(), font_size=size), font_size=size, leading=size + 2)


def _stamp(appearance: Appearance, reader: PdfFileReader, signer_name: str, now: dt.datetime):
    """(field box, page, stamp style, stamp text) for an appearance."""
    width, height = _page_box(reader, appearance.page if appearance.page is not None else
                              (0 if appearance.kind == "attachment" else -1))
    page = appearance.page if appearance.page is not None else (0 if appearance.kind == "attachment" else -1)
    # Decree 30, Appendix I: the time of signing with the Vietnamese time zone; the date as people write it.
    when = now.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M:%S +07:00")
    if appearance.kind == "attachment":
        box = appearance.box or (width - 60 * MM, height - 22 * MM, width - 10 * MM, height - 8 * MM)
        text = f"{appearance.organization}\nSố, ký hiệu: {appearance.document_number}\n{when}" \
            if appearance.organization else f"Số, ký hiệu: {appearance.document_number}\n{when}"
        style = TextStampStyle(stamp_text=text, text_box_style=_text_style(10), border_width=0)
        return box, page, style
    if appearance.kind in ("organization", "office"):
        side = SEAL_MM * MM
        box = appearance.box or _seal_box(reader, side, width)
        # The clerk gives the number and date when he seals (Decree 30, Art. 15): shown on the seal's band.
        lines = [appearance.organization] + ([f"Số: {appearance.document_number}"] if appearance.document_number
                                             else []) + [when]
        return box, page, _page_style(seal_page(box[2] - box[0], box[3] - box[1], appearance.seal_image, lines))
    # leader: title (with caption) above, the signature image centred in the middle, the name below —
    # drawn as a small PDF page (pyHanko's text stamps cannot centre lines).
    box = appearance.box or (width - 95 * MM, 30 * MM, width - 20 * MM, 75 * MM)
    return box, page, _page_style(leader_page(box[2] - box[0], box[3] - box[1], title_lines(appearance),
                                              appearance.name or signer_name, appearance.signature_image))


def _page_style(page_pdf: bytes) -> StaticStampStyle:
    """A stamp that is exactly the given one-page PDF (drawn by us with reportlab: centred lines, real sizes)."""
    return StaticStampStyle(background=_PdfPageBytes(page_pdf), border_width=0, background_opacity=1.0,
                            background_layout=SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MID,
                                                                  y_align=AxisAlignment.ALIGN_MID,
                                                                  margins=Margins(0, 0, 0, 0)))


def title_lines(appearance: Appearance) -> list[str]:
    """Decree 30, Appendix I: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" when signing on behalf (the signer keeps his
    own title and certificate, Art. 8.3 of Decision 508); otherwise the title alone."""
    own = appearance.title.upper()
    if appearance.caption and appearance.on_behalf_of:
        return [f"{appearance.caption} {appearance.on_behalf_of.upper()}", own]
    return [" ".join(p for p in (appearance.caption, own) if p)]


def leader_page(width: float, height: float, titles: list[str], name: str, image: bytes | None) -> bytes:
    """One page of `width` × `height` points: titles (bold, centred) at the top, the signature image
    centred between them and the name (bold, centred) at the bottom; Liberation Serif (Times metrics)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = register_fonts() + "-Bold"
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))

    def centred(text: str, y: float, size: float = 12) -> None:
        while size > 6 and stringWidth(text, font, size) > width - 4:
            size -= 0.5
        c.setFont(font, size)
        c.drawCentredString(width / 2, y, text)

    line = 14
    top = height - line + 2
    for i, text in enumerate(titles):
        centred(text, top - i * line)
    centred(name, 4)
    if image is not None:
        img = _pil(image)
        area_top, area_bottom = top - (len(titles) - 1) * line - 4, 4 + line
        area_h, area_w = max(area_top - area_bottom, 1), width - 4
        scale = min(area_w / img.width, area_h / img.height)
        w, h = img.width * scale, img.height * scale
        c.drawImage(ImageReader(img), (width - w) / 2, area_bottom + (area_h - h) / 2, w, h, mask="auto")
    c.showPage()
    c.save()
    return buf.getvalue()


def seal_page(width: float, height: float, seal: bytes | None, lines: list[str]) -> bytes:
    """The organisation's signature: the seal image filling the box (the box is the seal's real size), the
    organisation's name and the signing time in small type on a light band across its lower part, so that
    both stay legible over the red seal."""
    from reportlab.lib.colors import Color
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    if seal is not None:
        c.drawImage(ImageReader(_pil(seal)), 0, 0, width, height, mask="auto", preserveAspectRatio=True)
    size, leading = 6.5, 7.5
    while size > 4 and max(stringWidth(t, font, size) for t in lines) > width - 2:
        size -= 0.25
        leading = size + 1
    band = leading * len(lines) + 2
    bottom = height * 0.18
    c.setFillColor(Color(1, 1, 1, alpha=0.8))
    c.rect(0, bottom, width, band, stroke=0, fill=1)
    c.setFillColor(Color(0, 0, 0))
    c.setFont(font, size)
    for i, text in enumerate(lines):
        c.drawCentredString(width / 2, bottom + band - 1 - leading * (i + 1) + (leading - size) / 2 + 1, text)
    c.showPage()
    c.save()
    return buf.getvalue()


class _PdfPageBytes(ImportedPdfPage):
    """pyHanko's imported page, from bytes in memory instead of a file name."""

    def __init__(self, data: bytes):
        super().__init__(None)
        self.data = data

    def render(self) -> bytes:
        import binascii
        import uuid

        xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name + b" Do"


def _seal_box(reader: PdfFileReader, side: float, page_width: float):
    """Over the left third of the competent person's signature (its field's rectangle)."""
    for sig in _existing_signatures(reader):
        rect = sig.sig_field.get("/Rect") if hasattr(sig, "sig_field") else None
        if rect is None:
            try:
                rect = sig.sig_field["/Kids"][0]["/Rect"]
            except Exception:  # noqa: BLE001
                rect = None
        if rect is not None:
            x1, y1, x2, y2 = (float(v) for v in rect)
            if x2 - x1 > 1:
                right = x1 + (x2 - x1) / 3
                yc = (y1 + y2) / 2
                return (right - side, yc - side / 2, right, yc + side / 2)
    return (page_width - 95 * MM - side / 2, 35 * MM, page_width - 95 * MM + side / 2, 35 * MM + side)


def _pil(png: bytes):
    from PIL import Image

    try:
        img = Image.open(io.BytesIO(png))
        img.load()
    except Exception as exc:  # noqa: BLE001
        raise InvalidInput("signing.appearance.image", _("The signature or seal image is not a readable PNG.")) from exc
    return img.convert("RGBA")


def sign_pdf(data: bytes, key, cert: x509.Certificate, *, chain: Sequence[x509.Certificate] = (), level: str = "B-T",
             appearance: Appearance | None = None, field_name: str | None = None, reason: str = "",
             location: str = "") -> bytes:
    """Sign a PDF as PAdES at `level`, invisibly or with a Decree 30 appearance."""
    if level not in LEVELS:
        raise InvalidInput("signing.level.unsupported", _("Unsupported signature level %(level)s for PDF."), level=level)
    with _refuse_malformed():
        return _sign_pdf(data, key, cert, chain, level, appearance, field_name, reason, location)


# What pyHanko raises on a structurally broken file (cyclic page tree, dangling references, wrong types):
# the answer to such a file is a clear refusal, not a crash.
_STRUCTURE_ERRORS = (PdfError, KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError)


@contextlib.contextmanager
def _refuse_malformed():
    try:
        yield
    except KysoError:
        raise
    except _STRUCTURE_ERRORS as exc:
        raise InvalidInput("signing.input.pdf_malformed", _("The PDF document is malformed and cannot be read."),
                           detail=str(exc)[:200]) from exc


def _sign_pdf(data, key, cert, chain, level, appearance, field_name, reason, location) -> bytes:
    meta, timestamper, style, spec = signing_setup(data, cert, chain, level, appearance, field_name, reason, location)
    signer = KeyHandleSigner(key, cert, chain)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec).sign_pdf(
        writer, bytes_reserved=_bytes_reserved(signer, timestamper, meta, [cert, *chain]))
    if level in LONG_TERM:
        return make_long_term(out.getvalue(), level)
    return out.getvalue()


_RESERVED: dict[tuple, int] = {}


def _bytes_reserved(signer, timestamper, meta, certs) -> int:
    """Room for the signature container: pyHanko's estimate (a dry-run signature, with its 50 % margin for
    time-stamp responses of varying size), made once per signer, chain, level and digest instead of once per
    document. The container's size depends on nothing else (not on the document, its appearance or reason)."""
    key = (tuple(c.public_bytes(serialization.Encoding.DER) for c in certs), type(timestamper).__name__,
           meta.md_algorithm, meta.subfilter, meta.cades_signed_attr_spec is None)
    found = _RESERVED.get(key)
    if found is None:
        if len(_RESERVED) > 4096:
            _RESERVED.clear()
        found = _RESERVED[key] = asyncio.run(_estimate(signer, timestamper, meta))
    return found


async def _estimate(signer, timestamper, meta) -> int:
    """As pyHanko's `PdfSigningSession.estimate_signature_container_size` (not tight)."""
    test_md = hashlib.new(meta.md_algorithm).digest()
    attrs = PdfCMSSignedAttributes(signing_time=dt.datetime.now(dt.timezone.utc),
                                   cades_signed_attrs=meta.cades_signed_attr_spec)
    pades = meta.subfilter in (fields.SigSeedSubFilter.PADES, fields.SigSeedSubFilter.PBAD_PADES)
    container = await signer.async_sign(test_md, meta.md_algorithm, use_pades=pades, dry_run=True,
                                        timestamper=timestamper, signed_attr_settings=attrs)
    length = len(container.dump()) * 2
    return length + 2 * (length // 4)


def signing_setup(data, cert, chain, level, appearance, field_name, reason, location):
    """(metadata, timestamper, stamp style, field spec) for one signature: shared by signing at once and by
    deferred signing (`deferred.py`), where the holder's phone signs the hash later."""
    reader = _check_pdf(data)
    if reader.encrypted:
        raise InvalidInput("signing.input.pdf_encrypted", _("Encrypted PDF documents cannot be signed."))
    existing = _existing_signatures(reader)
    field_name = field_name or f"Signature{len(existing) + 1}"
    if any(s.field_name == field_name for s in existing):
        raise InvalidInput("signing.pdf.field_exists", _("The document already has a signature field named %(name)s."),
                           name=field_name)
    # B-LT and B-LTA are made at B-T here; their validation material follows in its own revision.
    meta = PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
                                reason=reason or None, location=location or None)
    timestamper = KysoTimeStamper() if level != "B-B" else None
    style, spec = None, fields.SigFieldSpec(sig_field_name=field_name)
    if appearance is not None:
        appearance.check()
        if appearance.kind == "attachment" and not reason:
            meta = dataclasses.replace(meta, reason=ATTACHMENT_REASON.format(number=appearance.document_number))
        if appearance.kind == "organization" and not _signed_by_a_person(existing):
            raise InvalidState("signing.pdf.organization_before_leader",
                               _("The organisation's signature goes only onto a document the competent person "
                                 "has already signed (Decree 30, Art. 32)."))
        cn = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        box, page, style = _stamp(appearance, reader, cn[0].value if cn else "", dt.datetime.now(dt.timezone.utc))
        spec = fields.SigFieldSpec(sig_field_name=field_name, box=box, on_page=page)
    return meta, timestamper, style, spec
