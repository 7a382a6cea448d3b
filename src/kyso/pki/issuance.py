"""Issuing certificates: from a CSR, for a public key, or onto a (Soft)HSM token.

Every issuance is checked before anything is signed (profile, validity ≤ 5 years, key
strength, subject lengths, CSR signature), so a refused request leaves no certificate
behind; the certificate is recorded and audited in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import InvalidInput

from . import keystore, profiles, signer
from .ca import get_ca, key_of, record_certificate
from .models import CertificateAuthority, IssuedCertificate
from .permissions import PKI_ISSUE

MAX_CSR_BYTES = 64 * 1024
TITLE_OID = NameOID.TITLE
# an agency-wide step (the CA serves the whole agency): the right is checked at the agency's root unit, so an IT
# officer of a province does not issue certificates (issue 16)
ISSUE = steps.step("pki.certificate.issue", perm=PKI_ISSUE, label=_("Issue a certificate"))
_UB = {"common_name": 64, "organization": 64, "organizational_unit": 64, "title": 64, "locality": 128, "province": 128}


@dataclass
class SubjectInfo:
    common_name: str
    email: str = ""
    title: str = ""
    organizational_unit: str = ""
    organization: str = "Bảo hiểm xã hội Việt Nam"
    locality: str = ""
    province: str = ""
    country: str = "VN"

    def check(self) -> None:
        if not (self.common_name or "").strip():
            raise InvalidInput("pki.subject.missing_cn", _("The subject needs a common name (full name or unit name)."))
        for field, limit in _UB.items():
            if len(getattr(self, field) or "") > limit:
                raise InvalidInput("pki.subject.too_long", _("%(field)s is longer than %(limit)s characters (RFC 5280)."),
                                   field=field, limit=limit)
        if self.country and len(self.country) != 2:
            raise InvalidInput("pki.subject.country", _("The country is a two-letter code such as VN."))

    def to_name(self) -> x509.Name:
        self.check()
        attrs = []
        if self.country:
            attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, self.country.upper()))
        if self.province:
            attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, self.province))
        if self.locality:
            attrs.append(x509.NameAttribute(NameOID.LOCALITY_NAME, self.locality))
        if self.organization:
            attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, self.organization))
        if self.organizational_unit:
            attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, self.organizational_unit))
        if self.title:
            attrs.append(x509.NameAttribute(TITLE_OID, self.title))
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, self.common_name.strip()))
        return x509.Name(attrs)

    @classmethod
    def from_name(cls, name: x509.Name, email: str = "") -> "SubjectInfo":
        def get(oid):
            vals = name.get_attributes_for_oid(oid)
            return str(vals[0].value) if vals else ""

        return cls(common_name=get(NameOID.COMMON_NAME), email=email or get(NameOID.EMAIL_ADDRESS), title=get(TITLE_OID),
                   organizational_unit=get(NameOID.ORGANIZATIONAL_UNIT_NAME), organization=get(NameOID.ORGANIZATION_NAME),
                   locality=get(NameOID.LOCALITY_NAME), province=get(NameOID.STATE_OR_PROVINCE_NAME),
                   country=get(NameOID.COUNTRY_NAME) or "VN")


def check_public_key(public_key) -> None:
    if isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size < 2048:
            raise InvalidInput("pki.key.weak", _("RSA keys must have at least 2048 bits (this one has %(bits)s)."),
                               bits=public_key.key_size)
        if public_key.public_numbers().e < 65537:
            raise InvalidInput("pki.key.weak", _("The RSA public exponent must be at least 65537."))
        return
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        if public_key.curve.name not in ("secp256r1", "secp384r1"):
            raise InvalidInput("pki.key.curve", _("Elliptic-curve keys must be on P-256 or P-384."))
        return
    raise InvalidInput("pki.key.type", _("Only RSA and ECDSA (P-256, P-384) keys are accepted."))


def _check_profile(profile: str) -> profiles.ProfileSpec:
    if profile not in profiles.SUBSCRIBER_PROFILES:
        raise InvalidInput("pki.profile.unknown", _("Unknown certificate profile %(profile)s; use one of %(allowed)s."),
                           profile=profile, allowed=", ".join(profiles.SUBSCRIBER_PROFILES))
    return profiles.PROFILES[profile]


def _check_days(days, spec: profiles.ProfileSpec) -> int:
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise InvalidInput("pki.validity.invalid", _("The validity must be a whole number of days.")) from None
    if days < 1:
        raise InvalidInput("pki.validity.invalid", _("The validity must be at least one day."))
    if days > spec.max_days:
        raise InvalidInput("pki.validity.too_long", _("A certificate is valid for at most 5 years (%(max)s days); %(days)s were asked."),
                           max=spec.max_days, days=days)
    return days


def issue_for_public_key(public_key, profile: str, subject: SubjectInfo, days: int, *, ca: CertificateAuthority | None = None,
                         key_location: str = "") -> IssuedCertificate:
    spec = _check_profile(profile)
    days = _check_days(days, spec)
    check_public_key(public_key)
    if spec.needs_email and not subject.email:
        raise InvalidInput("pki.person.email_required", _("A person certificate needs the subscriber's government e-mail."))
    name = subject.to_name()
    ca = ca or get_ca()
    ca_cert = ca.certificate
    now = timezone.now().replace(microsecond=0)
    not_after = now + dt.timedelta(days=days)
    if not_after > ca_cert.not_valid_after_utc:
        raise InvalidInput("pki.validity.beyond_ca", _("The certificate would outlive its CA (valid until %(until)s)."),
                           until=f"{ca_cert.not_valid_after_utc:%d/%m/%Y}")
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_cert.subject).public_key(public_key)
               .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(not_after))
    builder = profiles.add_extensions(builder, spec, subject_key=public_key, issuer_cert=ca_cert, issuer_ca_name=ca.name,
                                      email=subject.email)
    cert = signer.sign_certificate(builder, key_of(ca))
    return record_certificate(ca, cert, profile, key_location)


def load_csr(data: bytes | str) -> x509.CertificateSigningRequest:
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX_CSR_BYTES:
        raise InvalidInput("pki.csr.malformed", _("The certificate request is empty or too large."))
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_csr(data)
        return x509.load_der_x509_csr(data)
    except Exception:  # noqa: BLE001 - any parse failure of untrusted input
        raise InvalidInput("pki.csr.malformed", _("The certificate request (CSR) could not be read (PEM or DER PKCS#10 expected).")) from None


def _csr_email(csr: x509.CertificateSigningRequest) -> str:
    try:
        san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        emails = san.get_values_for_type(x509.RFC822Name)
        if emails:
            return emails[0]
    except (x509.ExtensionNotFound, ValueError):
        pass
    attrs = csr.subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)
    return str(attrs[0].value) if attrs else ""


# A subscriber's certificate (a person's, an organisation's seal) is issued only for an issuance request of the
# certificate lifecycle (Form 01, Decision 508) approved and sent to the CA, for the subject it names; the
# infrastructure profiles (OCSP responder, TSA) stay an act of the IT Center alone.
FORM01_PROFILES = ("person", "organization")
_requests: list = []   # plugged in from above by kyso.lifecycle (pki may not import it)


def plug_approved_requests(bind) -> None:
    """`bind(request, profile, actor)`: the request (its id) if it is approved and sent to the CA for a
    certificate of `profile`, as (the SubjectInfo it names, `issued(IssuedCertificate)` recording the issuance on
    it, the key it asks to certify — the SubjectPublicKeyInfo of the subscriber's CSR, DER — or None); None
    otherwise. Plugged in by `kyso.lifecycle` at start-up; unplugged, no such certificate is issued."""
    _requests[:] = [bind]


def spki(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _bound(profile: str, request, actor, subject: SubjectInfo | None, key_asked=None):
    """The subject to certify and what to do once issued: for a Form 01 profile, the request's (refused without
    one, or when the subject asked differs from the one it names, or — the request carrying the subscriber's CSR —
    when the key to certify is not that CSR's: `key_asked()` gives it, None when the key is made in the issuance);
    for the others, as asked."""
    if profile not in FORM01_PROFILES:
        return subject, None
    if request in (None, ""):
        raise InvalidInput("pki.issue.request_required",
                           _("A person or organisation certificate is issued only for an approved issuance request "
                             "(Form 01) sent to the CA: name the request."),
                           fields={"request": ("required", _("Name the approved issuance request."))})
    bound = _requests[0](request, profile, actor) if _requests else None
    if bound is None:
        raise InvalidInput("pki.issue.request_not_approved",
                           _("Request %(request)s is not an approved issuance request sent to the CA for a %(profile)s "
                             "certificate."), request=str(request)[:40], profile=profile,
                           fields={"request": ("not_approved", _("Not an approved request sent to the CA."))})
    named, issued, wanted = bound
    if subject is not None and subject.to_name() != named.to_name():
        raise InvalidInput("pki.issue.subject_mismatch",
                           _("The certificate is issued for the subject the request names: %(subject)s."),
                           subject=named.common_name)
    key = key_asked() if wanted is not None and key_asked is not None else None
    if wanted is not None and (key is None or spki(key) != wanted):
        raise InvalidInput("pki.issue.key_mismatch",
                           _("The request carries the subscriber's certificate request (CSR): the certificate "
                             "certifies that key, made on the subscriber's device, and no other."),
                           fields={"csr": ("key_mismatch", _("Not the key of the request's CSR."))})
    return named, issued


def as_step(fn, *, profile: str, actor=None, request=None, subject: SubjectInfo | None = None, key_asked=None):
    """Run the issuance `fn(subject)` as the step "pki.certificate.issue" by `actor`: his right checked at the agency's
    root (not looked up for Kyso itself, which is not checked), audited as his, refused with the one error shape. A
    person or organisation certificate only for the approved request `request`, with the subject it names and the
    key of its CSR if it has one (`key_asked()`: the key `fn` will certify, None when `fn` makes it), recorded on it
    in the same step (`_bound`)."""
    def body(attempt):
        named, issued = _bound(profile, request, actor, subject, key_asked)
        cert = fn(named)
        if issued is not None:
            issued(cert)
        return cert

    return steps.run(ISSUE, body, actor=actor, unit=scope.agency_root() if actor is not None else None)


def issue_from_csr(csr_data: bytes | str, profile: str, days: int, *, subject: SubjectInfo | None = None,
                   ca: CertificateAuthority | None = None, actor=None, request=None) -> IssuedCertificate:
    """Certify the key of a CSR: the step "pki.certificate.issue" by `actor` (None: Kyso itself); a person or
    organisation certificate for the approved issuance request `request` (`as_step`)."""
    return as_step(lambda named: certify_csr(csr_data, profile, days, subject=named, ca=ca), profile=profile,
                   actor=actor, request=request, subject=subject, key_asked=lambda: _csr_key(csr_data))


def _csr_key(csr_data: bytes | str):
    """The key a CSR asks to certify, refused as `certify_csr` refuses it when it cannot be read."""
    csr = load_csr(csr_data)
    try:
        return csr.public_key()
    except Exception:  # noqa: BLE001 - unsupported key algorithm
        raise InvalidInput("pki.csr.unsupported", _("The request uses an unsupported key or signature algorithm.")) from None


def certify_csr(csr_data: bytes | str, profile: str, days: int, *, subject: SubjectInfo | None = None,
                ca: CertificateAuthority | None = None) -> IssuedCertificate:
    """The certificate for a CSR's key, every check made (profile, CSR, key, validity) — no step: the API and the
    command line go through `issue_from_csr`; like `issue_for_public_key`, for Kyso's own callers and tests."""
    _check_profile(profile)
    csr = load_csr(csr_data)
    try:
        algo = csr.signature_hash_algorithm
    except Exception:  # noqa: BLE001 - an algorithm cryptography does not know
        algo = None
    if algo is None or isinstance(algo, (hashes.MD5, hashes.SHA1)):
        raise InvalidInput("pki.csr.weak_hash", _("The request is signed with a weak or unknown hash (MD5, SHA-1); use SHA-256."))
    try:
        valid = csr.is_signature_valid
        public_key = csr.public_key()
    except Exception:  # noqa: BLE001 - unsupported key or signature algorithm
        raise InvalidInput("pki.csr.unsupported", _("The request uses an unsupported key or signature algorithm.")) from None
    if not valid:
        raise InvalidInput("pki.csr.bad_signature", _("The request's signature does not match its public key (proof of possession failed)."))
    check_public_key(public_key)
    if subject is None:
        try:
            subject = SubjectInfo.from_name(csr.subject, email=_csr_email(csr))
        except ValueError:
            raise InvalidInput("pki.csr.malformed", _("The request's subject could not be read.")) from None
    elif not subject.email:
        subject.email = _csr_email(csr)
    return issue_for_public_key(public_key, profile, subject, days, ca=ca, key_location="csr")


def issue_on_token(token_label: str, pin: str, profile: str, subject: SubjectInfo, days: int, *, key_spec: str = "rsa2048",
                   ca: CertificateAuthority | None = None) -> IssuedCertificate:
    """Generate a non-extractable key inside the token (the subscriber's key device), certify it,
    and store the certificate on the token next to its key."""
    spec = _check_profile(profile)
    days = _check_days(days, spec)
    subject.to_name()
    if spec.needs_email and not subject.email:
        raise InvalidInput("pki.person.email_required", _("A person certificate needs the subscriber's government e-mail."))
    ca = ca or get_ca()
    store = keystore.pkcs11_store(token_label, pin)
    label = f"kyso-{os.urandom(4).hex()}"
    key = store.generate(label, key_spec, extractable=False)
    try:
        issued = issue_for_public_key(key.public_key(), profile, subject, days, ca=ca,
                                      key_location=f"pkcs11:token={token_label};object={label}")
        write_certificate_to_token(store, label, issued.certificate)
    except BaseException:
        store.destroy(label)  # leave the device as it was
        raise
    return issued


def write_certificate_to_token(store: keystore.Pkcs11KeyStore, label: str, cert: x509.Certificate) -> None:
    from pkcs11 import Attribute, CertificateType, ObjectClass

    with keystore._P11_LOCK:
        session = store.session()
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=label)
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: key[Attribute.ID],
            Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.VALUE: cert.public_bytes(signer._DER),
        })
