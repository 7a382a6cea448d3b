"""Signature timestamps from Kyso's own RFC 3161 TSA, called in-process (no HTTP round trip to ourselves)."""

from __future__ import annotations

import contextlib
import hashlib
import os

from asn1crypto import algos, cms, tsp
from pyhanko.sign.timestamps.api import TimeStamper

from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidState
from kyso.pki import tsa


def _request(digest: bytes, hash_name: str) -> tsp.TimeStampReq:
    return tsp.TimeStampReq({
        "version": 1,
        "message_imprint": {"hash_algorithm": algos.DigestAlgorithm({"algorithm": hash_name}), "hashed_message": digest},
        "nonce": int.from_bytes(os.urandom(8), "big"),
        "cert_req": True,
    })


def _stamp(req: tsp.TimeStampReq) -> tsp.TimeStampResp:
    resp = tsp.TimeStampResp.load(tsa.stamp(req.dump()))
    if resp["status"]["status"].native not in ("granted", "granted_with_mods"):
        raise InvalidState("signing.tsa.rejected", _("The time-stamping authority refused the request."))
    return resp


def token_for(data: bytes, hash_name: str = "sha256") -> cms.ContentInfo:
    """A timestamp token (CMS SignedData) over `data`."""
    return _stamp(_request(hashlib.new(hash_name, data).digest(), hash_name))["time_stamp_token"]


@contextlib.contextmanager
def _blocking_db_allowed():
    """pyHanko calls the timestamper inside its own event loop, run synchronously in this thread
    (`asyncio.run`); the TSA's database access blocks that loop, which is what we want here."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class KysoTimeStamper(TimeStamper):
    """pyHanko's timestamper interface, answered by our TSA in-process.

    Created in the caller's (synchronous) context, it keeps the caller's database connection: inside
    pyHanko's event loop Django would otherwise open a second connection, which would wait for the
    caller's own open transaction (SQLite) or miss its uncommitted rows."""

    def __init__(self):
        from django.db import DEFAULT_DB_ALIAS, connections

        super().__init__()
        self._connection = connections[DEFAULT_DB_ALIAS]

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        from django.db import DEFAULT_DB_ALIAS, connections

        with _blocking_db_allowed():
            connections[DEFAULT_DB_ALIAS] = self._connection
            return _stamp(req)
