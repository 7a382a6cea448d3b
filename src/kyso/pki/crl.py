"""CRLs: one full CRL per CA, regenerated after every revocation and before nextUpdate.

The signed CRL is kept as a file (a CRL of a million entries is ~50 MB) with a small
metadata file saying which revocation version it reflects; a request finding it stale
rebuilds it under a file lock, so several worker processes never build it twice.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import json
import logging
import os
import re
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from . import der, signer
from .ca import get_ca, key_of
from .models import CertificateAuthority, CertStatus, IssuedCertificate
from .reasons import CODES, REASONS

CRL_VALIDITY = dt.timedelta(hours=24)
REFRESH_BEFORE = dt.timedelta(hours=12)
log = logging.getLogger("kyso.pki")


def _dir() -> Path:
    path = Path(settings.DATA_DIR) / "pki" / "crl"
    path.mkdir(parents=True, exist_ok=True)
    return path


def rows(ca: CertificateAuthority):
    """(serial hex, revoked at, reason, invalidity date) of `ca`'s revoked and suspended certificates, streamed.

    Read with a plain cursor (a server-side one on PostgreSQL, inside the caller's transaction): a million
    rows through the ORM are seconds of Python. Dates come as the database's text in UTC (see `_time`).
    """
    sql = (f"SELECT serial, CAST(revoked_at AS TEXT), revocation_reason, CAST(invalidity_date AS TEXT) FROM {_CERT} "
           "WHERE ca_id = %s AND status IN (%s, %s)")
    with connection.chunked_cursor() as cur:
        cur.execute(sql, [ca.pk, CertStatus.REVOKED.value, CertStatus.HOLD.value])
        while batch := cur.fetchmany(20000):
            yield from batch


_CERT = IssuedCertificate._meta.db_table


def as_datetime(value) -> dt.datetime | None:
    """A date from the database's text (SQLite: naive UTC; PostgreSQL: with its offset) or a datetime."""
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def entries(ca: CertificateAuthority):
    """Revoked and suspended certificates of `ca` as cryptography CRL entries (for callers that want objects)."""
    out = []
    for serial, revoked_at, reason, invalidity in rows(ca):
        invalidity = as_datetime(invalidity)
        b = x509.RevokedCertificateBuilder().serial_number(int(serial, 16)).revocation_date(as_datetime(revoked_at))
        if reason and reason != "unspecified":
            b = b.add_extension(x509.CRLReason(REASONS[reason]), critical=False)
        if invalidity is not None:
            b = b.add_extension(x509.InvalidityDate(invalidity.replace(tzinfo=None)), critical=False)
        out.append(b.build())
    return out


_REASON_EXT = {name: der.seq(der.oid("2.5.29.21"), der.tlv(der.OCTET_STRING, der.tlv(der.ENUMERATED, bytes((code,)))))
               for name, code in CODES.items() if name != "unspecified"}
_INVALIDITY = der.oid("2.5.29.24")


_DB_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.\d*)?(?:Z|\+00(?::?00)?)?")


def _time(value) -> bytes:
    """RFC 5280 Time of a date: the database's text in UTC read by its digits (a million revocations are
    mostly a million different seconds), anything else through `as_datetime`."""
    match = _DB_TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return der.time_choice(as_datetime(value))
    year, *rest = match.groups()
    if "1950" <= year < "2050":
        return der.tlv(der.UTC_TIME, (year[2:] + "".join(rest) + "Z").encode())
    return der.tlv(der.GENERALIZED_TIME, (year + "".join(rest) + "Z").encode())


def _tail(revoked_at, reason, invalidity) -> bytes:
    """What follows the serial in an entry: revocationDate and crlEntryExtensions."""
    ext = _REASON_EXT.get(reason, b"")
    if invalidity is not None:
        ext += der.seq(_INVALIDITY, der.tlv(der.OCTET_STRING, der.generalized_time(as_datetime(invalidity))))
    return _time(revoked_at) + (der.seq(ext) if ext else b"")


_HIGH_NIBBLES = frozenset("89abcdefABCDEF")


@functools.lru_cache(maxsize=256)
def _heads(tail_length: int) -> list[dict[str, str]]:
    """[number of hex digits][first digit] -> hex of an entry's SEQUENCE header and its serial's INTEGER header,
    with what the serial needs in front: a 0 nibble for an odd number of digits, a 00 octet when its first octet
    has the high bit set (DER INTEGERs are signed)."""
    out = []
    for digits in range(65):  # serials are at most 64 hex digits (revocation.normalize_serial)
        by_first = {}
        for first in "0123456789abcdefABCDEF":
            pad = "0" if digits % 2 else ("00" if first in _HIGH_NIBBLES else "")
            octets = (digits + len(pad)) // 2
            integer = der.length(octets)
            by_first[first] = ("30" + der.length(1 + len(integer) + octets + tail_length).hex() + "02" + integer.hex()
                               + pad)
        out.append(by_first)
    return out


def encode_entries(revoked) -> bytes:
    """The contents of revokedCertificates (RFC 5280 §5.1.2.6) for (serial hex, revoked at, reason, invalidity) rows.

    A million entries are a minute of cryptography objects; here an entry is one string: its headers (looked up
    by the serial's length and first digit), the serial as it comes, and the date and extensions (the same for
    every entry of one revocation time and reason, encoded once). The hex of all entries is decoded at once.
    """
    out = []
    append = out.append
    shapes: dict = {}
    last_at = last_reason = last_invalidity = heads = tail = None
    for serial, revoked_at, reason, invalidity in revoked:
        if revoked_at is not last_at or reason is not last_reason or invalidity is not last_invalidity:
            last_at, last_reason, last_invalidity = revoked_at, reason, invalidity
            key = (revoked_at, reason, invalidity)
            shape = shapes.get(key)
            if shape is None:
                encoded = _tail(*key)
                shape = shapes[key] = (_heads(len(encoded)), encoded.hex())
            heads, tail = shape
        append(heads[len(serial)][serial[0]] + serial + tail)
    return bytes.fromhex("".join(out))


def _sign_der(ca: CertificateAuthority, revoked: bytes, number: int, now: dt.datetime, next_update: dt.datetime) -> bytes:
    """CertificateList (RFC 5280 §5.1) around already encoded entries, its TBS signed once with the CA key."""
    key = key_of(ca)
    algorithm = der.seq(der.oid("1.2.840.113549.1.1.11"), b"\x05\x00") if isinstance(key.public_key(), rsa.RSAPublicKey) \
        else der.seq(der.oid("1.2.840.10045.4.3.2"))
    ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
    extensions = der.seq(der.seq(der.oid("2.5.29.20"), der.tlv(der.OCTET_STRING, der.integer(number))),
                         der.seq(der.oid("2.5.29.35"), der.tlv(der.OCTET_STRING, aki.public_bytes())))
    tbs = der.seq(b"\x02\x01\x01", algorithm, ca.certificate.subject.public_bytes(), der.time_choice(now),
                  der.time_choice(next_update), der.seq(revoked) if revoked else b"", der.explicit(0, extensions))
    return der.seq(tbs, algorithm, der.bit_string(key.sign(tbs, "sha256")))


_CA_TABLE = CertificateAuthority._meta.db_table
_NEXT_NUMBER = (f"UPDATE {_CA_TABLE} SET crl_number = crl_number + 1 WHERE id = %s "
                "RETURNING crl_number, revocation_version")
# the same, unless the row is locked (by another transaction, or by the caller's own: then nothing is returned)
_NEXT_NUMBER_UNLESS_LOCKED = (
    f"WITH free AS (SELECT id FROM {_CA_TABLE} WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED) "
    f"UPDATE {_CA_TABLE} AS ca SET crl_number = ca.crl_number + 1 FROM free WHERE ca.id = free.id "
    "RETURNING ca.crl_number, ca.revocation_version")
OWN_CONNECTION_TRIES = 20          # × 50 ms: a revocation holding the CA row commits within that


def _next_number(ca: CertificateAuthority) -> tuple[int, int]:
    """The CA's next CRL number and the revocation version the CRL will cover.

    A CRL is rebuilt inside a request when a verification needs a fresh one (intake checks every file). Taking
    the number there would keep the CA row locked until the request ends, and the request then writes the audit
    trail: it would hold the CA row and wait for the chain head while a revocation holds the chain head and waits
    for the CA row — a deadlock on PostgreSQL, found by the cluster kill test (issue 19). So on PostgreSQL inside
    a transaction the number is taken on a connection of its own, in autocommit (a number skipped if the caller
    rolls back is harmless: CRL numbers must only increase), skipping the row while another transaction holds it;
    if it stays locked (the caller's own transaction changed it) or the CA is not yet visible to other
    connections (created by the caller), the caller's transaction takes it as before. The UPDATE locks the row
    FOR NO KEY UPDATE, which never blocks certificates being inserted for this CA (their foreign key check takes
    KEY SHARE). SQLite has one writer at a time: there the caller's connection is the only one that may write."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        ours = connections[DEFAULT_DB_ALIAS]
        own = type(ours)(dict(ours.settings_dict), DEFAULT_DB_ALIAS)
        try:
            with own.cursor() as cur:
                for _ in range(OWN_CONNECTION_TRIES):
                    cur.execute(_NEXT_NUMBER_UNLESS_LOCKED, [ca.pk])
                    taken = cur.fetchone()
                    if taken is not None:
                        return taken
                    cur.execute(f"SELECT 1 FROM {_CA_TABLE} WHERE id = %s", [ca.pk])
                    if cur.fetchone() is None:
                        break                       # created in the caller's transaction
                    time.sleep(0.05)
        finally:
            own.close()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(_NEXT_NUMBER, [ca.pk])
        return cur.fetchone()


def build(ca: CertificateAuthority, revoked: list | None = None, *, entries_der: bytes | None = None
          ) -> tuple[bytes, int, dt.datetime, int]:
    """Sign a new full CRL for `ca` with the next CRL number.

    The entries come from the database (streamed and encoded by hand), already encoded
    (`entries_der`, see `encode_entries`), or as cryptography objects (`revoked`, through its builder).
    Returns (DER, CRL number, nextUpdate, revocation version it reflects).
    """
    number, version = _next_number(ca)
    with transaction.atomic():
        if revoked is None and entries_der is None:
            entries_der = encode_entries(rows(ca))     # read after the version: it covers at least that version
    now = timezone.now().replace(microsecond=0)
    next_update = now + CRL_VALIDITY
    if revoked is None:
        return _sign_der(ca, entries_der, number, now, next_update), number, next_update, version
    ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = x509.CertificateRevocationListBuilder(
        issuer_name=ca.certificate.subject, last_update=now, next_update=next_update,
        extensions=[
            x509.Extension(x509.CRLNumber.oid, False, x509.CRLNumber(number)),
            x509.Extension(x509.AuthorityKeyIdentifier.oid, False, x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)),
        ],
        revoked_certificates=revoked,
    )
    crl = signer.sign_crl(builder, key_of(ca))
    return crl.public_bytes(signer._DER), number, next_update, version


def _meta(name: str) -> dict | None:
    try:
        return json.loads((_dir() / f"{name}.json").read_text())
    except (OSError, ValueError):
        return None


def _is_fresh(name: str, ca: CertificateAuthority) -> bool:
    meta = _meta(name)
    return (meta is not None and (_dir() / f"{name}.crl").exists() and meta.get("version") == ca.revocation_version
            and dt.datetime.fromisoformat(meta["next_update"]) - REFRESH_BEFORE > timezone.now())


def current(name: str, *, force: bool = False) -> bytes:
    """The CA's current CRL, rebuilt when a revocation happened since or nextUpdate is near."""
    ca = get_ca(name)
    path = _dir() / f"{name}.crl"
    if force or not _is_fresh(name, ca):
        with open(_dir() / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be rebuilding it right now
            ca.refresh_from_db()
            if force or not _is_fresh(name, ca):
                der, number, next_update, version = build(ca)
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(der)
                os.replace(tmp, path)
                (_dir() / f"{name}.json").write_text(json.dumps({"number": number, "version": version,
                                                                 "next_update": next_update.isoformat()}))
    return path.read_bytes()


def publish_quietly(name: str) -> None:
    """After a revocation commits: publish at once (a failure is retried by the next request)."""
    try:
        current(name)
    except Exception:  # noqa: BLE001
        log.exception("CRL publication for %s failed", name)


def refresh_all() -> int:
    """Periodic job: keep every CA's CRL fresh before its nextUpdate."""
    n = 0
    for ca in CertificateAuthority.objects.all():
        current(ca.name)
        n += 1
    return n
