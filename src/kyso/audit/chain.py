"""The hash chain: append a record (fail closed), verify the chain, sign checkpoints.

Each record's hash is SHA-256 over a canonical JSON array of its columns and the previous
record's hash; sequence numbers are gap-free because every writer locks the one
`ChainHead` row in its own transaction. Each record also carries a keyed MAC (HMAC-SHA256 of its
sequence number and hash) under a secret that lives in the key store or the HSM, never in the
database: someone who can write to the database can recompute plain hashes, not the MACs, so a
rewritten tail is caught. After every transaction that wrote records a checkpoint signs (seq, hash)
of the head and is also appended to a file outside the database, so that deleting the newest
records (or the checkpoints themselves) is caught. The keys come from `keys.register_provider`
(plugged in by `pki`, which is above this app).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import functools
import hashlib
import hmac
import json
import logging
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import context
from kyso.core.errors import IntegrityFailure

from . import keys
from .models import AuditRecord, ChainHead, Checkpoint

GENESIS = "0" * 64
HASH_VERSION = "kyso-audit-v1"
MAC_VERSION = "kyso-audit-mac-v1"
log = logging.getLogger("kyso.audit")


class AuditUnavailable(IntegrityFailure):
    default_code = "audit.unavailable"
    default_message = _("The change was not made because it could not be recorded in the audit trail.")


# ----------------------------------------------------------------------------- values


def jsonable(value):
    """A JSON-safe, deterministic form of a model value (binary data only as its hash)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.timezone.utc)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"sha256": hashlib.sha256(bytes(value)).hexdigest(), "bytes": len(value)}
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return str(value)


def canonical_json(data) -> str:
    if data is None or data == "":
        return ""
    return json.dumps(jsonable(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _at_text(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(rec: AuditRecord) -> str:
    payload = [
        HASH_VERSION, rec.seq, _at_text(rec.at), rec.actor, rec.actor_id, rec.channel, rec.action,
        rec.object_type, rec.object_id, rec.object_repr, rec.unit_path, rec.before, rec.after,
        rec.request_id, rec.client_ip, rec.prev_hash,
    ]
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def mac_message(seq: int, record_hash: str) -> bytes:
    return f"{MAC_VERSION}|{seq}|{record_hash}".encode()


def mac_ok(rec: AuditRecord, audit_keys) -> bool:
    if not rec.mac or not rec.key_id:
        return False
    expected = audit_keys.mac_with(rec.key_id, mac_message(rec.seq, rec.hash))
    return expected is not None and hmac.compare_digest(expected.hex(), rec.mac)


# ----------------------------------------------------------------------------- append


def _lock_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                ChainHead.objects.create(pk=1, seq=0, hash=GENESIS)
        except IntegrityError:
            pass
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


# The head this process wrote last, per database alias: the next record of the same transaction (a step writes
# several) is chained onto it by one conditional UPDATE instead of a locking SELECT, an INSERT and an UPDATE. The
# database decides: the UPDATE changes the head only if it still is exactly that (seq and hash) — otherwise
# (another transaction wrote since, a savepoint rolled back) nothing changed and the record is chained the usual way.
_last_head: dict[str, tuple[int, str]] = {}


def _advance_if_head(conn, seq: int, prev_hash: str, new_hash: str, n: int = 1, reset_at: int | None = None
                     ) -> int | None:
    """Move the head from (seq, prev_hash) to (seq + n, new_hash) if it is still there; since_checkpoint or None.
    With `reset_at`, a count reaching it is set back to 0 in the same statement: the caller signs the checkpoint."""
    table = ChainHead._meta.db_table
    since = "since_checkpoint + %s" if reset_at is None else \
        "CASE WHEN since_checkpoint + %s >= %s THEN 0 ELSE since_checkpoint + %s END"
    args = [n] if reset_at is None else [n, reset_at, n]
    with conn.cursor() as cur:
        cur.execute(f"UPDATE {table} SET seq = %s, hash = %s, since_checkpoint = {since} "
                    f"WHERE id = 1 AND seq = %s AND hash = %s RETURNING since_checkpoint",
                    [seq + n, new_hash, *args, seq, prev_hash])
        row = cur.fetchone()
    return row[0] if row else None


def append(action: str, *, object_type: str = "", object_id="", object_repr: str = "", unit_path: str = "",
           before=None, after=None) -> AuditRecord:
    """Write one audit record in the caller's transaction; refuse to run outside one."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise AuditUnavailable("audit.not_in_transaction")
    ctx = context.current()
    user = ctx.resolved_user()
    try:
        rec = AuditRecord(
            at=timezone.now(),
            actor=ctx.actor_label()[:150],
            actor_id=user.pk if user is not None else None,
            channel=ctx.channel[:10],
            action=action[:120],
            object_type=object_type[:80],
            object_id=str(object_id)[:64],
            object_repr=(object_repr or "")[:255],
            unit_path=unit_path or "",
            before=before if isinstance(before, str) else canonical_json(before),
            after=after if isinstance(after, str) else canonical_json(after),
            request_id=ctx.request_id[:64],
            client_ip=(ctx.client_ip or "")[:45],
        )
        pending = getattr(conn, "_kyso_audit_batch", None)
        if pending is not None:
            marker = _Pending(rec)
            transaction.on_commit(marker, using=conn.alias)
            pending.append(marker)
            return rec
        since = None
        last = _last_head.get(conn.alias)
        if last is not None:
            _seal(rec, *last)
            since = _advance_if_head(conn, *last, rec.hash)
        if since is None:
            head = _lock_head()
            _seal(rec, head.seq, head.hash)
            head.seq, head.hash = rec.seq, rec.hash
            head.since_checkpoint += 1
            head.save(update_fields=["seq", "hash", "since_checkpoint"])
            since = head.since_checkpoint
        rec.save(force_insert=True)
        _last_head[conn.alias] = (rec.seq, rec.hash)
    except AuditUnavailable:
        raise
    except Exception as exc:  # any failure to record aborts the change (fail closed)
        _last_head.pop(conn.alias, None)
        raise AuditUnavailable("audit.write_failed") from exc
    if since >= settings.KYSO_AUDIT_CHECKPOINT_EVERY and not _checkpoint_queued():
        transaction.on_commit(_checkpoint_quietly)
    return rec


# ----------------------------------------------------------------------------- batches


class _Pending:
    """A record written inside a batch, waiting to be chained at the batch's end. It is also registered as an
    on-commit callback (doing nothing) for one reason: Django forgets the callbacks registered inside a savepoint
    that rolls back, so a record of a change that was rolled back is known and never written."""

    __slots__ = ("rec",)

    def __init__(self, rec: AuditRecord):
        self.rec = rec

    def __call__(self):
        pass


@contextmanager
def batch():
    """Chain the records written inside the block at its end, all at once: one update of the head and one
    multi-row insert instead of two statements per record, and the head — the one lock every writer of the
    agency queues on — is held only from the block's end to the commit, not during the work (issue 19). Only
    inside a transaction (the records are chained before it can commit); nested blocks join the outermost.
    Savepoints are those of `transaction.atomic` (Django does not track hand-made `transaction.savepoint()`s).
    `audit.record()` inside the block returns the record before its sequence number and hash are known."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block or getattr(conn, "_kyso_audit_batch", None) is not None:
        yield
        return
    conn._kyso_audit_batch = []
    try:
        yield
    except BaseException:
        # The changes made before the error stay unless a savepoint takes them: their records are written too.
        # If that cannot be done (on PostgreSQL a failed statement aborts the transaction), the transaction may
        # not commit (fail closed) and the error that came first is the one the caller sees.
        if not conn.needs_rollback:     # a broken block rolls back every record of the batch anyway
            try:
                _flush(conn)
            except Exception:  # noqa: BLE001
                log.warning("audit records of a failed block not written; its transaction is rolled back")
                transaction.set_rollback(True)
        raise
    else:
        _flush(conn)
    finally:
        conn._kyso_audit_batch = None


def pending() -> list[AuditRecord]:
    """The records of the open batch not yet written, without those of changes rolled back since. Readers of the
    trail inside a batch (the four-eyes rule) look at them too. They are written only at the batch's end: written
    earlier, inside a savepoint opened after the changes they record, a rollback of that savepoint would take
    the records away and leave the changes."""
    conn = transaction.get_connection()
    waiting = getattr(conn, "_kyso_audit_batch", None)
    if not waiting:
        return []
    alive = {id(fn) for _sids, fn, _robust in conn.run_on_commit if isinstance(fn, _Pending)}
    return [p.rec for p in waiting if id(p) in alive]


def _flush(conn) -> None:
    recs = pending()
    conn._kyso_audit_batch = []      # the markers stay in the on-commit list (no-ops): removing entries would shift
    if recs:
        _write_chained(conn, recs)


def _write_chained(conn, recs: list[AuditRecord]) -> None:
    every = settings.KYSO_AUDIT_CHECKPOINT_EVERY
    try:
        since = None
        last = _last_head.get(conn.alias)
        if last is not None:
            _seal_all(recs, *last)
            since = _advance_if_head(conn, *last, recs[-1].hash, len(recs), reset_at=every)
        if since is None:
            head = _lock_head()
            _seal_all(recs, head.seq, head.hash)
            since = _advance_if_head(conn, head.seq, head.hash, recs[-1].hash, len(recs), reset_at=every)
            if since is None:
                raise IntegrityError("the locked chain head moved")
        AuditRecord.objects.bulk_create(recs, batch_size=1000)   # an import of thousands of rows: bounded statements
        _last_head[conn.alias] = (recs[-1].seq, recs[-1].hash)
    except Exception as exc:  # any failure to record aborts the change (fail closed)
        _last_head.pop(conn.alias, None)
        raise AuditUnavailable("audit.write_failed") from exc
    if since == 0:
        # The checkpoint of this head in the same transaction: no second transaction on the head per step.
        try:
            cp = _signed_checkpoint(recs[-1].seq, recs[-1].hash)
        except Exception:  # noqa: BLE001 - the records are MACed; a checkpoint after the commit tries again
            log.exception("audit checkpoint failed")
            if not _checkpoint_queued():
                transaction.on_commit(_checkpoint_quietly)
            return
        cp.save(force_insert=True)
        transaction.on_commit(functools.partial(_log_checkpoint_quietly, cp))


def _seal_all(recs: list[AuditRecord], prev_seq: int, prev_hash: str) -> None:
    for rec in recs:
        _seal(rec, prev_seq, prev_hash)
        prev_seq, prev_hash = rec.seq, rec.hash


def _seal(rec: AuditRecord, prev_seq: int, prev_hash: str) -> None:
    """Chain `rec` after (prev_seq, prev_hash): its sequence number, hash and keyed MAC."""
    rec.seq, rec.prev_hash = prev_seq + 1, prev_hash
    rec.hash = compute_hash(rec)
    rec.key_id, tag = keys.keys().mac(mac_message(rec.seq, rec.hash))
    rec.mac = tag.hex()


def _checkpoint_queued() -> bool:
    """One checkpoint per transaction: a long import past the threshold would otherwise queue one per record,
    all signing the same head at commit. (A rolled-back savepoint drops its callbacks, so it is queued again.)"""
    return any(entry[1] is _checkpoint_quietly for entry in transaction.get_connection().run_on_commit)


def is_own_hook(fn) -> bool:
    """Whether an after-commit callback is the trail's own (a checkpoint, its copy outside the database, the
    marker of a record of a batch)."""
    return fn is _checkpoint_quietly or getattr(fn, "func", None) is _log_checkpoint_quietly or isinstance(fn, _Pending)


def _log_checkpoint_quietly(cp: Checkpoint) -> None:
    """After the commit: a failure to write the copy must not stop the other after-commit work (jobs,
    notifications); the checkpoint itself is in the database, and `kyso audit verify` checks the copy."""
    try:
        _log_checkpoint(cp)
    except Exception:  # noqa: BLE001
        log.exception("audit checkpoint copy not written")


def _checkpoint_quietly():
    try:
        create_checkpoint()
    except Exception:  # noqa: BLE001 - the records are MACed; the next checkpoint will cover them
        log.exception("audit checkpoint failed")


# ----------------------------------------------------------------------------- checkpoints


def _checkpoint_message(seq: int, head_hash: str, at: dt.datetime) -> bytes:
    return f"kyso-audit-checkpoint-v1|{seq}|{head_hash}|{_at_text(at)}".encode()


def checkpoint_key():
    return keys.keys().checkpoint_key()


def checkpoint_log_path() -> Path:
    return Path(settings.DATA_DIR) / "audit" / "checkpoints.jsonl"


def create_checkpoint() -> Checkpoint | None:
    """Sign the current chain head. Returns None when the chain is empty."""
    with transaction.atomic():
        head = _lock_head()
        if head.seq == 0:
            return None
        cp = _signed_checkpoint(head.seq, head.hash)
        cp.save(force_insert=True)
        head.since_checkpoint = 0
        head.save(update_fields=["since_checkpoint"])
    _log_checkpoint(cp)
    return cp


def _signed_checkpoint(seq: int, head_hash: str) -> Checkpoint:
    """A checkpoint of (seq, head_hash) signed now, not yet saved."""
    key = checkpoint_key()
    at = timezone.now()
    signature = key.sign(_checkpoint_message(seq, head_hash, at), "sha256")
    return Checkpoint(
        seq=seq, head_hash=head_hash, at=at, key_label=key.label, key_fingerprint=key.fingerprint,
        algorithm=f"{key.key_type}-sha256", signature=base64.b64encode(signature).decode(),
    )


def _log_checkpoint(cp: Checkpoint) -> None:
    """The copy of a checkpoint outside the database (written once its transaction committed)."""
    path = checkpoint_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"seq": cp.seq, "hash": cp.head_hash, "at": _at_text(cp.at), "sig": cp.signature,
                             "key": cp.key_fingerprint}) + "\n")


def _checkpoint_signature_ok(public_key, seq: int, head_hash: str, at: dt.datetime, signature_b64: str) -> bool:
    try:
        sig = base64.b64decode(signature_b64)
        msg = _checkpoint_message(seq, head_hash, at)
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(sig, msg, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(sig, msg, padding.PKCS1v15(), hashes.SHA256())
        else:
            public_key.verify(sig, msg)
        return True
    except (InvalidSignature, ValueError):
        return False


# ----------------------------------------------------------------------------- verify


@dataclass
class Finding:
    kind: str  # altered | removed | inserted | truncated | checkpoint
    seq: int
    detail: str

    def __str__(self):
        return f"{self.kind} #{self.seq}: {self.detail}"


@dataclass
class VerifyReport:
    checked: int = 0
    last_seq: int = 0
    checkpoints_checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return min(self.findings, key=lambda f: f.seq) if self.findings else None


def verify(chunk_size: int = 5000) -> VerifyReport:
    """Walk the whole chain; report what was altered, removed or inserted, first one first."""
    report = VerifyReport()
    expected = 1
    prev_hash, prev_prev_hash = GENESIS, None
    hashes_at: dict[int, str] = {}
    broken = False
    audit_keys = keys.keys()
    qs = AuditRecord.objects.order_by("seq")
    for rec in qs.iterator(chunk_size=chunk_size):
        report.checked += 1
        if broken:
            continue
        if rec.seq < expected:
            report.findings.append(Finding("inserted", rec.seq, "sequence number out of order"))
            broken = True
            continue
        if rec.seq > expected:
            report.findings.append(Finding("removed", expected, f"records {expected}..{rec.seq - 1} are missing"))
            broken = True
            continue
        if compute_hash(rec) != rec.hash:
            report.findings.append(Finding("altered", rec.seq, "content does not match its hash"))
            broken = True
            continue
        if rec.prev_hash != prev_hash:
            if prev_prev_hash is not None and rec.prev_hash == prev_prev_hash:
                report.findings.append(Finding("inserted", rec.seq - 1, "record does not belong to the chain"))
            else:
                report.findings.append(Finding("inserted", rec.seq, "record does not link to its predecessor"))
            broken = True
            continue
        if not rec.mac:
            report.findings.append(Finding("inserted", rec.seq, "record has no keyed MAC: not written by Kyso"))
            broken = True
            continue
        if not mac_ok(rec, audit_keys):
            report.findings.append(Finding("altered", rec.seq, "keyed MAC does not match: rewritten without the audit key"))
            broken = True
            continue
        hashes_at[rec.seq] = rec.hash
        prev_prev_hash, prev_hash = prev_hash, rec.hash
        report.last_seq = rec.seq
        expected += 1

    last_seq = report.last_seq
    head = ChainHead.objects.filter(pk=1).first()
    if not broken and head is not None:
        if head.seq > last_seq:
            report.findings.append(Finding("truncated", last_seq + 1, f"records {last_seq + 1}..{head.seq} were removed"))
        elif head.seq < last_seq:
            report.findings.append(Finding("inserted", head.seq + 1, "records beyond the chain head"))
        elif head.hash != prev_hash:
            report.findings.append(Finding("altered", head.seq, "chain head does not match the last record"))

    _verify_checkpoints(report, hashes_at, last_seq, broken)
    return report


def _verify_checkpoints(report: VerifyReport, hashes_at: dict[int, str], last_seq: int, broken: bool) -> None:
    trusted = None
    try:
        trusted = checkpoint_key()
    except Exception:  # noqa: BLE001 - no key yet: nothing was ever signed
        trusted = None
    db_checkpoints = list(Checkpoint.objects.order_by("seq"))
    file_checkpoints = []
    path = checkpoint_log_path()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                file_checkpoints.append(json.loads(line))
            except ValueError:
                report.findings.append(Finding("checkpoint", 0, "unreadable line in the checkpoint log"))
    max_db = max((c.seq for c in db_checkpoints), default=0)
    max_file = max((c["seq"] for c in file_checkpoints), default=0)
    if max_file > max_db:
        report.findings.append(Finding("truncated", max_db + 1, f"signed checkpoint at #{max_file} is missing from the database"))
    for cp in db_checkpoints:
        report.checkpoints_checked += 1
        if trusted is None or cp.key_fingerprint != trusted.fingerprint:
            report.findings.append(Finding("checkpoint", cp.seq, "checkpoint signed by an unknown key"))
            continue
        if not _checkpoint_signature_ok(trusted.public_key(), cp.seq, cp.head_hash, cp.at, cp.signature):
            report.findings.append(Finding("checkpoint", cp.seq, "checkpoint signature is not valid"))
            continue
        if cp.seq > last_seq and not broken:
            report.findings.append(Finding("truncated", last_seq + 1, f"records up to the signed checkpoint #{cp.seq} were removed"))
        elif cp.seq in hashes_at and hashes_at[cp.seq] != cp.head_hash:
            report.findings.append(Finding("altered", cp.seq, "record differs from the signed checkpoint"))
    for entry in file_checkpoints:
        seq = entry.get("seq", 0)
        if seq in hashes_at and hashes_at[seq] != entry.get("hash"):
            report.findings.append(Finding("altered", seq, "record differs from the checkpoint log"))
        if seq > last_seq and not broken and seq <= max_db:
            pass  # reported above via the database checkpoint
        elif seq > last_seq and not broken:
            report.findings.append(Finding("truncated", last_seq + 1, f"records up to the logged checkpoint #{seq} were removed"))


def key_legacy(up_to: int) -> int:
    """MAC the records an installation wrote before the chain was keyed, up to sequence `up_to` (named by the
    operator, never "all": a record inserted later without a MAC stays an insertion). Only what a signed
    checkpoint vouches for is keyed: the plain chain from the start to the first valid checkpoint at or after
    `up_to` must hold and meet every checkpoint on the way, so an old record rewritten with recomputed hashes
    is never blessed. ValueError, and nothing keyed, otherwise. Returns the count."""
    audit_keys = keys.keys()
    try:
        trusted = checkpoint_key()
    except Exception as exc:  # noqa: BLE001 - no checkpoint key: nothing was ever signed
        raise ValueError("chưa có điểm kiểm tra có chữ ký nào bảo đảm cho các bản ghi này") from exc
    signed = {cp.seq: cp.head_hash for cp in Checkpoint.objects.order_by("seq")
              if cp.key_fingerprint == trusted.fingerprint
              and _checkpoint_signature_ok(trusted.public_key(), cp.seq, cp.head_hash, cp.at, cp.signature)}
    cover = min((seq for seq in signed if seq >= up_to), default=None)
    if cover is None:
        raise ValueError(f"không có điểm kiểm tra có chữ ký nào từ #{up_to} trở đi: không chứng minh được các bản ghi đó")
    prev_hash, todo = GENESIS, []
    for rec in AuditRecord.objects.filter(seq__lte=cover).order_by("seq").iterator(chunk_size=2000):
        if compute_hash(rec) != rec.hash or rec.prev_hash != prev_hash or signed.get(rec.seq, rec.hash) != rec.hash:
            raise ValueError(f"bản ghi #{rec.seq} không khớp chuỗi băm hoặc điểm kiểm tra đã ký")
        prev_hash = rec.hash
        if rec.seq <= up_to and not rec.mac:
            todo.append((rec.pk, rec.seq, rec.hash))
    for pk, seq, record_hash in todo:
        key_id, tag = audit_keys.mac(mac_message(seq, record_hash))
        AuditRecord.objects.filter(pk=pk).update(key_id=key_id, mac=tag.hex())
    return len(todo)
