"""Trust stores: which roots a signature may chain to, and where revocation data comes from.

Law in force (Decree 23/2025/NĐ-CP, Decree 68/2024/NĐ-CP): a signature counts when its certificate chains
to an accepted root — the national root CA, the Government's dedicated CA, licensed public CAs. Kyso's
embedded CA stands in for the dedicated CA; other roots are PEM files in `KYSO_TRUST_DIR`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule

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
        return TrustStore(roots, inter, list(self.crls), self.allow_fetching, list(self.ocsps))

    def is_root(self, cert: x509.Certificate) -> bool:
        return any(cert == r for r in self.roots)

    ocsps: list[bytes] = field(default_factory=list)

    def validation_context(self, *, at: dt.datetime | None = None, other_certs=()) -> ValidationContext:
        # Revocation data issued after the validation time (a CRL published since the timestamp) still says
        # whether the certificate was revoked *at* that time: accept it (ETSI EN 319 102-1, 5.6.2.4). The
        # keyword on ValidationContext is ignored once a policy is given, so it must be set here.
        policy = CertRevTrustPolicy(RevocationCheckingPolicy(
            ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
            intermediate_ca_cert_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        ), retroactive_revinfo=True)
        return ValidationContext(
            trust_roots=[to_asn1(c) for c in self.roots],
            other_certs=[to_asn1(c) for c in [*self.intermediates, *other_certs]],
            crls=list(self.crls),
            ocsps=list(self.ocsps),
            allow_fetching=self.allow_fetching,
            revinfo_policy=policy,
            moment=at,
            best_signature_time=at,
            retroactive_revinfo=True,
        )


def _own_cas() -> tuple[list[x509.Certificate], list[x509.Certificate], list[bytes]]:
    from kyso.pki import crl
    from kyso.pki.models import CertificateAuthority

    roots, inter, crls = [], [], []
    for ca in CertificateAuthority.objects.all():
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
    files = sorted(p for p in trust_dir().glob("*") if p.suffix.lower() in (".pem", ".crt", ".cer", ".der")) \
        if trust_dir().is_dir() else []
    certs = []
    for path in [*files, *map(Path, extra_files)]:
        certs.extend(load_certificates(path.read_bytes()))
    return store.with_extra(certs)


def own_ocsp_response(cert: x509.Certificate, issuer: x509.Certificate) -> bytes | None:
    """A fresh OCSP response from our own responder, in-process, when `issuer` is one of our CAs
    (for B-LT: the revocation data that goes into the PDF's DSS)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509 import ocsp

    from kyso.pki import ocsp as responder
    from kyso.pki.models import CertificateAuthority

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


__all__ = ["TrustStore", "default_trust", "trust_dir", "fingerprint", "serialization"]
