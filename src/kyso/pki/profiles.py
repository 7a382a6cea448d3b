"""Certificate profiles: which extensions each kind of certificate carries (RFC 5280).

person        staff member: digitalSignature + nonRepudiation, e-mail in the SAN, full name,
              title and unit in the subject
organization  a unit's seal certificate (only for a unit with a seal of its own)
ocsp          delegated OCSP responder: id-kp-OCSPSigning, id-pkix-ocsp-nocheck
tsa           time-stamping unit: id-kp-timeStamping (critical)
ca            the issuing CA under the root
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID
from django.conf import settings

# A development CA asserts no certificate policy (the real dedicated CA's policies are its own).
# The time-stamp policy that RFC 3161 requires in every TSTInfo lives under the arc ITU-T X.660
# reserves for examples (2.999): plainly not a production policy.
TSA_POLICY_OID = x509.ObjectIdentifier("2.999.8466.1.2")
OCSP_NOCHECK = x509.OCSPNoCheck()
MAX_DAYS = 5 * 365 + 2  # "tối đa là 05 năm" (Form 01), leap days included


@dataclass(frozen=True)
class ProfileSpec:
    name: str
    key_usage: dict
    eku: tuple = ()
    eku_critical: bool = False
    needs_email: bool = False
    max_days: int = MAX_DAYS
    is_ca: bool = False


_KU_OFF = dict(digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
               key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False)

PROFILES = {
    "person": ProfileSpec("person", {**_KU_OFF, "digital_signature": True, "content_commitment": True}, needs_email=True),
    "organization": ProfileSpec("organization", {**_KU_OFF, "digital_signature": True, "content_commitment": True}),
    "ocsp": ProfileSpec("ocsp", {**_KU_OFF, "digital_signature": True}, eku=(ExtendedKeyUsageOID.OCSP_SIGNING,)),
    "tsa": ProfileSpec("tsa", {**_KU_OFF, "digital_signature": True}, eku=(ExtendedKeyUsageOID.TIME_STAMPING,),
                       eku_critical=True),
    "ca": ProfileSpec("ca", {**_KU_OFF, "key_cert_sign": True, "crl_sign": True, "digital_signature": True},
                      max_days=20 * 366, is_ca=True),
}
SUBSCRIBER_PROFILES = ("person", "organization", "ocsp", "tsa")


def base_url() -> str:
    return settings.KYSO_BASE_URL.rstrip("/")


def ca_cert_url(ca_name: str) -> str:
    return f"{base_url()}/pki/ca/{ca_name}.crt"


def crl_url(ca_name: str) -> str:
    return f"{base_url()}/pki/crl/{ca_name}.crl"


def ocsp_url() -> str:
    return f"{base_url()}/pki/ocsp"


def add_extensions(builder: x509.CertificateBuilder, spec: ProfileSpec, *, subject_key, issuer_cert: x509.Certificate | None,
                   issuer_ca_name: str | None, email: str = "") -> x509.CertificateBuilder:
    builder = builder.add_extension(x509.BasicConstraints(ca=spec.is_ca, path_length=0 if spec.is_ca else None), critical=True)
    builder = builder.add_extension(x509.KeyUsage(**spec.key_usage), critical=True)
    if spec.eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(spec.eku)), critical=spec.eku_critical)
    builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key), critical=False)
    if issuer_cert is not None:
        ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
    if email:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    if issuer_ca_name is not None:
        access = [x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                         x509.UniformResourceIdentifier(ca_cert_url(issuer_ca_name)))]
        if spec.name not in ("ocsp",):
            access.insert(0, x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                                    x509.UniformResourceIdentifier(ocsp_url())))
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
        if spec.name != "ocsp":
            builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(crl_url(issuer_ca_name))], relative_name=None, reasons=None,
                crl_issuer=None)]), critical=False)
    if spec.name == "ocsp":
        builder = builder.add_extension(OCSP_NOCHECK, critical=False)
    return builder
