"""One entry point for every verification path (CLI, API, public page, e-dossier intake):
`verify_bytes` detects the format, refuses hostile input, and returns a `DocumentReport`."""

from __future__ import annotations

import hashlib

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput

from .report import DocumentReport
from .trust import TrustStore, default_trust

MAX_BYTES = 50 * 1024 * 1024


def detect(data: bytes) -> str:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"<"):
        return "xml"
    if head.startswith(b"-----BEGIN PKCS7") or head.startswith(b"-----BEGIN CMS") or head[:1] == b"\x30":
        return "cms"
    raise InvalidInput("signing.input.unknown_format",
                       _("The file is neither a PDF, an XML document nor a CMS/PKCS#7 signature."))


def verify_bytes(data: bytes, *, filename: str | None = None, trust: TrustStore | None = None,
                 content: bytes | None = None, doc_type: str | None = None, expected_title: str = "",
                 caption: str = "", main_document: str = "") -> DocumentReport:
    """Verify every signature in `data`; with `doc_type`, also the Art. 8 rules for that kind of document;
    with `main_document` (number and symbol), that the file is that document's signed attachment (Art. 8.7)."""
    from . import policy

    dtype = policy.check_type(doc_type)
    if not data:
        raise InvalidInput("signing.input.empty", _("The file is empty."))
    if len(data) > MAX_BYTES:
        raise InvalidInput("signing.input.too_large", _("The file is larger than the allowed %(mb)s MB."),
                           mb=MAX_BYTES // (1024 * 1024))
    fmt = detect(data)
    trust = trust or default_trust()
    report = DocumentReport(format=fmt, filename=filename or "", size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), validated_at=timezone.now())
    if fmt == "pdf":
        from .pdfverify import verify_pdf

        verify_pdf(data, report, trust)
    elif fmt == "xml":
        from .xmlverify import verify_xml

        verify_xml(data, report, trust)
    else:
        from .cmsverify import verify_cms

        verify_cms(data, report, trust, content=content)
    policy.apply(report, dtype, expected_title=expected_title, caption=caption, main_document=main_document)
    return report
