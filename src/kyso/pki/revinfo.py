"""Revocation data of our own CAs, produced in-process for documents that must verify offline later.

A signer embedding validation material (PAdES DSS, XAdES RevocationValues, CAdES crls) asks here
rather than looping through HTTP to our own responder. The OCSP request carries a nonce, so the
answer is signed now — after the signature's time-stamp, as EN 319 102-1 wants of revocation data
that proves a certificate was not revoked when the time-stamp was made."""

from __future__ import annotations

import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp as x509_ocsp

from . import crl as crls
from . import ocsp as responder
from .models import CertificateAuthority
from .ocsp_store import cert_row


def own_ca_named(subject: x509.Name, public_key=None) -> CertificateAuthority | None:
    """Our CA whose certificate has `subject` (and, if given, this public key)."""
    for ca in CertificateAuthority.objects.all():
        cert = ca.certificate
        if cert.subject == subject and (public_key is None or cert.public_key() == public_key):
            return ca
    return None


def fresh_ocsp(cert: x509.Certificate, issuer: x509.Certificate, *, by_ca: bool = False) -> bytes | None:
    """A freshly signed OCSP response (DER) about `cert` when `issuer` is one of our CAs, else None; `by_ca`:
    signed by the CA itself (RFC 6960 § 2.6) rather than by its delegated responder — for archives, whose
    signatures may be older than the responder's current certificate."""
    ca = own_ca_named(issuer.subject, issuer.public_key())
    if ca is None:
        return None
    if by_ca:
        return responder.sign(ca, "sha256", cert.serial_number, cert_row(ca.pk, cert.serial_number),
                              nonce=os.urandom(16), by_ca=True).der
    req = (x509_ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA256())
           .add_extension(x509.OCSPNonce(os.urandom(16)), critical=False).build())
    der = responder.respond(req.public_bytes(serialization.Encoding.DER))
    if x509_ocsp.load_der_ocsp_response(der).response_status != x509_ocsp.OCSPResponseStatus.SUCCESSFUL:
        return None
    return der


def current_crl(issuer: x509.Certificate) -> bytes | None:
    """The current full CRL (DER) of our CA `issuer`, else None."""
    ca = own_ca_named(issuer.subject, issuer.public_key())
    return crls.current(ca.name) if ca is not None else None


def own_ca_certificates() -> list[x509.Certificate]:
    return [ca.certificate for ca in CertificateAuthority.objects.all()]
