"""Translate pyHanko's validation status (PDF and CMS) into Kyso's signature report."""

from __future__ import annotations


from cryptography import x509
from django.utils.translation import gettext as _
from pyhanko.sign.ades.report import AdESFailure
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.settings import KeyUsageConstraints

from kyso.core import display

from . import algorithms, report as r
from .certcheck import check_certificate, describe, timestamp_untrusted, usage_allows_signing

# A document signature needs digitalSignature or nonRepudiation (person and organisation profiles).
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


def fill(sig: r.SignatureReport, status, trust=None, other_certs=(), ts_at=None, signer_info=None) -> None:
    """`other_certs`: the certificates the signature carries (to tell a chain failure's real cause); `ts_at`: the
    time the signature time-stamp was judged at (None: now); `signer_info`: the SignerInfo whose time-stamp token is
    judged by the algorithm policy at that time."""
    from cryptography.hazmat.primitives import serialization  # noqa: F401

    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    describe(cert, sig)
    sig.signing_time = getattr(status, "signer_reported_dt", None)
    if not status.intact:
        sig.check("integrity.digest", False, _("The document was changed after it was signed (digest mismatch)."),
                  fail=r.HASH_FAILURE)
        return
    sig.check("integrity.digest", True, _("The signed content is intact."))
    if not status.valid:
        sig.check("integrity.signature", False, _("The signature value does not match the certificate's key."),
                  fail=r.SIG_CRYPTO_FAILURE)
        return
    sig.check("integrity.signature", True, _("The signature value matches the signer's public key."))
    ts = getattr(status, "timestamp_validity", None)
    ts_token = _signature_timestamp(signer_info) if ts is not None else None
    if ts is not None:
        if ts.intact and ts.valid and ts_token is not None and not algorithms.timestamp_holds(
                sig, ts_token, ts.signing_cert, at=algorithms.judged_at(ts_at, trust)):
            pass        # no proof of existence: judged as if there were no time-stamp
        elif ts.intact and ts.valid and ts.trusted:
            sig.timestamp_time = ts.timestamp
            sig.check("timestamp.valid", True, _("Signature timestamp from a trusted authority: %(time)s") % {
                "time": display.when(ts.timestamp, seconds=True)})
        elif not (ts.intact and ts.valid):
            sig.check("timestamp.invalid", False, _("The signature timestamp does not match the signature."),
                      fail=r.HASH_FAILURE)
        elif trust is not None and ts.signing_cert is not None:
            timestamp_untrusted(sig, x509.load_der_x509_certificate(ts.signing_cert.dump()), trust=trust, at=ts_at,
                                other_certs=list(other_certs))
        else:
            sig.check("timestamp.untrusted", False, _("The time-stamping authority is not trusted."),
                      indeterminate=r.NO_CERTIFICATE_CHAIN_FOUND)
    problem = status.trust_problem_indic
    if status.trusted and problem is None:
        sig.check("certificate.chain", True, _("The certificate chains to an accepted root and was valid, "
                                               "not revoked, at the signing time."))
        return
    name = getattr(problem, "name", "CERTIFICATE_CHAIN_GENERAL_FAILURE")
    if name in ("REVOKED_NO_POE", "OUT_OF_BOUNDS_NO_POE") and sig.timestamp_time is not None and trust is not None:
        # pyHanko's classic validation stops at "revoked / expired, no proof of existence"; the trusted
        # timestamp is that proof: judge the certificate at the timestamp's time (REVOKED if it was revoked
        # by then, OUT_OF_BOUNDS_NOT_REVOKED if it had expired by then, valid otherwise).
        path = [x509.load_der_x509_certificate(c.dump()) for c in getattr(status, "validation_path", None) or ()]
        check_certificate(sig, cert, trust=trust, at=sig.timestamp_time, has_timestamp=True,
                          other_certs=[c for c in path if c != cert])
        return
    if name == "CERTIFICATE_CHAIN_GENERAL_FAILURE" and trust is not None:
        # pyHanko folds "revocation data missing for a CA of the chain" into a general chain failure; the
        # chain was found, so EN 319 102-1 gives a revocation sub-indication: ask the validator directly.
        check_certificate(sig, cert, trust=trust, at=sig.timestamp_time, has_timestamp=sig.timestamp_time is not None,
                          other_certs=[c for c in other_certs if c != cert])
        return
    failed = isinstance(problem, AdESFailure)
    messages = {
        "REVOKED": ("certificate.revoked", _("The signing certificate was revoked before the signing time.")),
        "REVOKED_NO_POE": ("certificate.revoked", _("The signing certificate is revoked and nothing proves the "
                                                    "signature existed before the revocation.")),
        "REVOKED_CA_NO_POE": ("certificate.revoked", _("A CA certificate in the chain is revoked.")),
        "OUT_OF_BOUNDS_NO_POE": ("certificate.expired", _("The signing certificate has expired and nothing proves "
                                                          "the signature was made while it was valid.")),
        "OUT_OF_BOUNDS_NOT_REVOKED": ("certificate.expired", _("The signing certificate was not valid at the "
                                                               "signing time.")),
        "EXPIRED": ("certificate.expired", _("The signing certificate was not valid at the signing time.")),
        "NOT_YET_VALID": ("certificate.not_yet_valid", _("The signing certificate was not yet valid at the signing time.")),
        "NO_CERTIFICATE_CHAIN_FOUND": ("certificate.untrusted", _("The signing certificate does not chain to an "
                                                                  "accepted root certificate.")),
        "TRY_LATER": ("certificate.revocation_unknown", _("The revocation status of the signing certificate could "
                                                          "not be determined.")),
        "REVOCATION_OUT_OF_BOUNDS_NO_POE": ("certificate.revocation_unknown", _(
            "The revocation status of the signing certificate could not be determined.")),
        "SIG_CONSTRAINTS_FAILURE": ("certificate.key_usage", _("The signing certificate may not be used for "
                                                               "signing documents.")),
        # pyHanko reports a key usage that does not allow signing as a chain constraint (EN 319 102-1, 5.2.6)
        "CHAIN_CONSTRAINTS_FAILURE": ("certificate.constraints", _("The signing certificate does not meet the "
                                                                   "validation constraints (for example, its key "
                                                                   "usage does not allow signing documents).")),
    }
    if name in ("CRYPTO_CONSTRAINTS_FAILURE", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"):
        # EN 319 102-1, 5.2.8: without a proof of existence before the algorithm's end date, _NO_POE
        sig.check("crypto.algorithms", False, _("The signature uses an algorithm that is no longer reliable."),
                  indeterminate=r.CRYPTO_CONSTRAINTS_FAILURE_NO_POE if sig.timestamp_time is None
                  else "CRYPTO_CONSTRAINTS_FAILURE")
        return
    code, message = messages.get(name, ("certificate.chain_invalid", _("The certificate chain is not valid.")))
    if name == "CHAIN_CONSTRAINTS_FAILURE" and not usage_allows_signing(cert):
        code, message = "certificate.key_usage", _("The signing certificate may not be used for signing documents.")
    if failed:
        sig.check(code, False, message, fail=name)
    else:
        sig.check(code, False if code != "certificate.revocation_unknown" else None, message, indeterminate=name)


def _signature_timestamp(signer_info):
    """The SignedData of the signature time-stamp pyHanko judged (the first one), or None."""
    if signer_info is None:
        return None
    try:
        return next(extract_tst_data_iter(signer_info, signed=False), None)
    except (KeyError, ValueError, TypeError):
        return None
