"""Test helpers: real certificates from a throwaway "external CA" (cryptography) or from our CA, and
lifecycle records built through the domain functions."""

from __future__ import annotations

import contextlib
import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.db import transaction

from kyso import audit
from kyso.core.context import acting_as
from kyso.core.documents import OfficialDocument, Paragraph, render_pdf
from kyso.lifecycle import services
from kyso.lifecycle.models import Certificate, Source
from kyso.pki.issuance import SubjectInfo
from kyso.pki.testing import make_signer


class ExternalCa:
    """A small independent CA standing in for the Government Cipher Committee's CA."""

    def __init__(self, name="CA Ban Cơ yếu Chính phủ (thử nghiệm)"):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                               x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = dt.datetime.now(dt.timezone.utc)
        self.cert = (x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name)
                     .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                     .sign(self.key, hashes.SHA256()))

    def issue(self, public_key, common_name: str, email: str = "", days: int = 365, start: dt.datetime | None = None):
        start = start or dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
        b = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])]))
             .issuer_name(self.name).public_key(public_key).serial_number(x509.random_serial_number())
             .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days)))
        if email:
            b = b.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
        return b.sign(self.key, hashes.SHA256())


def csr_for(common_name: str, email: str = ""):
    key = ec.generate_private_key(ec.SECP256R1())
    b = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])]))
    if email:
        b = b.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    return key, b.sign(key, hashes.SHA256())


def pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def der(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def certificate_for(subscriber_kind: str, *, person=None, unit=None, days: int = 365, status: str = "active",
                    ca: ExternalCa | None = None):
    """An active lifecycle certificate held by a person or a unit (recorded as imported)."""
    from kyso.lifecycle.models import Certificate, Source
    from kyso.lifecycle.units import subscriber_for as _subscriber_for

    ca = ca or ExternalCa()
    key = ec.generate_private_key(ec.SECP256R1())
    name = person.full_name if person else unit.name
    cert = ca.issue(key.public_key(), name, person.email if person else "", days=days)
    with acting_as(label="test", channel="cli"), transaction.atomic(), audit.action("test.certificate"):
        sub = _subscriber_for(subscriber_kind, person, unit or person.unit)
        return Certificate.objects.create(
            serial=format(cert.serial_number, "x"), issuer=cert.issuer.rfc4514_string(),
            subject=cert.subject.rfc4514_string(), not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc, status=status, kind=subscriber_kind, subscriber=sub,
            source=Source.IMPORTED, der=der(cert))


def our_certificate_on_device(demo, serial: str):
    """A certificate our CA issued to the demo subscriber (thuebao), on a key device in his hands."""
    person = demo.user("thuebao").person
    admin = demo.user("admin")
    with acting_as(admin), transaction.atomic(), audit.action("test.certificate"):
        issued, _key = make_signer("person", SubjectInfo(common_name=person.full_name, email=person.email))
        sub = services.subscriber_for("person", person, person.unit)
        dev = services.register_device(admin, serial=serial, unit=person.unit)
        services.change_device(admin, dev, "issued", holder=sub)
        return Certificate.objects.create(
            serial=issued.serial, issuer=issued.certificate.issuer.rfc4514_string(), subject=issued.subject_dn,
            not_before=issued.not_before, not_after=issued.not_after, status="active", kind="person", subscriber=sub,
            device=dev, source=Source.EMBEDDED, issued=issued)


def in_state(req, state: str):
    """Put a request in a state directly (to test one step without replaying the whole path)."""
    with acting_as(label="test", channel="cli"), transaction.atomic(), audit.action("test.state"):
        req.state = state
        req.save()
    return req


def real_pdf(text: str = "Bản sao") -> bytes:
    """A real one-page PDF (attachments are checked by their content)."""
    return render_pdf(OfficialDocument(title=text.upper(), blocks=[Paragraph(text)]))


@contextlib.contextmanager
def acting(user):
    """On behalf of `user` from the CLI, in a transaction (for the domain functions called directly)."""
    with acting_as(user, channel="cli"), transaction.atomic():
        yield


def ba_dinh_certificates(demo) -> list:
    """Three person certificates in Ba Đình (its director, deputy and a specialist): a unit's certificates to revoke."""
    return [certificate_for("person", person=demo.person("HN.BD", t)) for t in ("Giám đốc", "Phó Giám đốc",
                                                                                 "Chuyên viên")]
