"""CRLs: one full CRL per CA, regenerated after every revocation and before nextUpdate.

The signed CRL is kept as a file (a CRL of a million entries is ~50 MB) with a small
metadata file saying which revocation version it reflects; a request finding it stale
rebuilds it under a file lock, so several worker processes never build it twice.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import signer
from .ca import get_ca, key_of
from .models import CertificateAuthority, CertStatus, IssuedCertificate
from .revocation import REASONS

CRL_VALIDITY = dt.timedelta(hours=24)
REFRESH_BEFORE = dt.timedelta(hours=12)
log = logging.getLogger("kyso.pki")


def _dir() -> Path:
    path = Path(settings.DATA_DIR) / "pki" / "crl"
    path.mkdir(parents=True, exist_ok=True)
    return path


def entries(ca: CertificateAuthority):
    """Revoked and suspended certificates of `ca` as CRL entries, in one pass over the database."""
    rows = (IssuedCertificate.objects.filter(ca=ca, status__in=[CertStatus.REVOKED, CertStatus.HOLD])
            .values_list("serial", "revoked_at", "revocation_reason", "invalidity_date").iterator(chunk_size=20000))
    out = []
    for serial, revoked_at, reason, invalidity in rows:
        b = x509.RevokedCertificateBuilder().serial_number(int(serial, 16)).revocation_date(revoked_at)
        if reason and reason != "unspecified":
            b = b.add_extension(x509.CRLReason(REASONS[reason]), critical=False)
        if invalidity is not None:
            b = b.add_extension(x509.InvalidityDate(invalidity.replace(tzinfo=None)), critical=False)
        out.append(b.build())
    return out


def build(ca: CertificateAuthority, revoked: list | None = None) -> tuple[bytes, int, dt.datetime, int]:
    """Sign a new full CRL for `ca` with the next CRL number.

    Returns (DER, CRL number, nextUpdate, revocation version it reflects).
    """
    with transaction.atomic():
        row = CertificateAuthority.objects.select_for_update().get(pk=ca.pk)
        row.crl_number += 1
        CertificateAuthority.objects.filter(pk=row.pk).update(crl_number=row.crl_number)
        version = row.revocation_version
        revoked = entries(ca) if revoked is None else revoked
    now = timezone.now().replace(microsecond=0)
    next_update = now + CRL_VALIDITY
    ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = x509.CertificateRevocationListBuilder(
        issuer_name=ca.certificate.subject, last_update=now, next_update=next_update,
        extensions=[
            x509.Extension(x509.CRLNumber.oid, False, x509.CRLNumber(row.crl_number)),
            x509.Extension(x509.AuthorityKeyIdentifier.oid, False, x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)),
        ],
        revoked_certificates=revoked,
    )
    crl = signer.sign_crl(builder, key_of(ca))
    return crl.public_bytes(signer._DER), row.crl_number, next_update, version


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
