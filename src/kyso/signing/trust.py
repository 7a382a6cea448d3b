"""Trust stores: which roots a signature may chain to, and where revocation data comes from.

Law in force (Decree 23/2025/NĐ-CP, Decree 68/2024/NĐ-CP): a signature counts when its certificate chains
to an accepted root — the national root CA, the Government's dedicated CA, licensed public CAs. Kyso's
embedded CA stands in for the dedicated CA; other roots are PEM files in `KYSO_TRUST_DIR`."""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule

from kyso.pki import crl
from kyso.pki import ocsp as responder
from kyso.pki.models import CertificateAuthority

from .certcache import CachingValidationContext, asn1_crl_list, asn1_ocsp_response, der
from .keys import load_certificates, to_asn1


def trust_dir() -> Path:
    return Path(getattr(settings, "KYSO_TRUST_DIR", "") or settings.DATA_DIR / "trust")


@dataclass
class TrustStore:
    roots: list[x509.Certificate] = field(default_factory=list)
    intermediates: list[x509.Certificate] = field(default_factory=list)
    # Local revocation data (DER CRLs) — our own CAs' CRLs are produced in-process.
    crls: list[bytes] = field(default_factory=list)
    allow_fetching: bool = False

    def with_extra(self, certs) -> "TrustStore":
        roots, inter = list(self.roots), list(self.intermediates)
        for cert in certs:
            (roots if cert.issuer == cert.subject else inter).append(cert)
        return TrustStore(roots, inter, list(self.crls), self.allow_fetching, list(self.ocsps), self.now)

    def content_key(self) -> tuple:
        """Everything a validation against this store depends on, by value (DER bytes): the key of cached
        outcomes (`certcache`). A changed CRL, OCSP response, root or intermediate is another key; the order they
        came in is not (the database lists our CAs in whatever order its pages hold them, and on PostgreSQL that
        order changes when a CRL number is taken: an unsorted key missed the cache on every other call). The day
        judged at (`now`) is in it too: a verdict for today is not the verdict for a day in twenty years."""
        return (tuple(sorted(der(c) for c in self.roots)), tuple(sorted(der(c) for c in self.intermediates)),
                tuple(sorted(self.crls)), tuple(sorted(self.ocsps)), self.allow_fetching, self.now)

    def is_root(self, cert: x509.Certificate) -> bool:
        return any(cert == r for r in self.roots)

    ocsps: list[bytes] = field(default_factory=list)
    # The time "now" is judged at (None: the clock): a relying party asking how a document stands on a given
    # day, and the tests of what an archive looks like after its authorities' certificates have expired.
    now: dt.datetime | None = None

    def validation_context(self, *, at: dt.datetime | None = None, other_certs=()) -> ValidationContext:
        """pyHanko's context for validations at `at` (None: now); one whose outcomes are remembered by content
        (`certcache`) unless revocation data may be fetched."""
        if self.allow_fetching:      # what is fetched is not in the key: nothing cached
            return ValidationContext(**self._context_arguments(at, other_certs))
        return CachingValidationContext(
            outcome_key=(self.content_key(), tuple(der(c) for c in other_certs), at),
            revinfo=(tuple(self.crls), tuple(self.ocsps)), **self._context_arguments(at, other_certs))

    def _context_arguments(self, at: dt.datetime | None, other_certs) -> dict:
        # Revocation data issued after the validation time (a CRL published since the timestamp) still says
        # whether the certificate was revoked *at* that time: accept it (ETSI EN 319 102-1, 5.6.2.4). The
        # keyword on ValidationContext is ignored once a policy is given, so it must be set here.
        policy = CertRevTrustPolicy(RevocationCheckingPolicy(
            ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
            intermediate_ca_cert_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        ), retroactive_revinfo=True)
        return dict(
            trust_roots=[to_asn1(c) for c in self.roots],
            other_certs=[to_asn1(c) for c in [*self.intermediates, *other_certs]],
            crls=[asn1_crl_list(c) for c in self.crls],
            ocsps=[asn1_ocsp_response(o) for o in self.ocsps],
            allow_fetching=self.allow_fetching,
            revinfo_policy=policy,
            moment=at or self.now,
            best_signature_time=at or self.now,
            retroactive_revinfo=True,
        )


def _own_cas() -> tuple[list[x509.Certificate], list[x509.Certificate], list[bytes]]:
    roots, inter, crls = [], [], []
    for ca in CertificateAuthority.objects.order_by("pk"):
        cert = ca.certificate
        (roots if ca.parent_id is None else inter).append(cert)
        try:
            crls.append(crl.current(ca.name))
        except Exception:  # noqa: BLE001 - a CA without a usable key publishes no CRL; verification then says so
            pass
    return roots, inter, crls


def default_trust(extra_files=()) -> TrustStore:
    """Our CAs (with fresh CRLs) + every PEM/DER certificate in KYSO_TRUST_DIR + the given files."""
    roots, inter, crls = _own_cas()
    store = TrustStore(roots, inter, crls, allow_fetching=getattr(settings, "KYSO_VERIFY_FETCH", False))
    files = sorted(p for p in trust_dir().glob("*") if p.suffix.lower() in TRUST_SUFFIXES) \
        if trust_dir().is_dir() else []
    certs = []
    for path in [*files, *map(Path, extra_files)]:
        found, crls = load_trust_file(path.read_bytes())
        certs.extend(found)
        store.crls.extend(c for c in crls if c not in store.crls)
    return store.with_extra(certs)


TRUST_SUFFIXES = (".pem", ".crt", ".cer", ".der", ".crl")
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)


def load_trust_file(data: bytes) -> tuple[list[x509.Certificate], list[bytes]]:
    """Certificates and CRLs (DER) of a file a relying party hands in: PEM with any mix of CERTIFICATE and
    X509 CRL blocks, or one DER certificate or CRL. ValueError when it holds neither."""
    certs, crls = [], []
    if b"-----BEGIN" in data:
        for kind, body in _PEM_BLOCK.findall(data):
            der = base64.b64decode(b"".join(body.split()))
            if kind == b"CERTIFICATE":
                certs.append(x509.load_der_x509_certificate(der))
            elif kind == b"X509 CRL":
                crls.append(x509.load_der_x509_crl(der).public_bytes(serialization.Encoding.DER))
    else:
        try:
            certs = load_certificates(data)
        except ValueError:
            crls = [x509.load_der_x509_crl(data).public_bytes(serialization.Encoding.DER)]
    if not certs and not crls:
        raise ValueError("neither a certificate nor a CRL")
    return certs, crls


def own_ocsp_response(cert: x509.Certificate, issuer: x509.Certificate) -> bytes | None:
    """A fresh OCSP response from our own responder, in-process, when `issuer` is one of our CAs
    (for B-LT: the revocation data that goes into the PDF's DSS)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509 import ocsp

    if not any(ca.certificate == issuer for ca in CertificateAuthority.objects.all()):
        return None
    req = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA256()).build()
    der = responder.respond(req.public_bytes(serialization.Encoding.DER))
    if ocsp.load_der_ocsp_response(der).response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        return None
    return der


def fingerprint(cert: x509.Certificate) -> str:
    from cryptography.hazmat.primitives import hashes

    return cert.fingerprint(hashes.SHA256()).hex()


__all__ = ["TrustStore", "default_trust", "trust_dir", "fingerprint", "serialization", "load_trust_file"]
