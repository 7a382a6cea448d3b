"""Verification of PDF signatures with pyHanko: integrity, chain, revocation, timestamp, and what
changed after each signature (incremental-save "shadow" attacks are caught by the diff analysis)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from kyso.core.errors import InvalidInput

from . import report as r
from .pdf import MAX_PDF_BYTES
from .pyhanko_status import KEY_USAGE, fill
from .trust import TrustStore


def verify_pdf(data: bytes, report: r.DocumentReport, trust: TrustStore) -> None:
    if len(data) > MAX_PDF_BYTES:
        raise InvalidInput("signing.input.too_large", _("The file is larger than the allowed %(mb)s MB.") % {
            "mb": MAX_PDF_BYTES // (1024 * 1024)})
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_regular_signatures)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds on broken files
        raise InvalidInput("signing.input.pdf_malformed", _("The PDF document is malformed: %(detail)s") % {
            "detail": str(exc)[:200]}) from exc
    for emb in sigs:
        sig = r.SignatureReport(kind="PAdES", field_name=emb.field_name)
        try:
            sig.reason = str(emb.sig_object.get("/Reason") or "")[:500]
        except Exception:  # noqa: BLE001 - a damaged /Reason only loses the reason
            sig.reason = ""
        report.signatures.append(sig)
        try:
            status = validate_pdf_signature(emb, signer_validation_context=trust.validation_context(),
                                            ts_validation_context=trust.validation_context(),
                                            key_usage_settings=KEY_USAGE)
        except Exception as exc:  # noqa: BLE001 - a signature pyHanko cannot even parse is a format failure
            sig.check("format.invalid", False, _("The signature is malformed: %(detail)s") % {"detail": str(exc)[:200]},
                      fail=r.FORMAT_FAILURE)
            continue
        fill(sig, status, trust)
        sig.level = _level(emb, status)
        _coverage(sig, status)


def _level(emb, status) -> str:
    if getattr(status, "timestamp_validity", None) is None:
        return "B-B"
    return "B-LT" if emb.reader.root.get("/DSS") is not None else "B-T"


def _coverage(sig: r.SignatureReport, status) -> None:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        sig.check("coverage.whole", True, _("The signature covers the whole document."))
        return
    level = status.modification_level
    if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and level is not None \
            and level <= ModificationLevel.FORM_FILLING and status.docmdp_ok is not False:
        sig.check("coverage.later_signatures", True,
                  _("Later revisions only add signatures, timestamps or validation data."))
        return
    sig.check("coverage.modified", False,
              _("The document was modified after this signature in a way a signature does not allow "
                "(content changed after signing)."), indeterminate=r.SIG_CONSTRAINTS_FAILURE)
