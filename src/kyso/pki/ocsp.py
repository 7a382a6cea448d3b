"""OCSP responder (RFC 6960): good / revoked (time, reason) / unknown, signed by a
delegated responder certificate of the CA that issued the certificate asked about.

Requests without a nonce get a cached response (RFC 5019 style) until shortly before its
nextUpdate; a revocation changes the CA's revocation version, which is part of the cache
key, so no stale "good" is ever served. Requests with a nonce are signed fresh and echo it.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from . import signer
from .ca import responder
from .models import CertificateAuthority, CertStatus, IssuedCertificate
from .revocation import REASONS

VALIDITY = dt.timedelta(hours=4)
CACHE_MARGIN = dt.timedelta(minutes=30)
MAX_REQUEST_BYTES = 16 * 1024
_HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def _issuer_hashes(ca: CertificateAuthority, algorithm: str) -> tuple[bytes, bytes]:
    cert = ca.certificate
    name_hash = hashlib.new(algorithm, cert.subject.public_bytes()).digest()
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    # issuerKeyHash is over the BIT STRING contents of subjectPublicKey (without tag, length, unused-bits byte)
    from asn1crypto.keys import PublicKeyInfo

    key_bits = PublicKeyInfo.load(spki)["public_key"].contents[1:]
    return name_hash, hashlib.new(algorithm, key_bits).digest()


_INDEX: dict = {"signature": None, "cas": {}, "hashes": {}, "responders": {}}


def _ca_index() -> tuple[dict, dict]:
    """({ca pk: CertificateAuthority}, {ca pk: revocation version}) — one small query per request.

    The CA objects, their issuer hashes and responder keys are kept per process and dropped as
    soon as the set of CAs changes; the revocation versions are read fresh every time, so a
    revocation committed by another process is never answered from a stale cache entry.
    """
    with connection.cursor() as cur:  # raw: no ORM compile cost on the hot path
        cur.execute(f"SELECT id, revocation_version, key_label FROM {CertificateAuthority._meta.db_table}")
        rows = cur.fetchall()
    signature = tuple(sorted((r[0], r[2]) for r in rows))
    if signature != _INDEX["signature"]:
        _INDEX.update(signature=signature, cas={ca.pk: ca for ca in CertificateAuthority.objects.all()}, hashes={},
                      responders={})
    return _INDEX["cas"], {r[0]: r[1] for r in rows}


def _find_ca(req: ocsp.OCSPRequest, cas: dict) -> CertificateAuthority | None:
    algorithm = req.hash_algorithm.name
    key = (algorithm, req.issuer_name_hash, req.issuer_key_hash)
    pk = _INDEX["hashes"].get(key)
    if pk is None:
        for ca in cas.values():
            if _issuer_hashes(ca, algorithm) == (req.issuer_name_hash, req.issuer_key_hash):
                pk = ca.pk
                _INDEX["hashes"][key] = pk
                break
    return cas.get(pk) if pk is not None else None


def _responder(ca: CertificateAuthority):
    """The delegated responder certificate and key, kept per process until a day before it expires."""
    cached = _INDEX["responders"].get(ca.pk)
    if cached is None or cached[0].not_after - dt.timedelta(days=1) < timezone.now():
        cached = responder(ca, "ocsp")
        _INDEX["responders"][ca.pk] = cached
    return cached


def respond(data: bytes) -> bytes:
    """Answer one DER OCSPRequest with a DER OCSPResponse (never raises on bad input)."""
    if not data or len(data) > MAX_REQUEST_BYTES:
        return unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    try:
        req = ocsp.load_der_ocsp_request(data)
        algorithm = req.hash_algorithm
        serial = req.serial_number
        nonce = None
        for ext in req.extensions:
            if isinstance(ext.value, x509.OCSPNonce):
                nonce = ext.value.nonce
    except Exception:  # noqa: BLE001 - malformed, several certificates in one request, unknown hash
        return unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    if algorithm.name not in _HASHES:
        return unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    cas, versions = _ca_index()
    ca = _find_ca(req, cas)
    if ca is None:
        return unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    version = versions[ca.pk]
    key = f"ocsp:{ca.pk}:{version}:{algorithm.name}:{serial:x}"
    if nonce is None:
        cached = cache.get(key)
        if cached is not None:
            return cached
    try:
        der, next_update = _signed_response(ca, req, serial, algorithm, nonce)
    except Exception:  # noqa: BLE001 - e.g. responder certificate missing: tell the client to retry
        import logging

        logging.getLogger("kyso.pki").exception("OCSP signing failed")
        return unsuccessful(ocsp.OCSPResponseStatus.INTERNAL_ERROR)
    if nonce is None:
        ttl = (next_update - timezone.now() - CACHE_MARGIN).total_seconds()
        if ttl > 0:
            cache.set(key, der, int(ttl))
    return der


def _signed_response(ca, req, serial, algorithm, nonce):
    responder_cert, responder_key = _responder(ca)
    cert = next(iter(IssuedCertificate.objects.filter(ca=ca, serial=format(serial, "x")).only(
        "status", "revoked_at", "revocation_reason").order_by()[:1]), None)
    now = timezone.now().replace(microsecond=0)
    next_update = now + VALIDITY
    revocation_time = revocation_reason = None
    if cert is None:
        status = ocsp.OCSPCertStatus.UNKNOWN
    elif cert.status == CertStatus.GOOD:
        status = ocsp.OCSPCertStatus.GOOD
    else:
        status = ocsp.OCSPCertStatus.REVOKED
        revocation_time = cert.revoked_at
        revocation_reason = REASONS.get(cert.revocation_reason) if cert.revocation_reason != "unspecified" else None
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=req.issuer_name_hash, issuer_key_hash=req.issuer_key_hash, serial_number=serial,
        algorithm=algorithm, cert_status=status, this_update=now, next_update=next_update,
        revocation_time=revocation_time, revocation_reason=revocation_reason,
    )
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, responder_cert.certificate)
    builder = builder.certificates([responder_cert.certificate])
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return signer.sign_ocsp(builder, responder_key), next_update
