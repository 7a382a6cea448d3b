"""Proof of existence from document time-stamps (ETSI EN 319 102-1, 5.6.2; EN 319 142-1 B-LTA): the newest
document time-stamp is judged now, each older one at the time of the next newer one that held, and a
signature's own time-stamp at the time of the oldest document time-stamp after it that held. So a signature
whose time-stamping authority's certificate has expired since still verifies, as long as the archive was
renewed (`pades_lt.extend`) while that certificate was valid. A document time-stamp whose algorithms the policy
rejects at the time it is judged holds no more than an untrusted one (EN 319 102-1, 5.2.8)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from pyhanko.sign.validation import async_validate_pdf_timestamp

from . import algorithms
from .trust import TrustStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stamp:
    """One document time-stamp as judged: `time` when it holds; else whether its message imprint matched
    (`intact`: the bytes it covers are those it time-stamped) and why it did not hold (`detail`; `weak`: the
    algorithms the policy rejects at the time it is judged)."""

    revision: int
    time: dt.datetime | None
    intact: bool = True
    detail: object = None
    weak: tuple = ()


def judged(reader, trust: TrustStore) -> list[Stamp]:
    """The document time-stamps newest first, each judged at the time of the next newer one that held (the
    newest now), down to the first that does not hold — included, so that the report says why: nothing older
    can be judged at a proven time after it."""
    stamps = sorted(_stamps(reader), key=lambda ts: ts.signed_revision, reverse=True)
    out: list[Stamp] = []
    at = None
    for ts in stamps:
        try:
            status = asyncio.run(async_validate_pdf_timestamp(ts, validation_context=trust.validation_context(at=at),
                                                              skip_diff=True))
        except Exception as exc:  # noqa: BLE001 - a time-stamp pyHanko cannot judge proves nothing
            log.debug("document time-stamp %s not validated: %s", ts.field_name, exc)
            out.append(Stamp(ts.signed_revision, None, intact=False, detail=exc))
            break
        weak = algorithms.token_weak(ts.signed_data, status.signing_cert, at=algorithms.judged_at(at, trust)) \
            if status.intact and status.valid else []
        if weak:
            out.append(Stamp(ts.signed_revision, None, weak=tuple(weak)))
            break
        if not (status.intact and status.valid and status.trusted):
            out.append(Stamp(ts.signed_revision, None, intact=bool(status.intact and status.valid),
                             detail=getattr(status, "trust_problem_indic", None)))
            break
        at = status.timestamp
        out.append(Stamp(ts.signed_revision, at))
    return out


def held(stamps: list[Stamp]) -> list[tuple[int, dt.datetime]]:
    """(signed revision, time) of the document time-stamps that hold, newest first."""
    return [(s.revision, s.time) for s in stamps if s.time is not None]


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
