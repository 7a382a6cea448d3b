"""Where pre-signed OCSP responses live, and how every process learns of a status change.

Three layers, read from the fastest:
1. each process keeps the responses it served in memory until shortly before their nextUpdate;
2. the shared store keeps one pre-signed response per certificate and CertID hash, tagged with the
   certificate's `status_version`: Redis when the Django cache is Redis (`KYSO_OCSP_CACHE` names
   another cache alias), the `OcspResponse` table otherwise;
3. the database decides: a stored response is used only when its `status_version` is the
   certificate's current one.

A revocation bumps the CA's `revocation_version` and stamps the certificate with it in the same
transaction. Each process polls the CA versions at most once a second and drops from memory the
serials changed since the version it last saw, so a revocation committed on any node is answered
by every node within about a second; no message bus has to be up for that to hold. The statuses that
freshly signed responses (with a nonce) are made of are kept and dropped the same way, so a responder
reads the database once per certificate and status, not once per request.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from .models import CertificateAuthority, IssuedCertificate, OcspResponse

ALGORITHMS = ("sha1", "sha256", "sha384", "sha512")  # CertID hashes we answer for
POLL_SECONDS = 1.0
MAX_LOCAL = 50_000  # responses kept per process (≈ 1.5 KB each)
MAX_STATUSES = 200_000  # statuses kept per process (≈ 200 B each; only certificates we issued)
_CA = CertificateAuthority._meta.db_table
_CERT = IssuedCertificate._meta.db_table
_RESP = OcspResponse._meta.db_table


class Stored(NamedTuple):
    status_version: int
    next_update: int  # seconds since the epoch
    der: bytes


class CertRow(NamedTuple):
    status: str
    revoked_at: dt.datetime | None
    reason: str
    status_version: int


# ---------------------------------------------------------------- database reads (raw: no ORM per request)

def _aware(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def cert_row(ca_id: int, serial: int) -> CertRow | None:
    with connection.cursor() as cur:
        cur.execute(f"SELECT status, revoked_at, revocation_reason, status_version FROM {_CERT} "
                    "WHERE ca_id = %s AND serial = %s", [ca_id, format(serial, "x")])
        row = cur.fetchone()
    return None if row is None else CertRow(row[0], _aware(row[1]), row[2] or "", int(row[3]))


def ca_versions() -> dict[int, tuple[int, str]]:
    """{CA id: (revocation_version, key_label)} in one small query."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, revocation_version, key_label FROM {_CA}")
        return {r[0]: (int(r[1]), r[2]) for r in cur.fetchall()}


def changed_serials(ca_id: int, since: int) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT serial FROM {_CERT} WHERE ca_id = %s AND status_version > %s", [ca_id, since])
        return [r[0] for r in cur.fetchall()]


# ---------------------------------------------------------------- the shared store

class DatabaseStore:
    """One row per (CA, serial, hash algorithm) in `pki_ocspresponse`."""

    def get(self, ca_id: int, algorithm: str, serial: int) -> Stored | None:
        with connection.cursor() as cur:
            cur.execute(f"SELECT status_version, next_update, der FROM {_RESP} "
                        "WHERE ca_id = %s AND serial = %s AND algorithm = %s", [ca_id, format(serial, "x"), algorithm])
            row = cur.fetchone()
        return None if row is None else Stored(int(row[0]), int(row[1]), bytes(row[2]))

    def get_many(self, ca_id: int, algorithm: str, serials: list[int]) -> dict[int, Stored]:
        out = {}
        for start in range(0, len(serials), 500):
            chunk = {format(s, "x"): s for s in serials[start:start + 500]}
            rows = OcspResponse.objects.filter(ca_id=ca_id, algorithm=algorithm, serial__in=list(chunk)).values_list(
                "serial", "status_version", "next_update")
            out.update({chunk[s]: Stored(v, n, b"") for s, v, n in rows})
        return out

    def put(self, ca_id: int, algorithm: str, items: dict[int, Stored]) -> None:
        rows = [OcspResponse(ca_id=ca_id, serial=format(serial, "x"), algorithm=algorithm, status_version=s.status_version,
                             next_update=s.next_update, der=s.der) for serial, s in items.items()]
        OcspResponse.objects.bulk_create(rows, batch_size=500, update_conflicts=True,
                                         unique_fields=["ca", "serial", "algorithm"],
                                         update_fields=["status_version", "next_update", "der"])

    def algorithms(self, ca_id: int, serial: int) -> set[str]:
        return set(OcspResponse.objects.filter(ca_id=ca_id, serial=format(serial, "x")).values_list("algorithm", flat=True))

    def purge(self, now: int) -> int:
        return OcspResponse.objects.filter(next_update__lt=now).delete()[0]


class CacheStore:
    """The same in a Django cache shared by the nodes (Redis); entries expire at their nextUpdate."""

    def __init__(self, alias: str):
        self.cache = caches[alias]

    @staticmethod
    def _key(ca_id, algorithm, serial) -> str:
        return f"kyso:ocsp:{ca_id}:{algorithm}:{serial:x}"

    def get(self, ca_id, algorithm, serial):
        value = self.cache.get(self._key(ca_id, algorithm, serial))
        return Stored(*value) if value else None

    def get_many(self, ca_id, algorithm, serials):
        keys = {self._key(ca_id, algorithm, s): s for s in serials}
        found = {}
        for start in range(0, len(serials), 1000):
            chunk = list(keys)[start:start + 1000]
            found.update(self.cache.get_many(chunk))
        return {keys[k]: Stored(*v) for k, v in found.items()}

    def put(self, ca_id, algorithm, items):
        now = time.time()
        for serial, s in items.items():
            ttl = int(s.next_update - now)
            if ttl > 0:
                self.cache.set(self._key(ca_id, algorithm, serial), tuple(s), ttl)

    def algorithms(self, ca_id, serial):
        found = self.cache.get_many([self._key(ca_id, a, serial) for a in ALGORITHMS])
        return {k.split(":")[3] for k in found}

    def purge(self, now):
        return 0  # entries expire by themselves


def _is_shared_cache(alias: str) -> bool:
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    return "redis" in backend.lower() or backend.endswith(("PyMemcacheCache", "PyLibMCCache"))


_STORE: dict = {}


def store():
    """Redis (through the Django cache) when one is configured, the database otherwise."""
    alias = getattr(settings, "KYSO_OCSP_CACHE", "default")
    key = (alias, id(settings.CACHES.get(alias)))
    if key not in _STORE:
        _STORE.clear()
        _STORE[key] = CacheStore(alias) if alias in settings.CACHES and _is_shared_cache(alias) else DatabaseStore()
    return _STORE[key]


# ---------------------------------------------------------------- this process's memory

class Local:
    """What this process answers from memory:
    - `responses`: {(ca id, algorithm, serial): (DER, serve until, ETag)}, pre-signed responses;
    - `statuses`: {(ca id, serial): CertRow}, the status a fresh response (nonce) is signed for.

    `versions` is what the last poll saw; a change since drops the changed serials from both. The lock makes
    the poll and the insertions atomic with respect to each other for threaded servers (hits take no lock).
    """

    def __init__(self):
        self.responses: dict[tuple, tuple[bytes, float, str]] = {}
        self.statuses: dict[tuple[int, int], CertRow] = {}
        self.versions: dict[int, tuple[int, str]] | None = None
        self.polled = 0.0
        self.lock = threading.Lock()

    def forget(self) -> None:
        with self.lock:
            self.responses.clear()
            self.statuses.clear()
            self.versions, self.polled = None, 0.0

    def get(self, key: tuple):
        hit = self.responses.get(key)
        if hit is not None and hit[1] > time.time():
            return hit
        return None

    def put(self, key: tuple, value: tuple, polled_at: float) -> None:
        with self.lock:
            if polled_at != self.polled:  # a poll ran meanwhile: what was read may already be stale
                return
            if len(self.responses) >= MAX_LOCAL:
                for old in list(self.responses)[:MAX_LOCAL // 2]:
                    self.responses.pop(old, None)
            self.responses[key] = value

    def status(self, ca_id: int, serial: int, polled_at: float) -> CertRow | None:
        """The certificate's status: from memory, else read (and kept unless a poll ran since `polled_at`)."""
        row = self.statuses.get((ca_id, serial))
        if row is None:
            row = cert_row(ca_id, serial)
            if row is not None:  # an unknown serial is read again: it may be issued any moment
                with self.lock:
                    if polled_at == self.polled:
                        if len(self.statuses) >= MAX_STATUSES:
                            self.statuses.clear()
                        self.statuses[(ca_id, serial)] = row
        return row

    def drop(self, ca_id: int, serial: int) -> None:
        """Forget one certificate's answers (its status changed)."""
        with self.lock:
            self.statuses.pop((ca_id, serial), None)
            for algorithm in ALGORITHMS:
                self.responses.pop((ca_id, algorithm, serial), None)

    def poll(self, *, force: bool = False) -> tuple[dict[int, tuple[int, str]], float]:
        """The CA versions (read at most once a second); drops what changed since the last read."""
        now = time.monotonic()
        if not force and self.versions is not None and now - self.polled < POLL_SECONDS:
            return self.versions, self.polled
        with self.lock:
            versions = ca_versions()
            old = self.versions
            if old is None or {k: v[1] for k, v in old.items()} != {k: v[1] for k, v in versions.items()}:
                self.responses.clear()  # first poll, or a CA was added or re-keyed
                self.statuses.clear()
            else:
                for ca_id, (version, _label) in versions.items():
                    if version != old[ca_id][0]:
                        for serial in changed_serials(ca_id, old[ca_id][0]):
                            number = int(serial, 16)
                            self.statuses.pop((ca_id, number), None)
                            for algorithm in ALGORITHMS:
                                self.responses.pop((ca_id, algorithm, number), None)
            self.versions, self.polled = versions, now
            return versions, now


LOCAL = Local()
