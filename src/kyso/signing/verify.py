"""One entry point for every verification path (CLI, API, public page, e-dossier intake):
`verify_bytes` detects the format, refuses hostile input, and returns a `DocumentReport`."""

from __future__ import annotations

import hashlib
import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput, KysoError

from . import cmsverify, pdfverify

from .embedded import with_document_material
from . import policy
from . import report as r, smime, speedups
from .cmsverify import verify_cms
from .pdfverify import verify_pdf
from .report import DocumentReport
from .trust import TrustStore, default_trust
from .xmlinput import claims_signature as xml_claims_signature, looks_like_xml, to_utf8
from .xmlverify import verify_xml

MAX_BYTES = 50 * 1024 * 1024
log = logging.getLogger(__name__)
# pyHanko and its certificate validator log the ordinary troubles of hostile or incomplete files (an
# unexplained revision, missing revocation data) with tracebacks at WARNING; the report says what matters,
# so they are kept from the console unless their level is set explicitly.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.ERROR)


def detect(data: bytes) -> str:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if looks_like_xml(data):
        return "xml"
    if head.startswith(b"-----BEGIN PKCS7") or head.startswith(b"-----BEGIN CMS") or head[:1] == b"\x30":
        return "cms"
    if smime.is_smime(data):
        return "cms"
    # a damaged header does not hide a signature: a file that claims one gets a verdict
    if pdfverify.claims_signature(data):
        return "pdf"
    if xml_claims_signature(data):
        return "xml"
    raise InvalidInput("signing.input.unknown_format",
                       _("The file is neither a PDF, an XML document nor a CMS/PKCS#7 signature."))


def verify_bytes(data: bytes, *, filename: str | None = None, trust: TrustStore | None = None,
                 content: bytes | None = None, doc_type: str | None = None, expected_title: str = "",
                 caption: str = "", main_document: str = "") -> DocumentReport:
    """Verify every signature in `data`; with `doc_type`, also the Art. 8 rules for that kind of document;
    with `main_document` (number and symbol), that the file is that document's signed attachment (Art. 8.7)."""
    dtype = policy.check_type(doc_type)
    if not data:
        raise InvalidInput("signing.input.empty", _("The file is empty."))
    if len(data) > MAX_BYTES:
        raise InvalidInput("signing.input.too_large", _("The file is larger than the allowed %(mb)s MB."),
                           mb=MAX_BYTES // (1024 * 1024))
    fmt = detect(data)
    original = data
    if fmt == "xml":
        data = to_utf8(data)      # UTF-16/32 read as the same characters in UTF-8 (digests unchanged)
    elif smime.is_smime(data):
        data, content = _from_smime(data, content)
    with speedups.scope():
        # the document's own validation data (DSS, XAdES values, CAdES revocation values): offline long-term
        # checks
        trust = with_document_material(trust or default_trust(), data, fmt)
        report = DocumentReport(format=fmt, filename=filename or "", size=len(original),
                                sha256=hashlib.sha256(original).hexdigest(), validated_at=timezone.now(),
                                trust=trust)
        _verify_guarded(fmt, data, report, trust, content, original)
    policy.apply(report, dtype, expected_title=expected_title, caption=caption, main_document=main_document)
    return report


def _from_smime(data: bytes, content: bytes | None) -> tuple[bytes, bytes | None]:
    """The CMS an S/MIME message carries, and the content it signs (multipart/signed: the message's own first
    part, whatever was given besides). A damaged message is left as it is: it claims a signature, so the CMS
    reader's failure gives it TOTAL_FAILED / FORMAT_FAILURE."""
    try:
        der, signed_content = smime.unwrap(data)
    except (ValueError, LookupError, TypeError):
        return data, content
    return der, signed_content if signed_content is not None else content


# refused before anything is parsed, whatever the file claims
_REFUSED = frozenset({"signing.input.too_large", "signing.input.xml_dtd", "signing.input.empty"})
FORMAT_NAMES = {"pdf": "PDF", "xml": "XML", "cms": "CMS/PKCS#7"}


def claims_signature(data: bytes) -> bool:
    """The file says it is signed — a PDF signature dictionary, an XML signature, a CMS signedData — however
    damaged the rest is."""
    return (pdfverify.claims_signature(data) or xml_claims_signature(data) or cmsverify.claims_signature(data)
            or smime.is_smime(data))


def _verify_guarded(fmt: str, data: bytes, report: DocumentReport, trust: TrustStore, content: bytes | None,
                    original: bytes) -> None:
    try:
        _verify_format(fmt, data, report, trust, content)
    except InvalidInput as exc:
        # EN 319 102-1: a file that claims a signature gets an indication; a refusal only for one that claims none
        if exc.code in _REFUSED or not (claims_signature(data) or claims_signature(original)):
            raise
        log.debug("signed %s file unreadable: %s", fmt, exc.code)
        if exc.code.startswith("signing.input."):
            report.fail_document("format.unreadable", False, _("The file claims to be signed, but it is not a "
                                                               "well-formed %(format)s file: the signature cannot "
                                                               "be read.") % {"format": FORMAT_NAMES[fmt]},
                                 indication=r.FAILED, sub=r.FORMAT_FAILURE)
        else:
            _unprocessable(report)
    except KysoError:
        raise
    except Exception:  # noqa: BLE001 - a file of a known format always gets a verdict, never a 5xx
        log.debug("verification of a %s file stopped", fmt, exc_info=True)
        _unprocessable(report)


def _unprocessable(report: DocumentReport) -> None:
    report.fail_document("format.unprocessable", False, _("The signature could not be processed: the file "
                                                          "does not follow the format it claims."),
                         indication=r.FAILED, sub=r.FORMAT_FAILURE)


def _verify_format(fmt: str, data: bytes, report: DocumentReport, trust: TrustStore, content: bytes | None) -> None:
    if fmt == "pdf":
        verify_pdf(data, report, trust)
    elif fmt == "xml":
        verify_xml(data, report, trust)
    else:
        verify_cms(data, report, trust, content=content)
