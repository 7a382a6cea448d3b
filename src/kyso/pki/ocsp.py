"""OCSP responder (RFC 6960): good / revoked (time, reason) / unknown, signed by a
delegated responder certificate of the CA that issued the certificate asked about.

Requests without a nonce are answered with a pre-signed response (RFC 5019): one per
certificate and CertID hash, signed ahead of time by the periodic job, at once after a status
change (`publish`, called when a revocation commits) or on first demand, and kept in the shared
store and in each process's memory (`ocsp_store`). It is never served once the certificate's
status changed, nor within `CACHE_MARGIN` of its nextUpdate. Requests with a nonce, for an
unknown serial, or made inside a database transaction are signed fresh; outside a transaction the
status they are signed for comes from the process's memory, kept and dropped like the pre-signed
responses (a revocation is answered at once by the process that made it, within a second by the others).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from typing import Callable, NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from django.db import connection
from django.utils import timezone

from .ca import key_of, responder
from .models import CertificateAuthority, CertStatus, IssuedCertificate
from .ocsp_store import LOCAL, CertRow, Stored, ca_versions, cert_row, store
from .ocsp_der import ResponseWriter, key_hash

VALIDITY = dt.timedelta(hours=4)
CACHE_MARGIN = dt.timedelta(minutes=30)  # a response is not handed out closer than this to its nextUpdate
REFRESH_AHEAD = dt.timedelta(hours=2)  # the periodic job re-signs responses with less than this left
PRESIGN = ("sha1", "sha256")  # CertID hashes signed ahead for every certificate (RFC 5019 clients use SHA-1)
MAX_REQUEST_BYTES = 16 * 1024
MAX_NONCE = 32                     # octets (RFC 8954 §2.1): an empty or longer nonce is a malformed request
HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
log = logging.getLogger("kyso.pki")


class Query(NamedTuple):
    algorithm: str
    name_hash: bytes
    key_hash: bytes
    serial: int
    nonce: bytes | None


class Answer(NamedTuple):
    der: bytes
    next_update: float = 0.0  # pre-signed responses only: nextUpdate, seconds since the epoch
    etag: str = ""


def unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


_MALFORMED = unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
_UNAUTHORIZED = unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
_INTERNAL = unsuccessful(ocsp.OCSPResponseStatus.INTERNAL_ERROR)


def parse(data: bytes) -> Query | None:
    """The one certificate asked about, or None for anything malformed (several certificates, unknown hash)."""
    if not data or len(data) > MAX_REQUEST_BYTES:
        return None
    try:
        req = ocsp.load_der_ocsp_request(data)
        algorithm = req.hash_algorithm.name
        nonce = None
        for ext in req.extensions:
            if isinstance(ext.value, x509.OCSPNonce):
                nonce = ext.value.nonce
        query = Query(algorithm, req.issuer_name_hash, req.issuer_key_hash, req.serial_number, nonce)
    except Exception:  # noqa: BLE001 - malformed, several certificates in one request, unknown hash
        return None
    if nonce is not None and not 1 <= len(nonce) <= MAX_NONCE:   # RFC 8954: a longer one only costs us
        return None
    return query if algorithm in HASHES else None


def issuer_hashes(ca: CertificateAuthority, algorithm: str) -> tuple[bytes, bytes]:
    cert = ca.certificate
    return hashlib.new(algorithm, cert.subject.public_bytes()).digest(), key_hash(cert.public_key(), algorithm)


# Per process: the CA objects, their issuer hashes and responder keys, dropped when the set of CAs or their keys change.
_INDEX: dict = {"signature": None, "cas": {}, "hashes": {}, "responders": {}, "seen": None}


def forget() -> None:
    """Drop what this process remembers of the CAs and their responses (tests: the database is replaced)."""
    _INDEX.update(signature=None, cas={}, hashes={}, responders={}, seen=None)
    LOCAL.forget()


def _cas(versions: dict[int, tuple[int, str]]) -> dict[int, CertificateAuthority]:
    if versions is _INDEX["seen"]:  # the same poll as the previous request: nothing to compare
        return _INDEX["cas"]
    _INDEX["seen"] = versions
    signature = tuple(sorted((pk, label) for pk, (_v, label) in versions.items()))
    if signature != _INDEX["signature"]:
        _INDEX.update(signature=signature, cas={ca.pk: ca for ca in CertificateAuthority.objects.all()}, hashes={},
                      responders={})
    return _INDEX["cas"]


def _find_ca(query: Query, cas: dict) -> CertificateAuthority | None:
    key = (query.algorithm, query.name_hash, query.key_hash)
    pk = _INDEX["hashes"].get(key)
    if pk is None:
        for ca in cas.values():
            if issuer_hashes(ca, query.algorithm) == (query.name_hash, query.key_hash):
                pk = _INDEX["hashes"][key] = ca.pk
                break
    return cas.get(pk) if pk is not None else None


def _writer(ca: CertificateAuthority) -> ResponseWriter:
    """The delegated responder's certificate and key, kept per process until a day before the certificate expires."""
    cached = _INDEX["responders"].get(ca.pk)
    if cached is None or cached.renew_at < time.time():
        cert, key = responder(ca, "ocsp")
        cached = _INDEX["responders"][ca.pk] = ResponseWriter(cert.certificate, key)
        cached.renew_at = (cert.certificate.not_valid_after_utc - dt.timedelta(days=1)).timestamp()
    return cached


def respond(data: bytes) -> bytes:
    """Answer one DER OCSPRequest with a DER OCSPResponse (never raises on bad input)."""
    return answer(data).der


def answer(data: bytes, nonce_allowed: Callable[[], bool] | None = None) -> Answer:
    """The response to one DER OCSPRequest, with its nextUpdate when it is a pre-signed one.

    A nonce costs a fresh signature; when `nonce_allowed()` says the client has asked for too many, it is not
    echoed and the pre-signed answer serves (RFC 8954 §2.1 and RFC 5019 §2.2.1 let a responder ignore it)."""
    query = parse(data)
    if query is None:
        return Answer(_MALFORMED)
    if query.nonce is not None and nonce_allowed is not None and not nonce_allowed():
        query = query._replace(nonce=None)
    in_transaction = connection.in_atomic_block  # uncommitted changes may be seen: read, sign, never cache
    try:
        if in_transaction:
            versions, polled = ca_versions(), None
        else:
            versions, polled = LOCAL.poll()
        ca = _find_ca(query, _cas(versions))
        if ca is None:
            return Answer(_UNAUTHORIZED)
        key = (ca.pk, query.algorithm, query.serial)
        if query.nonce is None and not in_transaction:
            hit = LOCAL.get(key)
            if hit is not None:
                return Answer(hit[0], hit[1] + CACHE_MARGIN.total_seconds(), hit[2])
        row = cert_row(ca.pk, query.serial) if in_transaction else LOCAL.status(ca.pk, query.serial, polled)
        if query.nonce is not None or row is None:
            return Answer(sign(ca, query.algorithm, query.serial, row, nonce=query.nonce).der)
        stored = presigned(ca, query.algorithm, query.serial, row, save=not in_transaction)
        etag = hashlib.sha1(stored.der).hexdigest()
        if not in_transaction:
            LOCAL.put(key, (stored.der, stored.next_update - CACHE_MARGIN.total_seconds(), etag), polled)
        return Answer(stored.der, stored.next_update, etag)
    except Exception:  # noqa: BLE001 - e.g. responder certificate missing: tell the client to retry
        log.exception("OCSP answer failed")
        return Answer(_INTERNAL)


def presigned(ca: CertificateAuthority, algorithm: str, serial: int, row: CertRow, *, save: bool = True) -> Stored:
    """The shared pre-signed response for the certificate's current status, signed now if missing or stale."""
    shared = store()
    found = shared.get(ca.pk, algorithm, serial)
    if found is None or found.status_version != row.status_version or \
            found.next_update - time.time() < CACHE_MARGIN.total_seconds():
        found = sign(ca, algorithm, serial, row)
        if save:
            shared.put(ca.pk, algorithm, {serial: found})
    return found


def sign(ca: CertificateAuthority, algorithm: str, serial: int, row: CertRow | None, *, nonce: bytes | None = None,
         by_ca: bool = False) -> Stored:
    """A response for `serial` in the state `row` (None: unknown), valid for VALIDITY from now; signed by the
    delegated responder, or (`by_ca`) by the CA itself."""
    writer = ResponseWriter(ca.certificate, key_of(ca)) if by_ca else _writer(ca)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    next_update = now + VALIDITY
    if row is None:
        status = "unknown"
    else:
        status = "good" if row.status == CertStatus.GOOD else "revoked"
    hashes_key = ("issuer", ca.pk, algorithm)
    if hashes_key not in _INDEX["hashes"]:
        _INDEX["hashes"][hashes_key] = issuer_hashes(ca, algorithm)
    cert_id = writer.cert_id(algorithm, *_INDEX["hashes"][hashes_key], serial)
    der = writer.response(cert_id, status, now, next_update, revoked_at=row and row.revoked_at,
                          reason=row.reason if row else "", nonce=nonce)
    return Stored(0 if row is None else row.status_version, int(next_update.timestamp()), der)


def _known_cas() -> dict[int, CertificateAuthority]:
    return _cas(ca_versions())


def publish(ca_id: int, serial: int) -> None:
    """After a status change commits: sign the new responses at once and put them in the shared store.

    Correctness does not depend on this (nodes compare versions with the database); it spares the
    first client after a revocation the wait for a signature, and every node the signing.
    """
    LOCAL.drop(ca_id, serial)  # this process answers the new status at once, the others at their next poll
    ca = _known_cas().get(ca_id)
    row = cert_row(ca_id, serial)
    if ca is None or row is None:
        return
    shared = store()
    for algorithm in sorted(shared.algorithms(ca_id, serial) | set(PRESIGN)):
        shared.put(ca_id, algorithm, {serial: sign(ca, algorithm, serial, row)})


def publish_quietly(ca_id: int, serial: int) -> None:
    try:
        publish(ca_id, serial)
    except Exception:  # noqa: BLE001 - nodes sign on demand instead
        log.exception("OCSP pre-signing after a status change failed")


def refresh(*, chunk: int = 500) -> int:
    """Periodic job: pre-sign every unexpired certificate's responses that are missing, stale or near nextUpdate."""
    shared = store()
    now = time.time()
    signed = 0
    for ca in _known_cas().values():
        certs = (IssuedCertificate.objects.filter(ca=ca, not_after__gte=timezone.now()).order_by()
                 .values_list("serial", "status", "revoked_at", "revocation_reason", "status_version").iterator(chunk_size=chunk))
        batch: list[tuple] = []
        for item in certs:
            batch.append(item)
            if len(batch) >= chunk:
                signed += _refresh_batch(shared, ca, batch, now)
                batch = []
        if batch:
            signed += _refresh_batch(shared, ca, batch, now)
    shared.purge(int(now))
    return signed


def _refresh_batch(shared, ca, batch, now) -> int:
    rows = {int(s, 16): CertRow(status, revoked_at, reason or "", version) for s, status, revoked_at, reason, version in batch}
    n = 0
    for algorithm in PRESIGN:
        found = shared.get_many(ca.pk, algorithm, list(rows))
        stale = {serial: row for serial, row in rows.items()
                 if serial not in found or found[serial].status_version != row.status_version
                 or found[serial].next_update - now < REFRESH_AHEAD.total_seconds()}
        if stale:
            shared.put(ca.pk, algorithm, {serial: sign(ca, algorithm, serial, row) for serial, row in stale.items()})
            n += len(stale)
    return n
