"""Verification of PDF signatures: for each signature field, the form of the signature (`pdfsyntax`), then
integrity, chain, revocation and timestamp with pyHanko (`verify_signature`, one place to hook validation
data), then what changed after it (`pdfchanges`: difference analysis, appended bytes, shadow attacks,
DocMDP/FieldMDP). A file that claims a signature always gets a verdict; only a file that is no readable PDF
and claims none is refused."""

from __future__ import annotations

import asyncio
import io
import logging
import re

from cryptography import x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm, enumerate_sig_fields
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from kyso.core.errors import InvalidInput

from . import algorithms, pdfchanges, pdfmdp, pdfpoe, pdfsyntax
from .cmsverify import signer_certificate_present
from . import report as r
from .embedded import archive_check, pdf_level
from .pdf import MAX_PDF_BYTES
from .pyhanko_status import KEY_USAGE, fill
from .trust import TrustStore

log = logging.getLogger(__name__)

# adbe.pkcs7.sha1 (a SHA-1 digest signed; deprecated by ISO 32000-2, no PAdES sub-filter) and adbe.x509.rsa_sha1
# are not verified: a malformed signature for this verifier, like any other sub-filter
SUBFILTERS = {"/adbe.pkcs7.detached", "/ETSI.CAdES.detached"}
_CLAIM = re.compile(rb"/ByteRange\s*\[|/Type\s*/Sig\b|/FT\s*/Sig\b")
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
# a signature value, or a signature field that points to one (/V) — not a blank field
_SIGNED_FIELD = rb"/FT\s*/Sig\b(?:(?!endobj).){0,2000}?/V\s+\d+\s+\d+\s+R|/V\s+\d+\s+\d+\s+R(?:(?!endobj).){0,2000}?/FT\s*/Sig\b"
_SIGNATURE_VALUE = re.compile(rb"/ByteRange\s*\[|/Type\s*/Sig\b|" + _SIGNED_FIELD, re.S)


def claims_signature(data: bytes) -> bool:
    return _CLAIM.search(data) is not None


def _unexplained_signature(data: bytes, reader) -> bool:
    """The bytes claim a signature the reader does not see: a signature value, or a signature field when the
    reader sees no field at all (a blank signature field of an unsigned document explains `/FT /Sig`)."""
    if _SIGNATURE_VALUE.search(data):
        return True
    try:
        blank = next(enumerate_sig_fields(reader, filled_status=False), None)
    except Exception:  # noqa: BLE001 - a form the reader cannot walk explains nothing
        blank = None
    return blank is None and claims_signature(data)


def verify_pdf(data: bytes, report: r.DocumentReport, trust: TrustStore) -> None:
    if len(data) > MAX_PDF_BYTES:
        raise InvalidInput("signing.input.too_large", _("The file is larger than the allowed %(mb)s MB.") % {
            "mb": MAX_PDF_BYTES // (1024 * 1024)})
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        fields = list(enumerate_sig_fields(reader, filled_status=True))
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds on broken files
        log.debug("PDF unreadable: %s", exc)
        if not claims_signature(data):
            raise InvalidInput("signing.input.pdf_malformed", _("The PDF document is malformed and cannot be read."),
                               detail=str(exc)[:200]) from exc
        _verify_signed_prefixes(data, report, trust)
        return
    if not fields and _unexplained_signature(data, reader):
        # a signature dictionary no form field points to (or in a part of the file the reader skipped, e.g. an
        # update cut short): judge what can be judged
        _verify_signed_prefixes(data, report, trust)
        return
    verify_fields(data, reader, fields, report, trust)


def verify_fields(data: bytes, reader, fields, report: r.DocumentReport, trust: TrustStore,
                  unreadable_after: bool = False) -> None:
    found: list[tuple[r.SignatureReport, EmbeddedPdfSignature, pdfsyntax.ByteRange]] = []
    values = [_value_ref(field_ref) for _n, _v, field_ref in fields]
    shared = {ref for ref in values if ref is not None and values.count(ref) > 1}
    for fq_name, sig_value, field_ref in fields:
        sig = r.SignatureReport(kind="PAdES", field_name=str(fq_name))
        try:
            sig_object = sig_value.get_object()
            if _is_document_timestamp(sig_object):
                continue        # document timestamps: judged with the signatures they protect
            reason = sig_object.get("/Reason")
            sig.reason = str((reason.get_object() if isinstance(reason, generic.IndirectObject) else reason) or "")[:500]
        except Exception:  # noqa: BLE001 - a damaged /Reason only loses the reason
            sig_object = None
        report.signatures.append(sig)
        emb, br = _embedded(reader, field_ref, fq_name, sig_object, data, sig, shared)
        if emb is not None:
            found.append((sig, emb, br))
    embs = [emb for _s, emb, _b in found]
    stamps = pdfpoe.judged(reader, trust) if found else []
    proven = pdfpoe.held(stamps)
    for sig, emb, br in found:
        verify_signature(emb, sig, trust, existed_at=pdfpoe.proof_for(proven, emb.signed_revision))
        if pdfmdp.misplaced_certification(emb, embs):
            sig.check("coverage.certification", False, _("This certification signature is not the document's "
                                                         "first signature: only the first signature can certify "
                                                         "a document, so its permissions are not in force."),
                      indeterminate=r.SIG_CONSTRAINTS_FAILURE)
        for stamp in reversed(stamps):      # oldest first, as they were added; each one covers the signature
            if stamp.revision > emb.signed_revision:
                archive_check(sig, intact=stamp.intact, when=stamp.time, detail=stamp.detail,
                              weak=stamp.weak)
        try:
            changes = pdfchanges.analyse(emb, embs, data, br.end)
        except Exception as exc:  # noqa: BLE001 - what cannot be analysed is not explained
            log.debug("changes after %s not analysed: %s", emb.field_name, exc)
            changes = pdfchanges.Changes(level="other", problems=[_("A later revision of the file cannot be read.")])
        if unreadable_after:
            changes.level = "other"
            changes.problems.append(_("The part of the file after this signature cannot be read."))
        judge_changes(sig, changes)


def _is_document_timestamp(sig_object) -> bool:
    """A document time-stamp: /Type /DocTimeStamp with its sub-filter (ISO 32000-2, 12.8.5). A CMS signature
    whose dictionary only says /Type /DocTimeStamp is a malformed signature, not a time-stamp (else it would
    pass unjudged, and as an LTA update even after a DocMDP P=1 certification)."""
    return sig_object.get("/Type") == "/DocTimeStamp" and sig_object.get("/SubFilter") == "/ETSI.RFC3161"


class _Embedded(EmbeddedPdfSignature):
    """pyHanko's view of one signature, its DocMDP level read as ISO 32000-2 says (Table 257: /P and
    /TransformParams may be absent, meaning 2 — pyHanko refused such a certification as malformed)."""

    @property
    def docmdp_level(self) -> MDPPerm | None:
        level = pdfmdp.read_docmdp(self.sig_object, self.sig_field)
        return MDPPerm(level) if level is not None else None


def _embedded(reader, field_ref, fq_name, sig_object, data, sig, shared=frozenset()):
    """The pyHanko view of one signature, or None after recording why the signature is malformed. `shared`:
    references of signature dictionaries that more than one field names (one signature shown as several)."""
    subfilter = str(sig_object.get("/SubFilter")) if sig_object is not None else ""
    problem = ""
    if sig_object is None:
        problem = "unreadable signature dictionary"
    elif subfilter not in SUBFILTERS:
        problem = f"unsupported /SubFilter {subfilter[:40]}"
    elif not isinstance(sig_object.get("/Filter"), generic.NameObject):
        problem = "no /Filter (ISO 32000-2, 12.8.1: required)"
    elif sig_object.get("/Type") not in (None, "/Sig"):
        problem = "/Type is neither /Sig nor absent (ISO 32000-2, Table 255)"
    elif _value_ref(field_ref) in shared:
        problem = "the signature dictionary is the value of several fields"
    br = None
    if not problem:
        br, problem = pdfsyntax.byte_range_problem(sig_object, data, _value_ref(field_ref))
    emb = None
    if not problem:
        try:
            emb = _Embedded(reader, field_ref, fq_name)
            emb.signer_info  # noqa: B018 - parsed now
        except Exception as exc:  # noqa: BLE001 - Contents not a CMS SignedData, no SignerInfo, …
            problem = f"/Contents is not a CMS signature: {str(exc)[:120]}"
    if not problem:
        try:
            emb.docmdp_level  # noqa: B018 - read now
        except ValueError as exc:
            problem = f"unreadable DocMDP permissions: {exc}"
    if problem:
        log.debug("signature %s malformed: %s", fq_name, problem)
        sig.check("format.invalid", False, _("The signature is malformed: its byte range or its signature value "
                                             "is not a valid PDF signature."), fail=r.FORMAT_FAILURE)
        return None, None
    return emb, br


def _value_ref(field_ref):
    """The reference of a signature field's /V (None when direct or unreadable: then nothing is located)."""
    try:
        raw = field_ref.get_object().raw_get("/V")
    except Exception:  # noqa: BLE001
        return None
    return raw.reference if isinstance(raw, generic.IndirectObject) else None


def verify_signature(emb: EmbeddedPdfSignature, sig: r.SignatureReport, trust: TrustStore,
                     existed_at=None) -> None:
    """Integrity, signature value, timestamp and certificate of one PDF signature (no change analysis).
    `existed_at`: when a later document time-stamp proves the signature existed — its own time-stamp is judged
    at that time (its authority's certificate may have expired since), not now."""
    if not signer_certificate_present(emb.signed_data, emb.signer_info):
        sig.check("certificate.missing", False, _("The signature does not carry its signer's certificate."),
                  indeterminate=r.NO_SIGNING_CERTIFICATE_FOUND)
        return
    try:
        status = asyncio.run(async_validate_pdf_signature(emb, signer_validation_context=trust.validation_context(),
                                        ts_validation_context=trust.validation_context(at=existed_at),
                                        key_usage_settings=KEY_USAGE, skip_diff=True,
                                        algorithm_policy=algorithms.COMPUTE_ALL))
    except Exception as exc:  # noqa: BLE001 - a signature pyHanko cannot even parse is a format failure
        log.debug("signature %s not validated: %s", emb.field_name, exc)
        sig.check("format.invalid", False, _("The signature is malformed."), detail=exc, fail=r.FORMAT_FAILURE)
        return
    fill(sig, status, trust, other_certs=[x509.load_der_x509_certificate(c.dump()) for c in
                                          _safe(lambda: emb.other_embedded_certs)], ts_at=existed_at,
         signer_info=emb.signer_info)
    sig.level = pdf_level(emb, status)
    if sig.level == "B-LTA" and existed_at is None:
        sig.level = "B-LT"          # a document time-stamp follows, but none of them holds
    algorithms.judge(sig, [emb.md_algorithm, *algorithms.signer_info_digests(emb.signer_info)[1:]])



def _safe(get):
    try:
        return list(get() or ())
    except Exception:  # noqa: BLE001 - no extra certificates, no extra help
        return []


def judge_changes(sig: r.SignatureReport, changes: pdfchanges.Changes) -> None:
    sig.modifications = changes
    if changes.permitted and changes.level == "none":
        sig.check("coverage.whole", True, _("The signature covers the whole document."))
    elif changes.permitted:
        sig.check("coverage.later_changes", True, _("Later revisions only make changes the signature permits: "
                                                    "%(level)s.") % {"level": changes.level_label})
    else:
        for problem in changes.problems:
            sig.check("coverage.modified", False, problem, indeterminate=r.SIG_CONSTRAINTS_FAILURE)
    if changes.overlays:
        sig.check("coverage.shadow", False, _("Content added after signing is drawn over signed content "
                                              "(shadow attack)."), indeterminate=r.SIG_CONSTRAINTS_FAILURE)


def _verify_signed_prefixes(data: bytes, report: r.DocumentReport, trust: TrustStore) -> None:
    """The file as a whole cannot be read: judge each signature on its own signed revision (the bytes up to
    the end of its /ByteRange); whatever follows could not be analysed, so it is an unexplained change."""
    ends = sorted({int(m.group(3)) + int(m.group(4)) for m in _BYTE_RANGE.finditer(data)
                   if int(m.group(3)) + int(m.group(4)) <= len(data)}, reverse=True)
    for end in ends:
        prefix = data[:end]
        try:
            reader = PdfFileReader(io.BytesIO(prefix), strict=False)
            fields = list(enumerate_sig_fields(reader, filled_status=True))
        except Exception as exc:  # noqa: BLE001
            log.debug("signed revision ending at %s unreadable: %s", end, exc)
            continue
        if fields:
            verify_fields(prefix, reader, fields, report, trust, unreadable_after=end < len(data.rstrip()))
            return
    report.fail_document("format.unreadable", False, _("The file claims to be signed, but neither the file nor any "
                                                       "signed revision of it can be read."),
                         indication=r.FAILED, sub=r.FORMAT_FAILURE)

