"""The exchange with the CA behind one interface (Art. 4.2.4, 6.2): the embedded Kyso CA, which issues
at once onto a SoftHSM token standing in for the USB key device, and an external CA (the Government
Cipher Committee through the RA intake agency) reached by exporting Form 02 + CSRs and importing the
issued certificates back."""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput
from kyso.pki import keystore
from kyso.pki.issuance import SubjectInfo, issue_on_token
from kyso.pki.models import IssuedCertificate
from kyso.pki.revocation import revoke

from .documents import form02_pdf, form02_xlsx

PERSON_PROFILE, ORG_PROFILE = "person", "organization"


@dataclass
class Issued:
    request_id: int
    certificate: x509.Certificate
    token_label: str = ""
    pin: str = ""          # the device PIN, shown once to the officer (the "PIN envelope"), never stored


class CaExchange:
    name = ""

    def submit(self, requests) -> list[Issued]:
        """Send approved requests; return what was issued at once (nothing for an external CA)."""
        raise NotImplementedError

    def revoke(self, certificate, reason: str) -> bool:
        """Ask the CA to revoke; True when the revocation is already effective."""
        raise NotImplementedError


# Art. 6 reasons -> RFC 5280 reasons
RFC5280 = {"a": "cessationOfOperation", "b": "keyCompromise", "c": "keyCompromise", "d": "cessationOfOperation",
           "dd": "affiliationChanged", "e": "keyCompromise"}


def subject_for(req):
    if req.kind == "organization":
        return SubjectInfo(common_name=req.unit.name[:64], organizational_unit=(req.unit.parent or req.unit).name[:64],
                           locality=(req.unit.province_name or "")[:128])
    return SubjectInfo(common_name=req.full_name[:64], email=req.email, title=req.title[:64],
                       organizational_unit=req.unit.name[:64], locality=(req.unit.province_name or "")[:128])


class EmbeddedCa(CaExchange):
    """Kyso's own CA: the key is generated inside a fresh SoftHSM token (the subscriber's key device)."""

    name = "embedded"

    def submit(self, requests) -> list[Issued]:
        out = []
        for req in requests:
            label = f"dev-{req.pk}-{secrets.token_hex(3)}"
            pin = f"{secrets.randbelow(10**8):08d}"
            keystore.init_softhsm_token(label, pin, secrets.token_hex(8))
            issued = issue_on_token(label, pin, PERSON_PROFILE if req.kind == "person" else ORG_PROFILE,
                                    subject_for(req), min(req.validity_years, 5) * 365, key_spec="rsa2048")
            out.append(Issued(req.pk, issued.certificate, label, pin))
        return out

    def revoke(self, certificate, reason: str) -> bool:
        if IssuedCertificate.objects.filter(serial=certificate.serial).exists():
            revoke(certificate.serial, RFC5280.get(reason, "unspecified"))
            return True
        return False


class ExternalCa(CaExchange):
    """The external CA: nothing is issued at once; `export` builds the package for the RA intake agency."""

    name = "external"

    def submit(self, requests) -> list[Issued]:
        return []

    def revoke(self, certificate, reason: str) -> bool:
        return False


def export_package(approval_list, csrs: dict[int, bytes] | None = None) -> bytes:
    """Zip for the RA intake agency: Form 02 as XLSX and PDF, plus one CSR per request when given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mau-02-danh-sach.xlsx", form02_xlsx(approval_list))
        z.writestr("mau-02-danh-sach.pdf", form02_pdf(approval_list))
        for req_id, csr in (csrs or {}).items():
            z.writestr(f"csr/{req_id}.csr", csr)
    return buf.getvalue()


def load_issued(data: bytes) -> list[x509.Certificate]:
    """Certificates coming back from the CA: PEM (one or many), DER, or PKCS#7 (PEM or DER)."""
    try:
        if b"-----BEGIN PKCS7-----" in data:
            return pkcs7.load_pem_pkcs7_certificates(data.strip())
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data.strip())
        # DER is binary: never strip it (a signature may end in a byte that looks like whitespace)
        try:
            return [x509.load_der_x509_certificate(data)]
        except ValueError:
            return pkcs7.load_der_pkcs7_certificates(data)
    except ValueError as exc:
        raise InvalidInput("lifecycle.import.unreadable",
                           _("The file holds no readable certificate (PEM, DER or PKCS#7 expected).")) from exc


def email_of(cert: x509.Certificate) -> str:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        emails = san.get_values_for_type(x509.RFC822Name)
        return emails[0].lower() if emails else ""
    except x509.ExtensionNotFound:
        return ""


def requested_key(req) -> bytes | None:
    """The key the request asks to certify: its CSR's SubjectPublicKeyInfo (DER); None without a CSR (the key is
    then made at issuance, on the device handed over); empty — no key matches it — for a CSR that cannot be read."""
    if not req.csr_pem:
        return None
    try:
        key = x509.load_pem_x509_csr(req.csr_pem.encode()).public_key()
    except (ValueError, UnsupportedAlgorithm):
        return b""
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def match_by_public_key(cert: x509.Certificate, requests):
    """The request whose CSR carries the certificate's public key (the strongest match), or None."""
    want = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return next((req for req in requests if requested_key(req) == want), None)


def csrs_of(approval_list) -> dict[int, bytes]:
    return {r.pk: r.csr_pem.encode() for r in approval_list.approval_requests.exclude(csr_pem="")}


def for_name(name: str | None) -> CaExchange:
    name = name or os.environ.get("KYSO_CA_EXCHANGE", "embedded")
    if name == "external":
        return ExternalCa()
    return EmbeddedCa()


__all__ = ["CaExchange", "EmbeddedCa", "ExternalCa", "for_name", "export_package", "load_issued", "email_of",
           "match_by_public_key", "csrs_of"]
