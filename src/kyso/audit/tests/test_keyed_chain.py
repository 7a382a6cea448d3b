"""Issue 16 finding 11: the audit chain is keyed (HMAC under a key outside the database) and checkpointed after
every transaction, so that someone with database access who rewrites the newest records and recomputes their
plain SHA-256 hashes is caught by `kyso audit verify`."""

import json

import pkcs11
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from kyso.audit import chain
from kyso.audit.models import AuditRecord, ChainHead, Checkpoint
from kyso.pki import auditkeys, keystore, secretkeys

from .helpers import changes

pytestmark = pytest.mark.django_db


def _rewrite_tail(n: int, actor: str = "mallory") -> list[int]:
    """What an attacker with the database does: change the newest records, recompute each plain hash and the
    link to the next, move the chain head. Raw SQL: no model code, no key."""
    records = list(AuditRecord.objects.order_by("-seq")[:n])[::-1]
    prev = AuditRecord.objects.filter(seq=records[0].seq - 1).values_list("hash", flat=True).first() or chain.GENESIS
    with connection.cursor() as cur:
        for rec in records:
            rec.actor, rec.prev_hash = actor, prev
            rec.hash = chain.compute_hash(rec)
            cur.execute("UPDATE audit_auditrecord SET actor = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                        [rec.actor, rec.prev_hash, rec.hash, rec.seq])
            prev = rec.hash
        cur.execute("UPDATE audit_chainhead SET hash = %s WHERE id = 1", [prev])
    return [r.seq for r in records]


def test_every_record_is_keyed(demo):
    changes(3)
    rec = AuditRecord.objects.order_by("-seq").first()
    assert len(rec.mac) == 64 and rec.key_id and rec.mac != rec.hash
    assert chain.verify().ok


def test_a_rewritten_tail_with_recomputed_hashes_is_caught(demo, capsys):
    changes(6)
    assert chain.verify().ok
    seqs = _rewrite_tail(3)
    # the plain chain is consistent again: only the key tells
    assert all(chain.compute_hash(r) == r.hash for r in AuditRecord.objects.filter(seq__in=seqs))
    report = chain.verify()
    assert not report.ok
    assert report.first.kind == "altered" and report.first.seq == seqs[0]
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify")
    assert err.value.returncode == 1
    assert f"#{seqs[0]}" in capsys.readouterr().err


def test_a_copied_mac_does_not_help(demo):
    """Moving a genuine MAC onto a forged record fails too: the MAC binds the sequence number and the hash."""
    changes(4)
    seqs = _rewrite_tail(1)
    genuine = AuditRecord.objects.get(seq=seqs[0] - 1)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditrecord SET mac = %s, key_id = %s WHERE seq = %s", [genuine.mac, genuine.key_id, seqs[0]])
    assert chain.verify().first.seq == seqs[0]


def test_the_key_is_not_in_the_database(demo, settings):
    changes(1)
    secret = secretkeys._software_secret("platform-audit-chain")
    with connection.cursor() as cur:
        for table in connection.introspection.table_names():
            cur.execute(f'SELECT * FROM "{table}"')
            for row in cur.fetchall():
                text = repr(row)
                assert secret.hex() not in text and repr(secret) not in text
    path = settings.KYSO_KEYSTORE_DIR / "platform-audit-chain.secret"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert secret not in path.read_bytes() and "ct" in json.loads(path.read_text())


def test_a_checkpoint_after_every_transaction(demo, django_capture_on_commit_callbacks):
    before = Checkpoint.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        changes(1)
    connection.run_on_commit.clear()  # the test's own transaction never commits; a real commit empties this list
    with django_capture_on_commit_callbacks(execute=True):
        changes(2)
    head = ChainHead.objects.get()
    assert Checkpoint.objects.count() == before + 2
    assert Checkpoint.objects.order_by("-seq").first().seq == head.seq and head.since_checkpoint == 0


def test_the_key_may_live_in_the_hsm(demo, settings):
    """KYSO_HSM_KEYS lists the audit key: the token computes the MACs; nothing of it on disk."""
    keystore.init_softhsm_token("kyso-audit-test", "246810", "13579111")
    settings.KYSO_PKCS11_TOKEN, settings.KYSO_PKCS11_PIN = "kyso-audit-test", "246810"
    settings.KYSO_HSM_KEYS = ["platform-audit-chain"]
    before = AuditRecord.objects.order_by("-seq").first()
    changes(4)
    hsm_records = AuditRecord.objects.filter(seq__gt=before.seq)
    assert hsm_records.exclude(key_id=before.key_id).count() == hsm_records.count() == 4
    store = keystore.pkcs11_store()
    with keystore._P11_LOCK:
        secret = secretkeys._p11_secret(store, "platform-audit-chain")
        assert secret[pkcs11.Attribute.SENSITIVE] and not secret[pkcs11.Attribute.EXTRACTABLE]
    assert (settings.KYSO_KEYSTORE_DIR / "platform-audit-chain.secret").exists()  # the earlier key stays
    assert chain.verify().ok             # records MACed by the earlier software key still verify
    seqs = _rewrite_tail(2)
    assert chain.verify().first.seq == seqs[0]


def test_a_new_key_after_retiring_the_old_one(demo, settings):
    """docs/secrets.md: renaming the key file retires it; new records use a new key, old ones still verify."""
    changes(2)
    old_id = AuditRecord.objects.order_by("-seq").first().key_id
    keys_dir = settings.KYSO_KEYSTORE_DIR
    (keys_dir / "platform-audit-chain.secret").rename(keys_dir / "platform-audit-chain.retired-1.secret")
    secretkeys.forget()
    auditkeys._KEYS.clear()
    changes(3)
    assert AuditRecord.objects.order_by("-seq").first().key_id != old_id
    assert chain.verify().ok
    seqs = _rewrite_tail(1)
    assert chain.verify().first.seq == seqs[0]


def test_the_operator_keys_the_records_written_before(demo, capsys):
    """Records from before the keyed chain (no MAC) are keyed by `kyso audit key-legacy --up-to SEQ` (the
    migration is frozen: it reaches for no key), and only up to the sequence the operator names: a record
    inserted later without a MAC stays an insertion, and a rewritten old record is never blessed."""
    changes(3)
    chain.create_checkpoint()               # the old installation's signed checkpoint (every 5 minutes then)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditrecord SET mac = '', key_id = ''")
    assert chain.verify().first.kind == "inserted"
    last = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()
    call_command("audit", "key-legacy", "--up-to", str(last - 1))
    assert chain.verify().first.seq == last                 # the newest was not named: still an insertion
    call_command("audit", "key-legacy", "--up-to", str(last))
    assert chain.verify().ok
    assert "1 bản ghi" in capsys.readouterr().out

    seqs = _rewrite_tail(1)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditrecord SET mac = '' WHERE seq = %s", [seqs[0]])
    with pytest.raises(CommandError):
        call_command("audit", "key-legacy", "--up-to", str(seqs[0]))
    assert not AuditRecord.objects.get(seq=seqs[0]).mac


def test_the_migrations_import_no_live_code():
    """Data migrations are frozen: they use the historical models only (issue 18). (A schema migration naming a
    field's default function, as Django writes it, is not a data migration.)"""
    import pathlib
    import re

    import kyso

    root = pathlib.Path(kyso.__file__).parent
    live = [str(p.relative_to(root)) for p in root.glob("*/migrations/0*.py")
            if "RunPython" in p.read_text(encoding="utf-8")
            and re.search(r"^\s*(from kyso|import kyso)", p.read_text(encoding="utf-8"), re.M)]
    assert live == []
