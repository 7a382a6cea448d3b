"""Proof of existence from document time-stamps (ETSI EN 319 102-1, 5.6.2; EN 319 142-1 B-LTA): the newest
document time-stamp is judged now, each older one at the time of the next newer one that held, and a
signature's own time-stamp at the time of the oldest document time-stamp after it that held. So a signature
whose time-stamping authority's certificate has expired since still verifies, as long as the archive was
renewed (`pades_lt.extend`) while that certificate was valid."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from pyhanko.sign.validation import async_validate_pdf_timestamp

from .trust import TrustStore

log = logging.getLogger(__name__)


def held(reader, trust: TrustStore) -> list[tuple[int, dt.datetime]]:
    """(signed revision, time) of the document time-stamps that hold, newest first, stopping at the first
    that does not (nothing older can be judged at a proven time after it)."""
    stamps = sorted(_stamps(reader), key=lambda ts: ts.signed_revision, reverse=True)
    out: list[tuple[int, dt.datetime]] = []
    at = None
    for ts in stamps:
        try:
            status = asyncio.run(async_validate_pdf_timestamp(ts, validation_context=trust.validation_context(at=at),
                                                              skip_diff=True))
        except Exception as exc:  # noqa: BLE001 - a time-stamp pyHanko cannot judge proves nothing
            log.debug("document time-stamp %s not validated: %s", ts.field_name, exc)
            break
        if not (status.intact and status.valid and status.trusted):
            break
        at = status.timestamp
        out.append((ts.signed_revision, at))
    return out


def proof_for(chain: list[tuple[int, dt.datetime]], revision: int) -> dt.datetime | None:
    """The earliest proven time at which the revision `revision` existed, or None."""
    times = [when for rev, when in chain if rev > revision]
    return min(times) if times else None


def _stamps(reader):
    try:
        return list(reader.embedded_timestamp_signatures)
    except Exception as exc:  # noqa: BLE001 - unreadable document time-stamps prove nothing
        log.debug("document time-stamps unreadable: %s", exc)
        return []
