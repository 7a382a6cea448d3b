"""Uploaded attachments checked by their content, not their name (issue 17, point 6): a file named .pdf that is
not a PDF is refused, an image must really be a JPEG or PNG, and the size limit is the one stated on the form."""

from __future__ import annotations

import io
import os

from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader

from kyso.core.errors import InvalidInput

MAX_MB = 10
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"   # for <input type=file accept=…>


def sniff(data: bytes) -> str | None:
    """The media type the bytes really are (PDF, JPEG, PNG), or None."""
    if b"%PDF-" in data[:1024]:
        return PDF
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    return None


def _opens(data: bytes, media_type: str) -> bool:
    try:
        if media_type == PDF:
            return len(PdfReader(io.BytesIO(data), strict=False).pages) > 0
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return True
    except Exception:                      # noqa: BLE001 — any parser error means "not that kind of file"
        return False


def check_attachment(data: bytes, name: str, *, field: str = "file", max_mb: int = MAX_MB) -> str:
    """Return the real media type of an attachment, or raise InvalidInput naming the field: too large, an
    extension that is not PDF/JPEG/PNG, content that is not what the name says, or a file that does not open."""
    if len(data) > max_mb * 1024 * 1024:
        raise InvalidInput("files.too_large", _("%(name)s is larger than the allowed %(mb)s MB."), name=name,
                           mb=max_mb, fields={field: ("files.too_large", _("At most %(mb)s MB.") % {"mb": max_mb})})
    if not data:
        raise InvalidInput("files.empty", _("%(name)s is empty."), name=name,
                           fields={field: ("files.empty", _("The file is empty."))})
    claimed = EXTENSIONS.get(os.path.splitext(name or "")[1].lower())
    if claimed is None:
        raise InvalidInput("files.kind", _("%(name)s is not a PDF, JPEG or PNG file."), name=name,
                           fields={field: ("files.kind", _("Attach a PDF, JPEG or PNG file."))})
    real = sniff(data)
    if real != claimed or not _opens(data, real):
        raise InvalidInput("files.content", _("%(name)s is not really a %(kind)s file: its content is something "
                                              "else or it is damaged."), name=name, kind=_kind(claimed),
                           fields={field: ("files.content", _("The content of this file is not %(kind)s.")
                                           % {"kind": _kind(claimed)})})
    return real


def _kind(media_type: str) -> str:
    return {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}[media_type]
