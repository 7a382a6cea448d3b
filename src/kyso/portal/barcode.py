"""Barcode dossiers (letter 2671): printed forms whose data sits in a 2D barcode, unsigned. The desk
scans the printout; zxing-cpp decodes the image, the payload (the form's XML) pre-fills the intake."""

from __future__ import annotations

import io

import zxingcpp
from django.utils.translation import gettext_lazy as _

from lxml import etree
from PIL import Image, UnidentifiedImageError

from kyso.core.errors import InvalidInput
from kyso.signing.xml import parse as parse_xml

from . import schemas
from .models import ProcedureForm

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000


def decode_image(data: bytes) -> bytes:
    """The bytes of the first 2D barcode (QR, PDF417, DataMatrix, Aztec) found in a scanned image."""
    if not data:
        raise InvalidInput("portal.barcode.no_image", _("Attach the scanned image of the form."))
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput("portal.barcode.image_too_large", _("The scanned image is larger than 15 MB."))
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise InvalidInput("portal.barcode.image_too_large", _("The scanned image is larger than 15 MB."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise InvalidInput("portal.barcode.not_an_image", _("The file is not a readable image (PNG, JPEG, TIFF).")) from None
    formats = [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.PDF417, zxingcpp.BarcodeFormat.DataMatrix,
               zxingcpp.BarcodeFormat.Aztec]
    found = [b for b in zxingcpp.read_barcodes(image.convert("L"), formats=formats) if b.valid]
    if not found:
        raise InvalidInput("portal.barcode.not_found", _("No readable 2D barcode was found on the scanned form."))
    return found[0].bytes


def encode_png(payload: bytes, *, fmt: str = "QRCode", scale: int = 4) -> bytes:
    """The barcode printed on a form (what the submitter's software prints), as PNG."""
    code = zxingcpp.create_barcode(payload.decode("utf-8"), getattr(zxingcpp.BarcodeFormat, fmt))
    img = code.to_image(scale=scale, add_quiet_zones=True)
    pil = Image.frombytes("L", (img.shape[1], img.shape[0]), bytes(memoryview(img)))
    out = io.BytesIO()
    pil.save(out, "PNG")
    return out.getvalue()


def prefill(payload: bytes) -> dict:
    """What the desk form shows before the officer confirms: the form, its procedure, key fields."""
    root = parse_xml(payload)
    ns = schemas.namespace_of(root)
    form = ProcedureForm.objects.select_related("procedure").filter(namespace=ns, mandatory=True).first() or \
        ProcedureForm.objects.select_related("procedure").filter(namespace=ns).first()
    if form is None:
        raise InvalidInput("portal.barcode.unknown_form", _("The barcode does not hold a known form (XML namespace %(ns)s)."),
                           ns=ns or "—")
    texts = {etree_local(el): (el.text or "").strip() for el in root.iter() if isinstance(el.tag, str) and len(el) == 0}
    name = texts.get("UBND") or texts.get("TenDonVi") or texts.get("HoTen") or ""
    return {"form": form.code, "procedure": form.procedure.code, "procedure_name": form.procedure.name,
            "name": name, "tax_code": texts.get("MaSoThue", ""),
            "submitter_kind": "commune" if "UBND" in texts else ("employer" if "MaSoThue" in texts else "citizen"),
            "fields": texts, "payload": payload.decode("utf-8", "replace")}


def etree_local(el) -> str:
    return etree.QName(el).localname
