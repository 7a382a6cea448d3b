"""The CRL is encoded by hand (a million entries in about a second): it must be exactly what
cryptography's builder makes of the same entries, and read the same from the database."""

import datetime as dt

import pytest
from cryptography import x509
from django.db import transaction

from kyso.core.context import acting_as
from kyso.pki import crl, revocation, signer
from kyso.pki.ca import key_of
from kyso.pki.reasons import REASONS
from kyso.pki.testing import make_signer

from .tools import errors, openssl, pkilint, write_chain

pytestmark = pytest.mark.django_db


def _builder_crl(ca, rows, number, now):
    objects = []
    for serial, at, reason, invalidity in rows:
        b = x509.RevokedCertificateBuilder().serial_number(int(serial, 16)).revocation_date(crl.as_datetime(at))
        if reason and reason != "unspecified":
            b = b.add_extension(x509.CRLReason(REASONS[reason]), critical=False)
        if invalidity is not None:
            b = b.add_extension(x509.InvalidityDate(crl.as_datetime(invalidity).astimezone(dt.timezone.utc).replace(tzinfo=None)), critical=False)
        objects.append(b.build())
    ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = x509.CertificateRevocationListBuilder(
        issuer_name=ca.certificate.subject, last_update=now, next_update=now + crl.CRL_VALIDITY,
        extensions=[x509.Extension(x509.CRLNumber.oid, False, x509.CRLNumber(number)),
                    x509.Extension(x509.AuthorityKeyIdentifier.oid, False,
                                   x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski))],
        revoked_certificates=objects)
    return signer.sign_crl(builder, key_of(ca)).public_bytes(signer._DER)


def test_hand_encoded_crl_is_byte_for_byte_the_builders(pki):
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    rows = [("7a3b9c00112233445566778899aabbccddeeff11", now - dt.timedelta(days=1), "keyCompromise", None),
            ("1", now, "unspecified", None),  # no reason extension for "unspecified"
            ("ff", now, "certificateHold", now - dt.timedelta(days=3)),  # high bit: a leading zero byte
            ("abc", dt.datetime(2051, 1, 1, tzinfo=dt.timezone.utc), "", None)]  # GeneralizedTime after 2049
    for i, name in enumerate(REASONS):
        rows.append((format(0x1000 + i, "x"), now, name, None))
    # serials of every shape: odd and even lengths, high bit or not, upper case, up to 159 bits (cryptography refuses more)
    rows += [(serial, now, "superseded", None) for serial in ("8", "80", "7f", "800", "F00D", "0" + "a" * 39, "7" * 40,
                                                                "8" * 39, "9" * 38)]
    # dates as the database gives them (text in UTC: SQLite naive, PostgreSQL with its offset), fractions dropped
    rows += [("2001", "2026-12-06 08:22:58", "keyCompromise", None), ("2002", "2026-12-06 08:22:58.123456", "", None),
             ("2003", "2026-12-06 08:22:58+00", "superseded", None), ("2004", "2051-01-01 00:00:00+00:00", "", None),
             ("2005", "2026-12-06 15:22:58+07:00", "affiliationChanged", "2026-12-01 00:00:00")]
    ours = crl._sign_der(pki, crl.encode_entries(rows), 7, now, now + crl.CRL_VALIDITY)
    assert ours == _builder_crl(pki, rows, 7, now)
    assert crl._sign_der(pki, b"", 8, now, now + crl.CRL_VALIDITY) == _builder_crl(pki, [], 8, now)


def test_crl_from_the_database_lists_every_revocation_with_its_dates(pki, tmp_path):
    with acting_as(label="t"), transaction.atomic():
        certs = [make_signer()[0] for _ in range(3)]
    compromised = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(days=2)
    with acting_as(label="t"):
        revocation.revoke(certs[0].serial, "keyCompromise", invalidity_date=compromised)
        revocation.revoke(certs[1].serial, "superseded")
        revocation.suspend(certs[2].serial)
    der, number, next_update, _version = crl.build(pki)
    parsed = x509.load_der_x509_crl(der)
    assert parsed.is_signature_valid(pki.certificate.public_key())
    assert parsed.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == number
    assert parsed.next_update_utc == next_update
    for cert, reason in zip(certs, ["keyCompromise", "superseded", "certificateHold"]):
        cert.refresh_from_db()
        entry = parsed.get_revoked_certificate_by_serial_number(cert.serial_int)
        assert entry is not None and entry.revocation_date_utc == cert.revoked_at
        assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == REASONS[reason]
    first = parsed.get_revoked_certificate_by_serial_number(certs[0].serial_int)
    assert first.extensions.get_extension_for_class(x509.InvalidityDate).value.invalidity_date_utc == compromised
    # the objects of `entries` are the same entries
    assert sorted(e.serial_number for e in crl.entries(pki)) == sorted(e.serial_number for e in parsed)
    path = tmp_path / "issuing.crl"
    path.write_bytes(der)
    out = openssl("crl", "-inform", "DER", "-in", str(path), "-noout", "-CAfile", str(write_chain(tmp_path)))
    assert b"verify OK" in out.stdout + out.stderr
    assert not errors(pkilint("crl", path)), pkilint("crl", path)
