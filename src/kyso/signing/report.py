"""Validation reports in the vocabulary of ETSI TS 119 102-1: an indication per signature and per
document, a sub-indication saying why, and the list of checks with a stable code and a Vietnamese message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

PASSED, FAILED, INDETERMINATE = "TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"
_RANK = {PASSED: 0, INDETERMINATE: 1, FAILED: 2}
EXIT_CODES = {PASSED: 0, FAILED: 1, INDETERMINATE: 2}

# ETSI TS 119 102-1 sub-indications used here.
HASH_FAILURE = "HASH_FAILURE"
SIG_CRYPTO_FAILURE = "SIG_CRYPTO_FAILURE"
REVOKED = "REVOKED"
REVOKED_NO_POE = "REVOKED_NO_POE"
NO_CERTIFICATE_CHAIN_FOUND = "NO_CERTIFICATE_CHAIN_FOUND"
OUT_OF_BOUNDS_NO_POE = "OUT_OF_BOUNDS_NO_POE"
OUT_OF_BOUNDS_NOT_REVOKED = "OUT_OF_BOUNDS_NOT_REVOKED"
NOT_YET_VALID = "NOT_YET_VALID"
FORMAT_FAILURE = "FORMAT_FAILURE"
SIG_CONSTRAINTS_FAILURE = "SIG_CONSTRAINTS_FAILURE"
CHAIN_CONSTRAINTS_FAILURE = "CHAIN_CONSTRAINTS_FAILURE"
TRY_LATER = "TRY_LATER"
SIGNED_DATA_NOT_FOUND = "SIGNED_DATA_NOT_FOUND"
NO_SIGNING_CERTIFICATE_FOUND = "NO_SIGNING_CERTIFICATE_FOUND"
CRYPTO_CONSTRAINTS_FAILURE_NO_POE = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
ALGORITHM_POLICY = "Kyso-ALG-2026 (ETSI TS 119 312)"     # algorithms.POLICY_NAME, named in every report
# EN 319 102-1, 5.1.3: only these sub-indications come with TOTAL_FAILED (the signature can never become
# valid); every other one — constraints, chain, expiry, missing proof of existence — with INDETERMINATE.
FAILED_SUBS = frozenset({FORMAT_FAILURE, HASH_FAILURE, SIG_CRYPTO_FAILURE, REVOKED, NOT_YET_VALID})


def indication_for(sub: str) -> str:
    """The indication a failed check with sub-indication `sub` leads to."""
    return FAILED if sub in FAILED_SUBS else INDETERMINATE


@dataclass
class Check:
    code: str          # stable, e.g. "integrity.digest"
    ok: bool | None    # None: could not be decided
    message: str       # Vietnamese (or the active language): what a person reads
    detail: str = ""   # the library's own words, for the IT Center (JSON and logs; never in the message)

    def to_dict(self):
        out = {"code": self.code, "ok": self.ok, "message": str(self.message)}
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass
class SignatureReport:
    kind: str                           # "PAdES", "XAdES", "XMLDSig", "CMS", "PDF timestamp"
    indication: str = PASSED
    sub_indication: str | None = None
    signer: str = ""                    # subject of the signing certificate
    signer_serial: str = ""
    issuer: str = ""
    signing_time: dt.datetime | None = None
    timestamp_time: dt.datetime | None = None
    field_name: str = ""
    title: str = ""
    organization: str = ""
    level: str = ""                     # B-B, B-T, B-LT …
    reason: str = ""                    # PDF /Reason (an attachment names its main document there, Art. 8.7)
    checks: list[Check] = field(default_factory=list)
    certificate: object = field(default=None, repr=False)   # the signer's x509 certificate, when known
    modifications: object = None        # PDF: pdfchanges.Changes — what changed after this signature

    def check(self, code: str, ok: bool | None, message: str, *, fail: str | None = None,
              indeterminate: str | None = None, detail: object = None) -> None:
        """Record one check; a failed check degrades the indication with its sub-indication (the
        indication follows the sub-indication's class in EN 319 102-1)."""
        self.checks.append(Check(code, ok, message, str(detail)[:300] if detail is not None else ""))
        if ok is False and fail:
            self._degrade(indication_for(fail), fail)
        elif ok is False and indeterminate:
            self._degrade(INDETERMINATE, indeterminate)
        elif ok is None and indeterminate:
            self._degrade(INDETERMINATE, indeterminate)

    def _degrade(self, indication: str, sub: str) -> None:
        if _RANK[indication] > _RANK[self.indication]:
            self.indication, self.sub_indication = indication, sub

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.checks if c.ok is not True]

    def to_dict(self):
        return {
            "kind": self.kind, "indication": self.indication, "sub_indication": self.sub_indication,
            "signer": self.signer, "signer_serial": self.signer_serial, "issuer": self.issuer,
            "signing_time": self.signing_time.isoformat() if self.signing_time else None,
            "timestamp_time": self.timestamp_time.isoformat() if self.timestamp_time else None,
            "field_name": self.field_name, "title": self.title, "organization": self.organization,
            "level": self.level, "reason": self.reason, "checks": [c.to_dict() for c in self.checks],
            "modifications": self.modifications.to_dict() if self.modifications is not None else None,
        }


@dataclass
class DocumentReport:
    format: str                                  # "pdf", "xml", "cms"
    filename: str = ""
    size: int = 0
    sha256: str = ""
    signatures: list[SignatureReport] = field(default_factory=list)
    document_checks: list[Check] = field(default_factory=list)
    validated_at: dt.datetime | None = None
    trust: object = field(default=None, repr=False)    # the TrustStore judged against (the ETSI report's objects)
    _indication: str | None = None
    _sub: str | None = None

    def fail_document(self, code: str, ok: bool | None, message: str, *, indication: str, sub: str) -> None:
        self.document_checks.append(Check(code, ok, message))
        if indication == FAILED and sub:
            indication = indication_for(sub)
        if ok is not True and (self._indication is None or _RANK[indication] > _RANK[self._indication]):
            self._indication, self._sub = indication, sub

    @property
    def indication(self) -> str:
        worst = self._indication or PASSED
        for sig in self.signatures:
            if _RANK[sig.indication] > _RANK[worst]:
                worst = sig.indication
        if not self.signatures:
            # EN 319 102-1, 5.1.3: no signature to validate — the signed data is not found (INDETERMINATE)
            return INDETERMINATE if worst == PASSED else worst
        return worst

    @property
    def sub_indication(self) -> str | None:
        if not self.signatures and not self._indication:
            return SIGNED_DATA_NOT_FOUND
        if self._indication == self.indication and self._sub:
            return self._sub
        for sig in self.signatures:
            if sig.indication == self.indication and sig.sub_indication:
                return sig.sub_indication
        return self._sub

    @property
    def unsigned(self) -> bool:
        """No signature, and no document check saying why (a signature unreadable, detached content missing)."""
        return not self.signatures and not any(c.ok is not True and c.code.startswith(("format.", "document."))
                                               for c in self.document_checks)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.indication]

    @property
    def codes(self) -> list[str]:
        out = [c.code for c in self.document_checks if c.ok is not True]
        if self.unsigned:
            out.append("document.no_signature")
        for sig in self.signatures:
            out.extend(sig.codes)
        return out

    @property
    def messages(self) -> list[str]:
        out = [str(c.message) for c in self.document_checks if c.ok is not True]
        if self.unsigned:
            out.append(_("The document carries no signature."))
        for i, sig in enumerate(self.signatures, 1):
            out.extend(f"{_('Signature')} {i}: {c.message}" for c in sig.checks if c.ok is not True)
        return out

    @property
    def summary(self) -> str:
        return {
            PASSED: _("All signatures are valid."),
            FAILED: _("The document is not validly signed."),
            INDETERMINATE: _("The validity of the signatures could not be established."),
        }[self.indication]

    def to_dict(self):
        return {
            "format": self.format, "filename": self.filename, "size": self.size, "sha256": self.sha256,
            "indication": self.indication, "sub_indication": self.sub_indication, "summary": str(self.summary),
            "algorithm_policy": ALGORITHM_POLICY,
            "validated_at": self.validated_at.isoformat() if self.validated_at else None,
            "document_checks": [c.to_dict() for c in self.document_checks],
            "signatures": [s.to_dict() for s in self.signatures],
            "codes": self.codes, "messages": self.messages,
        }
