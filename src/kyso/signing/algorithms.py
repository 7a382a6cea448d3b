"""Kyso's cryptographic constraints, in the manner of ETSI TS 119 312: each digest, signature algorithm and key
size is reliable until a date. One policy for PDF, XML and CMS signatures (EN 319 102-1, 5.2.8 and 5.6.2.5):
an algorithm is acceptable when the validation time is before its end date, or when a proof of existence (a
trusted time-stamp) shows the signature existed before that date; otherwise the signature is INDETERMINATE /
CRYPTO_CONSTRAINTS_FAILURE_NO_POE. The report names this policy.

The operator moves or adds end dates (KYSO_ALGORITHM_END_DATES: {"sha256": "2040-12-31", "rsa2048": "2029-12-31",
"ec-secp256r1": …}) here, in the policy itself: the verdicts and the archive renewal job (which renews a record
before an algorithm of its last time-stamp reaches its end date) read the same dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign.validation.utils import CMSAlgorithmUsagePolicy
from pyhanko_certvalidator.policy_decl import AcceptAllAlgorithms

from . import report as r
from .certcheck import check_signing_time

POLICY_NAME = r.ALGORITHM_POLICY
# pyHanko computes every algorithm; whether one is still reliable is decided here (one policy for PDF, XML and
# CMS: INDETERMINATE under the policy rather than a signature pyHanko calls broken)
COMPUTE_ALL = CMSAlgorithmUsagePolicy.lift_policy(AcceptAllAlgorithms())
NEVER = dt.datetime(1990, 1, 1, tzinfo=dt.timezone.utc)


def _d(year, month=12, day=31) -> dt.datetime:
    return dt.datetime(year, month, day, 23, 59, 59, tzinfo=dt.timezone.utc)


# digest → reliable until (None: no end date known today)
DIGESTS = {
    "md2": NEVER, "md4": NEVER, "md5": NEVER,
    "sha1": _d(2015),
    "sha224": _d(2025), "sha512_224": _d(2025),
    "sha256": None, "sha384": None, "sha512": None, "sha512_256": None,
    "sha3_224": _d(2025), "sha3_256": None, "sha3_384": None, "sha3_512": None,
    "shake128": None, "shake256": None,
}
# RSA / DSA modulus sizes: (minimum bits, until)
RSA_SIZES = ((1024, _d(2013)), (1900, _d(2019)), (2048, _d(2030)), (3000, None))
DSA_SIZES = ((1024, _d(2013)), (2048, _d(2030)), (3000, None))
# named curves: until
CURVES = {
    "secp192r1": NEVER, "secp224r1": _d(2025),
    "secp256r1": None, "secp384r1": None, "secp521r1": None,
    "brainpoolP256r1": None, "brainpoolP384r1": None, "brainpoolP512r1": None,
}
_DIGEST_ALIASES = {"sha-1": "sha1", "sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512",
                   "sha-224": "sha224", "sha3-256": "sha3_256", "sha3-384": "sha3_384", "sha3-512": "sha3_512",
                   "sha3-224": "sha3_224"}


@dataclass(frozen=True)
class Finding:
    what: str               # e.g. "SHA-1", "RSA 1024 bits", "P-192"
    until: dt.datetime      # end of reliability


def moved() -> dict[str, dt.datetime]:
    """End dates moved or added by the operator (KYSO_ALGORITHM_END_DATES), end of the day given."""
    return {k.lower(): dt.datetime.fromisoformat(v).replace(hour=23, minute=59, second=59, tzinfo=dt.timezone.utc)
            for k, v in (getattr(settings, "KYSO_ALGORITHM_END_DATES", None) or {}).items()}


def digest_name(name: str) -> str:
    return _DIGEST_ALIASES.get(name.lower(), name.lower().replace("-", "_"))


def digest_until(name: str) -> dt.datetime | None:
    key = digest_name(name)
    return moved().get(key, DIGESTS.get(key, NEVER))


def key_name(public_key) -> str:
    """The policy's name of a key: "rsa2048", "ec-secp256r1", "ed25519"."""
    if isinstance(public_key, (rsa.RSAPublicKey, dsa.DSAPublicKey)):
        return f"{'rsa' if isinstance(public_key, rsa.RSAPublicKey) else 'dsa'}{public_key.key_size}"
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return f"ec-{public_key.curve.name.lower()}"
    return type(public_key).__name__.replace("PublicKey", "").lower()


def key_until(public_key) -> tuple[str, dt.datetime | None]:
    """(description, end date) of a public key by type and size; unknown types are not reliable."""
    what, until = _key_until(public_key)
    return what, moved().get(key_name(public_key), until)


def _key_until(public_key) -> tuple[str, dt.datetime | None]:
    if isinstance(public_key, rsa.RSAPublicKey):
        return f"RSA {public_key.key_size} bits", _by_size(public_key.key_size, RSA_SIZES)
    if isinstance(public_key, dsa.DSAPublicKey):
        return f"DSA {public_key.key_size} bits", _by_size(public_key.key_size, DSA_SIZES)
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return public_key.curve.name, CURVES.get(public_key.curve.name, NEVER)
    if isinstance(public_key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
        return type(public_key).__name__.replace("PublicKey", ""), None
    return type(public_key).__name__, NEVER


def _by_size(bits: int, table) -> dt.datetime:
    until = NEVER
    for minimum, end in table:
        if bits >= minimum:
            until = end
    return until


def weak(digests=(), public_keys=(), *, at: dt.datetime) -> list[Finding]:
    """The algorithms not reliable at `at` (the proof of existence, or now)."""
    out = []
    for name in digests:
        until = digest_until(name)
        if until is not None and at > until:
            out.append(Finding(name.upper().replace("_", "-"), until))
    for key in public_keys:
        what, until = key_until(key)
        if until is not None and at > until:
            out.append(Finding(what, until))
    return out


def check(sig: r.SignatureReport, digests=(), public_keys=(), *, poe: dt.datetime | None = None,
          now: dt.datetime | None = None) -> bool:
    """Record the cryptographic-constraints check on `sig`; False when an algorithm fails the policy."""
    at = poe or now or dt.datetime.now(dt.timezone.utc)
    findings = weak([d for d in digests if d], [k for k in public_keys if k is not None], at=at)
    if not findings:
        sig.check("crypto.algorithms", True, _("The algorithms meet the algorithm policy %(policy)s.") % {
            "policy": POLICY_NAME})
        return True
    until = _("reliable until")
    names = ", ".join(f"{f.what} ({until} {f.until:%d/%m/%Y})" for f in findings)
    sig.check("crypto.algorithms", False,
              _("The signature uses algorithms no longer reliable under the algorithm policy %(policy)s: %(names)s; "
                "nothing proves the signature existed before then.") % {"policy": POLICY_NAME, "names": names},
              indeterminate=r.CRYPTO_CONSTRAINTS_FAILURE_NO_POE)
    return False


def judged_at(at: dt.datetime | None, trust=None) -> dt.datetime:
    """The time a time-stamp is judged at: the proof of existence of a newer one, else the day judged (`trust.now`),
    else the clock."""
    return at or getattr(trust, "now", None) or dt.datetime.now(dt.timezone.utc)


def token_weak(signed_data, tsa_cert, *, at: dt.datetime) -> list[Finding]:
    """The algorithms of an RFC 3161 time-stamp token not reliable at `at`: the hash of its message imprint, the
    digests of its SignerInfo, the authority's key and the hash of the authority's certificate signature
    (`tsa_cert`: pyHanko's signing certificate of the token, asn1crypto). Nothing for an unreadable token: the
    time-stamp validation itself reports that."""
    try:
        info = signed_data["signer_infos"][0]
        imprint = signed_data["encap_content_info"]["content"].parsed["message_imprint"]
        digests = [imprint["hash_algorithm"]["algorithm"].native, *signer_info_digests(info)]
        keys = []
        if tsa_cert is not None:
            cert = x509.load_der_x509_certificate(tsa_cert.dump())
            if cert.signature_hash_algorithm is not None:
                digests.append(cert.signature_hash_algorithm.name)
            keys.append(cert.public_key())
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, UnsupportedAlgorithm):
        return []
    return weak([d for d in digests if d], keys, at=at)


def weak_timestamp(sig: r.SignatureReport, findings: list[Finding], *, archive: bool) -> None:
    """EN 319 102-1, 5.2.8 applied to a time-stamp token (5.4): one whose algorithms the policy rejects at the
    time it is judged proves nothing (no POE), as if it were absent."""
    until = _("reliable until")
    names = ", ".join(f"{f.what} ({until} {f.until:%d/%m/%Y})" for f in findings)
    if archive:
        message = _("The archive time-stamp uses algorithms no longer reliable under the algorithm policy "
                    "%(policy)s: %(names)s; it proves nothing about when the signature existed.")
    else:
        message = _("The signature time-stamp uses algorithms no longer reliable under the algorithm policy "
                    "%(policy)s: %(names)s; it proves nothing about when the signature existed.")
    sig.check("timestamp.archive_algorithms" if archive else "timestamp.algorithms", False,
              message % {"policy": POLICY_NAME, "names": names}, indeterminate=r.CRYPTO_CONSTRAINTS_FAILURE_NO_POE)


def timestamp_holds(sig: r.SignatureReport, signed_data, tsa_cert, *, at: dt.datetime) -> bool:
    """A signature time-stamp meets the policy at `at`; else that is recorded on `sig` and it proves nothing."""
    findings = token_weak(signed_data, tsa_cert, at=at)
    if findings:
        weak_timestamp(sig, findings, archive=False)
    return not findings


def signer_info_digests(signer_info) -> list[str]:
    """The digests a CMS SignerInfo uses: its digestAlgorithm and the hash of its signatureAlgorithm (they may
    differ: an ecdsa-with-SHA1 signature over SHA-256 attributes is a SHA-1 signature)."""
    names = [signer_info["digest_algorithm"]["algorithm"].native]
    try:
        names.append(signer_info["signature_algorithm"].hash_algo)
    except (ValueError, KeyError):
        pass            # RSASSA-PKCS1-v1_5 / ECDSA without a hash of its own: the digestAlgorithm's
    return names


def judge(sig: r.SignatureReport, digests) -> None:
    """Once the signature value is right: the algorithm policy (digests, the signer's key, the hash of the
    certificate's own signature) and the signing time against the certificate's validity."""
    cert = sig.certificate
    if cert is None or any(c.code.startswith("integrity.") and c.ok is False for c in sig.checks):
        return
    cert_hash = cert.signature_hash_algorithm.name if cert.signature_hash_algorithm is not None else None
    check(sig, [*digests, cert_hash], [cert.public_key()], poe=sig.timestamp_time)
    check_signing_time(sig, cert)
