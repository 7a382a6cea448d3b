"""A per-address limit for what anyone may ask without logging in (time-stamps, the dossier status lookup): a
counter per address and minute in the cache named by KYSO_RATE_LIMIT_CACHE — shared by the nodes when it is
Redis — so a client cannot spend the server's signatures or walk through guessable codes."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches

from .errors import TooManyRequests
from .middleware import client_ip


def wait_seconds(request, bucket: str, per_minute: int) -> int:
    """Seconds to wait when this address asked `bucket` more than `per_minute` times in the current minute, else
    0 (also when the limit is 0: no limit)."""
    return wait_seconds_for(client_ip(request), bucket, per_minute)


def wait_seconds_for(address: str | None, bucket: str, per_minute: int) -> int:
    """`wait_seconds` for an address found without a Django request (the OCSP lane)."""
    if per_minute <= 0:
        return 0
    now = time.time()
    key = f"kyso:rate:{bucket}:{address or '-'}:{int(now // 60)}"
    cache = caches[settings.KYSO_RATE_LIMIT_CACHE]
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return int(60 - now % 60) + 1 if count > per_minute else 0


def require(request, bucket: str, per_minute: int, code: str, message) -> None:
    """Refuse with `TooManyRequests` (429, `code`, `message` with %(n)s the limit and %(s)s the seconds to wait)
    when this address is over the limit."""
    wait = wait_seconds(request, bucket, per_minute)
    if wait:
        exc = TooManyRequests(code, message, n=per_minute, s=wait)
        exc.retry_after = wait
        raise exc
