"""Work done once per issuer, not once per document (issue 19: thousands of dossiers a minute signed by the
same few thousand certificates under the same CAs and CRLs).

- Parsed certificates, CRLs and OCSP responses (asn1crypto objects: a name comparison prepares its strings
  once per object, so a CA certificate parsed once is compared cheaply ever after), keyed by their DER bytes.
- The outcome of a certificate's validation (chain, validity, revocation, usage), keyed by *everything it is
  computed from*: the certificate, the certificates offered with it, the trust store's roots, intermediates,
  CRLs and OCSP responses (their bytes, compared in full), the validation time and what is asked. A new CRL
  after a revocation is other bytes, hence another key: a cached outcome never outlives the revocation data
  it came from. An outcome "now" is kept at most `NOW_TTL` seconds and never past the first notAfter of a
  certificate or nextUpdate of a CRL/OCSP response it depended on. Nothing is cached when the verifier may
  fetch revocation data from the network (the answer then depends on more than the key).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from asn1crypto import crl as asn1_crl, ocsp as asn1_ocsp, x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509 import ocsp
from pyhanko.sign.validation import generic_cms
from pyhanko_certvalidator import ValidationContext

NOW_TTL = 60.0          # seconds an outcome computed "now" is reused
AT_TTL = 3600.0         # an outcome at a fixed (time-stamp) time depends on no clock; kept an hour anyway
MAX_OUTCOMES = 4096


@functools.lru_cache(maxsize=4096)
def asn1_certificate(der: bytes) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(der)


@functools.lru_cache(maxsize=64)
def asn1_crl_list(der: bytes) -> asn1_crl.CertificateList:
    return asn1_crl.CertificateList.load(der)


@functools.lru_cache(maxsize=1024)
def asn1_ocsp_response(der: bytes) -> asn1_ocsp.OCSPResponse:
    return asn1_ocsp.OCSPResponse.load(der)


@functools.lru_cache(maxsize=4096)
def der(cert: x509.Certificate) -> bytes:
    """A certificate's DER (a dictionary lookup by the certificate's hash, cheaper than re-encoding)."""
    return cert.public_bytes(serialization.Encoding.DER)


@functools.lru_cache(maxsize=256)
def _crl_next_update(data: bytes) -> dt.datetime | None:
    try:
        return x509.load_der_x509_crl(data).next_update_utc
    except ValueError:
        return None


@functools.lru_cache(maxsize=1024)
def _ocsp_next_update(data: bytes) -> dt.datetime | None:
    try:
        resp = ocsp.load_der_ocsp_response(data)
        if resp.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return None
        return min((r.next_update_utc for r in resp.responses if r.next_update_utc is not None), default=None)
    except ValueError:
        return None


def horizon(certs=(), crls=(), ocsps=()) -> dt.datetime | None:
    """The first moment an outcome computed now may change by the clock alone: a certificate becoming valid
    or expiring, a CRL or OCSP response passing its nextUpdate. Moments already past change nothing any more
    (a retired CA's expired certificate, a stale CRL of a CA no longer used): counting them would keep every
    outcome out of the cache for as long as such a CA is in the trust store."""
    now = dt.datetime.now(dt.timezone.utc)
    moments = []
    for cert in certs:
        if isinstance(cert, asn1_x509.Certificate):
            start, end = cert.not_valid_before, cert.not_valid_after
        else:
            start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
        moments.append(end)
        if start > now:
            moments.append(start)
    moments += [m for m in map(_crl_next_update, crls) if m is not None]
    moments += [m for m in map(_ocsp_next_update, ocsps) if m is not None]
    return min((m for m in moments if m > now), default=None)


class CachingValidationContext(ValidationContext):
    """A pyHanko validation context whose certificate validations are remembered (`validate_cert_usage`
    below); `outcome_key` is everything about the context that a validation depends on (trust store content
    by value, validation time); `revinfo` the CRLs and OCSP responses (DER) whose nextUpdate bounds an outcome
    "now". Other contexts (plain pyHanko's, in a benchmark or anywhere else) are not touched."""

    def __init__(self, *args, outcome_key: tuple, revinfo: tuple[tuple[bytes, ...], tuple[bytes, ...]],
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome_key, self.revinfo = outcome_key, revinfo


_MISSING = object()


class OutcomeCache:
    """A bounded LRU of outcomes with an expiry each; `get_or_compute` computes outside the lock."""

    def __init__(self, size: int = MAX_OUTCOMES):
        self.size = size
        self._items: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], object], *, ttl: float, until=None):
        """The cached value for `key`, or `compute()` kept for `ttl` seconds and not past `until` (a datetime,
        or a function giving it, called only when computing)."""
        found = self._lookup(key)
        if found is not _MISSING:
            return found
        value = compute()
        self._store(key, value, ttl, until() if callable(until) else until)
        return value

    async def get_or_compute_async(self, key: Hashable, compute, *, ttl: float, until=None):
        found = self._lookup(key)
        if found is not _MISSING:
            return found
        value = await compute()
        self._store(key, value, ttl, until() if callable(until) else until)
        return value

    def _lookup(self, key: Hashable):
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] > now:
                self._items.move_to_end(key)
                self.hits += 1
                return found[1]
        return _MISSING

    def _store(self, key, value, ttl: float, until: dt.datetime | None) -> None:
        self.misses += 1
        if until is not None:
            ttl = min(ttl, (until - dt.datetime.now(dt.timezone.utc)).total_seconds())
        if ttl > 0:
            with self._lock:
                self._items[key] = (time.monotonic() + ttl, value)
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


outcomes = OutcomeCache()


_pyhanko_validate_cert_usage = generic_cms.validate_cert_usage


async def validate_cert_usage(cert, validation_context, key_usage_settings, paths, pkix_validation_params=None):
    """pyHanko's certificate validation of a CMS signer (PDF signatures, time-stamp tokens), remembered for a
    `CachingValidationContext`: the key adds the certificate and every certificate the context's registry
    holds (the trust store's and those the document carries) to the context's own key."""
    key_base = getattr(validation_context, "outcome_key", None)
    if key_base is None or pkix_validation_params is not None:
        return await _pyhanko_validate_cert_usage(cert, validation_context, key_usage_settings, paths,
                                                  pkix_validation_params)
    certs = list(validation_context.certificate_registry)
    key = ("pyhanko", cert.dump(), tuple(sorted(c.dump() for c in certs)), key_base, repr(key_usage_settings))
    point_in_time = validation_context.timing_params.point_in_time_validation
    return await outcomes.get_or_compute_async(
        key, lambda: _pyhanko_validate_cert_usage(cert, validation_context, key_usage_settings, paths),
        ttl=AT_TTL if point_in_time else NOW_TTL,
        until=None if point_in_time else lambda: horizon([cert, *certs], *validation_context.revinfo))


generic_cms.validate_cert_usage = validate_cert_usage


def clear() -> None:
    """Forget every cached outcome and parsed object (tests; a changed trust configuration)."""
    outcomes.clear()
    for fn in (asn1_certificate, asn1_crl_list, asn1_ocsp_response, der, _crl_next_update, _ocsp_next_update):
        fn.cache_clear()


__all__ = ["CachingValidationContext", "validate_cert_usage", "asn1_certificate", "asn1_crl_list", "asn1_ocsp_response", "der", "horizon", "outcomes", "clear",
           "OutcomeCache", "NOW_TTL", "AT_TTL"]
