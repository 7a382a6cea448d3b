"""Receipts time-stamped in batches (issue 19): one RFC 3161 token of our TSA over the root of a hash tree
of every receipt not yet stamped, instead of one token per receipt on the intake path.

The tree follows RFC 4998 (Evidence Record Syntax): the leaves are the SHA-256 of each signed receipt file;
a parent is the hash of its children sorted in binary ascending order and concatenated; a node without a
sibling goes up unchanged. A receipt's evidence record carries its reduced hash tree (its own hash with its
sibling, then one sibling per level) and the token, whose message imprint is the root: anyone can recompute
the root from the receipt's bytes and check the token, without the other receipts."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
from dataclasses import dataclass

from asn1crypto import algos, cms, core, tsp
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data

from kyso import audit
from kyso.core import steps
from kyso.core.errors import InvalidInput, InvalidState
from kyso.pki import tsa
from kyso.signing.trust import TrustStore, default_trust

from .models import Receipt, ReceiptBatch

HASH = "sha256"
BATCH_MAX = 10_000
steps.register_label("portal.receipt.timestamp", _("Time-stamp a batch of receipts"))
RUN_EVERY_SECONDS = 30    # a receipt waits at most this (and the worker's 5 s look at the schedule) for its token


# --- RFC 4998 structures (the module is IMPLICIT TAGS; cryptoInfos and encryptionInfo are not used)


class PartialHashtree(core.SequenceOf):
    _child_spec = core.OctetString


class PartialHashtrees(core.SequenceOf):
    _child_spec = PartialHashtree


class ArchiveTimeStamp(core.Sequence):
    _fields = [
        ("digest_algorithm", algos.DigestAlgorithm, {"implicit": 0, "optional": True}),
        ("reduced_hashtree", PartialHashtrees, {"implicit": 2, "optional": True}),
        ("time_stamp", cms.ContentInfo),
    ]


class ArchiveTimeStampChain(core.SequenceOf):
    _child_spec = ArchiveTimeStamp


class ArchiveTimeStampSequence(core.SequenceOf):
    _child_spec = ArchiveTimeStampChain


class DigestAlgorithms(core.SequenceOf):
    _child_spec = algos.DigestAlgorithm


class EvidenceRecord(core.Sequence):
    _fields = [
        ("version", core.Integer),
        ("digest_algorithms", DigestAlgorithms),
        ("archive_time_stamp_sequence", ArchiveTimeStampSequence),
    ]


# --- the hash tree


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _parent(values: list[bytes]) -> bytes:
    return _h(b"".join(sorted(values)))


def root_of(leaves: list[bytes]) -> bytes:
    level = list(leaves)
    while len(level) > 1:
        level = [_parent(level[i:i + 2]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
    return level[0]


def reduced_tree(leaves: list[bytes], index: int) -> list[list[bytes]]:
    """The partial hash trees of leaf `index`: [[leaf, sibling], [sibling], …] (levels without a sibling left out)."""
    out: list[list[bytes]] = []
    level, i = list(leaves), index
    while len(level) > 1:
        sibling = i ^ 1
        if sibling < len(level):
            out.append([level[i], level[sibling]] if not out else [level[sibling]])
        level = [_parent(level[j:j + 2]) if j + 1 < len(level) else level[j] for j in range(0, len(level), 2)]
        i //= 2
    return out or [[leaves[index]]]


def root_from(leaf: bytes, tree: list[list[bytes]]) -> bytes:
    """RFC 4998 § 4.3: the first list must hold the object's hash; each list with the previous result is hashed."""
    if not tree or leaf not in tree[0]:
        raise ValueError("the receipt's hash is not in its evidence record")
    if len(tree) == 1 and tree[0] == [leaf]:
        return leaf
    value = _parent(list(tree[0]))
    for siblings in tree[1:]:
        value = _parent([*siblings, value])
    return value


# --- the job


def _token_over(digest: bytes) -> cms.ContentInfo:
    req = tsp.TimeStampReq({
        "version": 1,
        "message_imprint": {"hash_algorithm": algos.DigestAlgorithm({"algorithm": HASH}), "hashed_message": digest},
        "nonce": int.from_bytes(os.urandom(8), "big"),
        "cert_req": True,
    })
    resp = tsp.TimeStampResp.load(tsa.stamp(req.dump()))
    if resp["status"]["status"].native not in ("granted", "granted_with_mods"):
        raise InvalidState("portal.receipt.tsa_refused", _("The time-stamping authority refused the receipts' batch."))
    return resp["time_stamp_token"]


def _gen_time(token: cms.ContentInfo) -> dt.datetime:
    return token["content"]["encap_content_info"]["content"].parsed["gen_time"].native


def stamp_pending(limit: int = BATCH_MAX) -> ReceiptBatch | None:
    """Time-stamp the receipts not stamped yet (oldest first, at most `limit`) as one batch; None when none wait.
    Receipts another worker is stamping are skipped (row locks), so two workers never stamp the same one."""
    with transaction.atomic():
        rows = list(Receipt.objects.select_for_update(skip_locked=True).filter(batch__isnull=True)
                    .order_by("id").values_list("id", "sha256")[:limit])
        if not rows:
            return None
        leaves = [bytes.fromhex(sha) for _id, sha in rows]
        root = root_of(leaves)
        token = _token_over(root)
        batch = ReceiptBatch.objects.create(gen_time=_gen_time(token), root=root.hex(), size=len(leaves),
                                            leaves=b"".join(leaves), token=token.dump())
        Receipt.objects.filter(id__in=[rid for rid, _sha in rows]).update(batch=batch)
        audit.record("portal.receipt.timestamp", batch, object_repr=f"{len(rows)} receipts",
                     after={"root": batch.root, "size": batch.size, "gen_time": batch.gen_time.isoformat(),
                            "first": rows[0][0], "last": rows[-1][0]})
        return batch


def run_job() -> dict:
    """The periodic job: every waiting receipt, batch after batch."""
    batches = stamped = 0
    while (batch := stamp_pending()) is not None:
        batches, stamped = batches + 1, stamped + batch.size
    return {"batches": batches, "receipts": stamped}


# --- evidence and its check


def evidence(receipt: Receipt) -> bytes | None:
    """The receipt's RFC 4998 evidence record (DER), or None while it waits for its batch."""
    batch = receipt.batch
    if batch is None:
        return None
    raw = bytes(batch.leaves)
    leaves = [raw[i:i + 32] for i in range(0, len(raw), 32)]
    index = leaves.index(bytes.fromhex(receipt.sha256))
    tree = reduced_tree(leaves, index)
    ats = {"digest_algorithm": algos.DigestAlgorithm({"algorithm": HASH}),
           "time_stamp": cms.ContentInfo.load(bytes(batch.token))}
    if len(leaves) > 1:
        ats["reduced_hashtree"] = tree
    return EvidenceRecord({"version": 1, "digest_algorithms": [algos.DigestAlgorithm({"algorithm": HASH})],
                           "archive_time_stamp_sequence": [[ArchiveTimeStamp(ats)]]}).dump()


@dataclass
class Existence:
    """What an evidence record proves about a receipt file."""

    valid: bool
    at: dt.datetime | None = None
    reason: str = ""


def check(receipt_bytes: bytes, record: bytes, trust: TrustStore | None = None) -> Existence:
    """Whether `record` proves that `receipt_bytes` existed at its token's time (hash tree, imprint, the TSA's
    signature and certificate, trusted root)."""
    try:
        er = EvidenceRecord.load(record, strict=True)
        ats = er["archive_time_stamp_sequence"][0][0]
        tree = [[bytes(v) for v in part] for part in ats["reduced_hashtree"]] if ats["reduced_hashtree"].native else []
        token = ats["time_stamp"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InvalidInput("portal.receipt.evidence_malformed", _("The evidence record is malformed and cannot be read."),
                           detail=str(exc)[:200]) from exc
    leaf = _h(receipt_bytes)
    try:
        root = root_from(leaf, tree or [[leaf]])
    except ValueError as exc:
        return Existence(False, reason=str(exc))
    trust = trust or default_trust()
    try:
        status = asyncio.run(validate_tst_signed_data(token["content"], trust.validation_context(),
                                                      lambda algo: root if algo == HASH else b""))
    except Exception as exc:  # noqa: BLE001 - any failure is a failed check, with its reason
        return Existence(False, reason=str(exc)[:200])
    if not (status.get("intact") and status.get("valid")):
        return Existence(False, reason="the time-stamp does not cover the receipt")
    if status.get("trust_problem_indic") is not None:
        return Existence(False, status["timestamp"], reason="the time-stamping authority is not trusted")
    return Existence(True, status["timestamp"])
