"""The certificate half of every verification: chain to an accepted root, validity at signing time,
revocation, key usage — one function for PDF, XML and CMS, built on pyhanko-certvalidator."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools

from cryptography import x509
from cryptography.x509 import ocsp
from django.utils import translation
from django.utils.translation import gettext as _
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator import errors as cv

from kyso.core import display

from . import certcache, report as r
from .keys import to_asn1
from .trust import TrustStore

# A signature on a document needs digitalSignature or nonRepudiation (contentCommitment) — either one, as
# for PDF and CMS (pyhanko_status.KEY_USAGE); certvalidator's own usage check would demand all listed.
SIGNING_USAGES = ("digital_signature", "content_commitment")
VN_TZ = dt.timezone(dt.timedelta(hours=7))
EXPIRED_CERTS_ON_CRL = x509.ObjectIdentifier("2.5.29.60")


def usage_allows_signing(cert: x509.Certificate) -> bool:
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True     # RFC 5280: no keyUsage extension, no restriction
    return any(getattr(ku, name) for name in SIGNING_USAGES)


def describe(cert: x509.Certificate, sig: r.SignatureReport) -> None:
    """Fill who signed: name, serial, issuer, title and organisation from the subject."""
    sig.certificate = cert
    sig.signer, sig.signer_serial, sig.issuer, sig.title, sig.organization = _described(cert)


@functools.lru_cache(maxsize=4096)
def _described(cert: x509.Certificate) -> tuple[str, str, str, str, str]:
    def attr(oid):
        vals = cert.subject.get_attributes_for_oid(oid)
        return vals[0].value if vals else ""

    return (attr(x509.NameOID.COMMON_NAME) or cert.subject.rfc4514_string(), format(cert.serial_number, "x"),
            cert.issuer.rfc4514_string(), attr(x509.NameOID.TITLE),
            attr(x509.NameOID.ORGANIZATIONAL_UNIT_NAME) or attr(x509.NameOID.ORGANIZATION_NAME))


def check_certificate(sig: r.SignatureReport, cert: x509.Certificate, *, trust: TrustStore,
                      at: dt.datetime | None, other_certs=(), has_timestamp: bool = False) -> None:
    """Validate `cert` at time `at` (the timestamp time when there is one, else now) and record the outcome.
    The outcome is computed once per signer, CA set and revocation data (`certcache`), then replayed."""
    trust = issued_while_valid(trust, cert)
    if trust.allow_fetching:
        checks = _validate(cert, trust, at, other_certs, has_timestamp)
    else:
        key = ("certcheck", certcache.der(cert), tuple(certcache.der(c) for c in other_certs), trust.content_key(),
               at, has_timestamp, translation.get_language())
        until = None if at is not None else lambda: certcache.horizon(
            [cert, *other_certs, *trust.roots, *trust.intermediates], trust.crls, trust.ocsps)
        checks = certcache.outcomes.get_or_compute(
            key, lambda: _validate(cert, trust, at, other_certs, has_timestamp),
            ttl=certcache.AT_TTL if at is not None else certcache.NOW_TTL, until=until)
    for args, kwargs in checks:
        sig.check(*args, **kwargs)


def issued_while_valid(trust: TrustStore, cert: x509.Certificate) -> TrustStore:
    """`trust` without the revocation data about `cert` issued after `cert` expired: it proves nothing about it
    (a CA may drop an expired certificate from its CRLs, RFC 5280 § 3.3 — unless the CRL says it keeps them,
    ExpiredCertsOnCRL), and a past-signature validation (EN 319 102-1 § 5.6.2.4) needs data issued while the
    certificate was valid — which the archive renewal job gathers before the expiry."""
    expiry = cert.not_valid_after_utc
    if expiry > dt.datetime.now(dt.timezone.utc):
        return trust
    crls = [c for c in trust.crls if not _crl_after(c, cert, expiry)]
    ocsps = [o for o in trust.ocsps if not _ocsp_after(o, cert, expiry)]
    if len(crls) == len(trust.crls) and len(ocsps) == len(trust.ocsps):
        return trust
    return dataclasses.replace(trust, crls=crls, ocsps=ocsps)


def _crl_after(der: bytes, cert: x509.Certificate, expiry: dt.datetime) -> bool:
    try:
        lst = x509.load_der_x509_crl(der)
    except ValueError:
        return False
    keeps_expired = any(ext.oid == EXPIRED_CERTS_ON_CRL for ext in lst.extensions)
    return lst.issuer == cert.issuer and lst.last_update_utc > expiry and not keeps_expired


def _ocsp_after(der: bytes, cert: x509.Certificate, expiry: dt.datetime) -> bool:
    try:
        resp = ocsp.load_der_ocsp_response(der)
        return resp.serial_number == cert.serial_number and resp.produced_at_utc > expiry
    except ValueError:
        return False


class _Recorder:
    """Stands for a SignatureReport while validating: the checks are kept to be replayed on any report."""

    def __init__(self):
        self.checks: list[tuple[tuple, dict]] = []

    def check(self, *args, **kwargs) -> None:
        self.checks.append((args, kwargs))


def _validate(cert: x509.Certificate, trust: TrustStore, at: dt.datetime | None, other_certs,
              has_timestamp: bool) -> tuple[tuple[tuple, dict], ...]:
    sig = _Recorder()
    vc = trust.validation_context(at=at, other_certs=other_certs)
    validator = CertificateValidator(to_asn1(cert), intermediate_certs=[to_asn1(c) for c in other_certs],
                                     validation_context=vc)
    try:
        asyncio.run(validator.async_validate_usage(set()))
        if not usage_allows_signing(cert):
            raise cv.InvalidCertificateError("keyUsage has neither digitalSignature nor nonRepudiation")
    except cv.RevokedError as exc:
        sig.check("certificate.revoked", False, _revoked(exc), detail=exc,
                  fail=r.REVOKED if has_timestamp else None, indeterminate=r.REVOKED_NO_POE)
    except cv.ExpiredError:
        sig.check("certificate.expired", False,
                  _("The signing certificate was not valid (expired) at the signing time."),
                  indeterminate=r.OUT_OF_BOUNDS_NOT_REVOKED if has_timestamp else r.OUT_OF_BOUNDS_NO_POE)
    except cv.NotYetValidError:
        sig.check("certificate.not_yet_valid", False,
                  _("The signing certificate was not yet valid at the signing time."), fail=r.NOT_YET_VALID)
    except cv.InsufficientRevinfoError:
        sig.check("certificate.revocation_unknown", None,
                  _("The revocation status of the signing certificate or of a CA in its chain could not be "
                    "determined."),
                  indeterminate=r.TRY_LATER)
    except cv.PathBuildingError:
        sig.check("certificate.untrusted", False,
                  _("The signing certificate does not chain to an accepted root certificate."),
                  indeterminate=r.NO_CERTIFICATE_CHAIN_FOUND)
    except cv.InvalidCertificateError as exc:
        sig.check("certificate.key_usage", False,
                  _("The signing certificate may not be used for signing documents."),
                  detail=exc, indeterminate=r.CHAIN_CONSTRAINTS_FAILURE)
    except (cv.PathValidationError, cv.ValidationError) as exc:
        sig.check("certificate.chain_invalid", False,
                  _("The certificate chain is not valid."), detail=exc,
                  indeterminate=r.CHAIN_CONSTRAINTS_FAILURE)
    else:
        sig.check("certificate.chain", True, _("The certificate chains to an accepted root and was valid, "
                                               "not revoked, at the signing time."))
    return tuple(sig.checks)


def timestamp_untrusted(sig, tsa: x509.Certificate, *, trust: TrustStore, at: dt.datetime | None,
                        other_certs=()) -> None:
    """Record why a time-stamping authority's certificate does not hold at `at`. A path to an accepted root whose
    revocation data is missing or not fresh is INDETERMINATE / TRY_LATER (EN 319 102-1, 5.2.6 and 5.2.5): the
    relying party hands in the day's CRLs (`--trust`), not another root; a chain with a certificate expired at `at`
    is OUT_OF_BOUNDS_NO_POE; anything else is no trusted chain."""
    vc = trust.validation_context(at=at, other_certs=other_certs)
    validator = CertificateValidator(to_asn1(tsa), intermediate_certs=[to_asn1(c) for c in other_certs],
                                     validation_context=vc)
    try:
        asyncio.run(validator.async_validate_usage(set()))
    except cv.InsufficientRevinfoError as exc:
        sig.check("timestamp.revocation_unknown", None,
                  _("The revocation status of the time-stamping authority's certificate or of a CA in its chain "
                    "could not be determined."), detail=exc, indeterminate=r.TRY_LATER)
        return
    except cv.ExpiredError as exc:
        # the chain is found; a certificate of it had expired at `at` (EN 319 102-1, 5.4 through 5.2.6)
        sig.check("timestamp.expired", False,
                  _("The certificate of the time-stamping authority (or of a CA above it) had expired at the time the "
                    "signature time-stamp is judged, and nothing proves the time-stamp existed before then."),
                  detail=exc, indeterminate=r.OUT_OF_BOUNDS_NO_POE)
        return
    except (cv.PathBuildingError, cv.PathValidationError, cv.ValidationError, ValueError) as exc:
        log_detail = exc
    else:
        log_detail = None
    sig.check("timestamp.untrusted", False, _("The time-stamping authority is not trusted."), detail=log_detail,
              indeterminate=r.NO_CERTIFICATE_CHAIN_FOUND)


def check_signing_time(sig: r.SignatureReport, cert: x509.Certificate) -> None:
    """A signature claimed (or time-stamped) before its certificate's notBefore was made with a certificate
    that did not exist yet: TOTAL_FAILED / NOT_YET_VALID (EN 319 102-1, 5.2.6)."""
    start = cert.not_valid_before_utc
    for when in (sig.timestamp_time, sig.signing_time):
        if when is not None and _aware(when) < start:
            sig.check("certificate.not_yet_valid", False,
                      _("The signature was made on %(when)s, before its certificate became valid on %(start)s.") % {
                          "when": _aware(when).astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M"),
                          "start": start.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")},
                      fail=r.NOT_YET_VALID)
            return


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)


_CRL_REASON = {"ca_compromise": "cACompromise", "aa_compromise": "aACompromise", "remove_from_crl": "removeFromCRL"}


def _revoked(exc: cv.RevokedError) -> str:
    """The library's reason in the reader's words: when (dd/mm/yyyy, Vietnam time) and why (RFC 5280 reason)."""
    reason = getattr(getattr(exc, "reason", None), "native", None) or ""
    code = _CRL_REASON.get(reason) or "".join(w if i == 0 else w.title() for i, w in enumerate(reason.split("_")))
    when = display.when(getattr(exc, "revocation_dt", None))
    if not when:
        return _("The signing certificate is revoked.")
    if not code:
        return _("The signing certificate was revoked on %(when)s.") % {"when": when}
    return _("The signing certificate was revoked on %(when)s (reason: %(reason)s).") % {
        "when": when, "reason": display.revocation_reason(code)}
