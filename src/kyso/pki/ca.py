"""Our certification authorities: a root and an issuing CA (a development stand-in for the
Government Cipher Committee's dedicated CA, clearly marked as such), and their delegated
OCSP responders and time-stamping unit (`bootstrap.ensure_ca()` creates what is missing); keys come from the key store (software or PKCS#11, by configuration).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.core.errors import NotFound

from . import keystore, profiles, signer
from .models import CertificateAuthority, CertStatus, IssuedCertificate, Profile

ROOT, ISSUING = "root", "issuing"
DEV_MARK = "Môi trường phát triển - KHÔNG DÙNG THẬT"
SUBJECTS = {
    ROOT: "Kyso DEV Root CA (mô phỏng, không dùng thật)",
    ISSUING: "Kyso DEV CA chuyên dùng Chính phủ (mô phỏng)",
}
RESPONDER_DAYS = {"ocsp": 365, "tsa": 5 * 365}
KEYSTORE = "keystore"   # a responder's key_location "keystore:LABEL": its key is in Kyso's key store
ROOT_DAYS, ISSUING_DAYS = 20 * 365, 10 * 365


def ca_name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ban Cơ yếu Chính phủ (mô phỏng)"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEV_MARK),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def key_of(ca: CertificateAuthority) -> keystore.KeyHandle:
    if ca.key_store.startswith("pkcs11:"):
        return keystore.pkcs11_store(ca.key_store.split(":", 1)[1]).get(ca.key_label)
    return keystore.software_store().get(ca.key_label)


def _store_name(store) -> str:
    return f"pkcs11:{store.token_label}" if isinstance(store, keystore.Pkcs11KeyStore) else "software"


def record_certificate(ca: CertificateAuthority, cert: x509.Certificate, profile: str, key_location: str) -> IssuedCertificate:
    """The register's row of a certificate `ca` has just signed (every issuance path ends here)."""
    email = ""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        emails = san.get_values_for_type(x509.RFC822Name)
        email = emails[0] if emails else ""
    except x509.ExtensionNotFound:
        pass
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    der = cert.public_bytes(signer._DER)
    with audit.action("pki.certificate.issue"):
        return IssuedCertificate.objects.create(
            ca=ca, serial=format(cert.serial_number, "x"), profile=profile, subject_dn=cert.subject.rfc4514_string(),
            common_name=str(cns[0].value) if cns else "", email=email, not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc, der=der, fingerprint=hashlib.sha256(der).hexdigest(),
            status=CertStatus.GOOD, key_location=key_location[:300],
        )


def create_ca(name: str, common_name: str, *, parent: CertificateAuthority | None = None, key_spec: str = "rsa2048",
              store=None, days: int | None = None) -> CertificateAuthority:
    """Make a CA: a self-signed root when `parent` is None, else a subordinate CA signed by `parent`."""
    store = store or keystore.store_for(f"ca-{name}")
    label = f"ca-{name}"
    key = store.get(label) if store.exists(label) else store.generate(label, key_spec)
    now = timezone.now().replace(microsecond=0)
    days = days or (ROOT_DAYS if parent is None else ISSUING_DAYS)
    subject = ca_name(common_name)
    builder = (x509.CertificateBuilder().subject_name(subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5)))
    if parent is None:
        builder = builder.issuer_name(subject).not_valid_after(now + dt.timedelta(days=days))
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        builder = builder.add_extension(x509.KeyUsage(**{**profiles._KU_OFF, "key_cert_sign": True, "crl_sign": True,
                                                          "digital_signature": True}), critical=True)
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        cert = signer.sign_certificate(builder, key)
    else:
        not_after = min(now + dt.timedelta(days=days), parent.certificate.not_valid_after_utc)
        builder = builder.issuer_name(parent.certificate.subject).not_valid_after(not_after)
        builder = profiles.add_extensions(builder, profiles.PROFILES["ca"], subject_key=key.public_key(),
                                          issuer_cert=parent.certificate, issuer_ca_name=parent.name)
        cert = signer.sign_certificate(builder, key_of(parent))
    with audit.action("pki.ca.create"):
        row = CertificateAuthority.objects.create(name=name, parent=parent, cert_der=cert.public_bytes(signer._DER),
                                                  key_label=label, key_store=_store_name(store))
        if parent is not None:
            record_certificate(parent, cert, Profile.CA, f"keystore:{label}")
    return row


def responder(ca: CertificateAuthority, profile: str) -> tuple[IssuedCertificate, keystore.KeyHandle]:
    """The current delegated responder (OCSP) or time-stamping unit (TSA) certificate of `ca`, and its key: the
    one issued last whose key Kyso's key store holds (a unit replaced before its expiry, e.g. for a stronger key, is
    no longer used; a certificate of that profile issued for an outside key, through the API, never is)."""
    soon = timezone.now() + dt.timedelta(days=1)
    cert = (IssuedCertificate.objects.filter(ca=ca, profile=profile, status=CertStatus.GOOD, not_after__gt=soon,
                                             key_location__startswith=f"{KEYSTORE}:")
            .order_by("-not_before", "-created_at").first())
    if cert is None:
        raise NotFound("pki.responder.missing", _("The %(profile)s certificate of CA %(ca)s is missing: run `kyso ca init`."),
                       profile=profile, ca=ca.name)
    label = cert.key_location.removeprefix(f"{KEYSTORE}:")
    return cert, keystore.store_for(label).get(label)


def get_ca(name: str = ISSUING) -> CertificateAuthority:
    ca = CertificateAuthority.objects.filter(name=name).first()
    if ca is None:
        raise NotFound("pki.ca.not_found", _("No certification authority named %(name)s; run `kyso ca init`."), name=name)
    return ca


def chain(name: str = ISSUING) -> list[x509.Certificate]:
    """The CA's certificate followed by its parents up to the root."""
    out, ca = [], get_ca(name)
    while ca is not None:
        out.append(ca.certificate)
        ca = ca.parent
    return out


def roots() -> list[x509.Certificate]:
    return [ca.certificate for ca in CertificateAuthority.objects.filter(parent__isnull=True)]
