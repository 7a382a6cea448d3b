"""The audit trail catches records altered, removed or inserted straight in the database."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from kyso import audit
from kyso.audit import chain
from kyso.audit.models import AuditRecord, ChainHead, Checkpoint
from kyso.core.context import acting_as
from kyso.org.models import Unit

from .helpers import changes

pytestmark = pytest.mark.django_db


def _sql(statement, params=()):
    with connection.cursor() as cur:
        cur.execute(statement, params)


def test_intact_chain_verifies(demo):
    changes()
    report = chain.verify()
    assert report.ok, report.findings
    assert report.last_seq == AuditRecord.objects.count()


def test_every_save_is_recorded_with_before_and_after(demo):
    before = ChainHead.objects.get().seq
    unit = changes(1)
    rec = AuditRecord.objects.get(seq=before + 1)
    assert rec.object_type == "org.unit" and rec.object_id == str(unit.pk)
    assert '"phone":"02437000000"' in rec.after and rec.actor == "tester" and rec.channel == "cli"
    assert rec.unit_path == unit.path


def test_unchanged_save_writes_nothing(demo):
    unit = Unit.objects.get(code="HN.BD")
    before = ChainHead.objects.get().seq
    with transaction.atomic():
        unit.save()
    assert ChainHead.objects.get().seq == before


def test_altered_record_is_named(demo):
    changes()
    target = AuditRecord.objects.order_by("-seq")[2].seq
    _sql("UPDATE audit_auditrecord SET actor = %s WHERE seq = %s", ["mallory", target])
    report = chain.verify()
    assert report.first.kind == "altered" and report.first.seq == target


def test_removed_record_is_named(demo):
    changes()
    target = AuditRecord.objects.order_by("-seq")[3].seq
    _sql("DELETE FROM audit_auditrecord WHERE seq = %s", [target])
    report = chain.verify()
    assert report.first.kind == "removed" and report.first.seq == target


def test_inserted_record_is_named(demo):
    """An attacker renumbers the tail to make room and forges a self-consistent record."""
    changes()
    records = list(AuditRecord.objects.order_by("seq"))
    slot = records[-3].seq  # the forged record takes this place
    # shift the tail by one (highest first, to keep seq unique), recomputing their hashes
    for rec in reversed(records[-3:]):
        rec.seq += 1
        rec.hash = chain.compute_hash(rec)
        _sql("UPDATE audit_auditrecord SET seq = %s, hash = %s WHERE id = %s", [rec.seq, rec.hash, rec.pk])
    forged = AuditRecord(seq=slot, at=records[-4].at, actor="mallory", channel="web", action="org.unit.update",
                         object_type="org.unit", object_id="1", prev_hash=records[-4].hash, before="", after="")
    forged.hash = chain.compute_hash(forged)
    forged.save()
    report = chain.verify()
    assert report.first.kind == "inserted" and report.first.seq == forged.seq


def test_truncation_of_newest_records_is_caught_by_the_head(demo):
    changes()
    last = ChainHead.objects.get().seq
    _sql("DELETE FROM audit_auditrecord WHERE seq >= %s", [last - 1])
    report = chain.verify()
    assert report.first.kind == "truncated" and report.first.seq == last - 1


def test_truncation_with_forged_head_is_caught_by_the_signed_checkpoint(demo):
    changes()
    cp = chain.create_checkpoint()
    last = cp.seq
    survivor = AuditRecord.objects.get(seq=last - 2)
    _sql("DELETE FROM audit_auditrecord WHERE seq > %s", [last - 2])
    _sql("UPDATE audit_chainhead SET seq = %s, hash = %s", [survivor.seq, survivor.hash])
    report = chain.verify()
    assert not report.ok
    assert report.first.kind == "truncated" and report.first.seq == last - 1


def test_deleting_the_checkpoint_too_is_caught_by_the_checkpoint_log(demo):
    changes()
    cp = chain.create_checkpoint()
    survivor = AuditRecord.objects.get(seq=cp.seq - 2)
    _sql("DELETE FROM audit_auditrecord WHERE seq > %s", [survivor.seq])
    _sql("UPDATE audit_chainhead SET seq = %s, hash = %s", [survivor.seq, survivor.hash])
    Checkpoint.objects.all().delete()
    report = chain.verify()
    assert report.first.kind == "truncated"


def test_forged_checkpoint_signature_is_caught(demo):
    changes()
    cp = chain.create_checkpoint()
    _sql("UPDATE audit_checkpoint SET head_hash = %s WHERE id = %s", ["f" * 64, cp.pk])
    report = chain.verify()
    assert any(f.kind == "checkpoint" for f in report.findings)


@pytest.mark.django_db(transaction=True)
def test_change_outside_a_transaction_is_refused(demo):
    """Fail closed: in autocommit the audit record could not be atomic with the change."""
    from kyso.workdays.models import DayOverride

    with pytest.raises(chain.AuditUnavailable):
        DayOverride.objects.create(date="2031-01-02", kind="holiday", name="x")
    assert not DayOverride.objects.filter(date="2031-01-02").exists()
    person = demo.person("HN.BD", "Chuyên viên")
    person.title = "Chuyên viên chính"
    with pytest.raises(chain.AuditUnavailable):
        person.save()
    person.refresh_from_db()
    assert person.title == "Chuyên viên"
    assert chain.verify().ok


def test_failed_audit_write_aborts_the_change(demo, monkeypatch):
    unit = Unit.objects.get(code="HN.BD")
    old_phone = unit.phone

    def broken(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AuditRecord, "save", broken)
    with pytest.raises(chain.AuditUnavailable):
        with transaction.atomic():
            unit.phone = "0249999999"
            unit.save()
    assert Unit.objects.get(code="HN.BD").phone == old_phone


def test_explicit_record_and_action_name(demo):
    with acting_as(label="tester"), transaction.atomic(), audit.action("org.unit.rename"):
        unit = Unit.objects.get(code="HN.CG")
        unit.short_name = "CG"
        unit.save()
        audit.record("org.unit.exported", unit, after={"format": "xlsx"})
    last_two = list(AuditRecord.objects.order_by("-seq")[:2])
    assert last_two[1].action == "org.unit.rename"
    assert last_two[0].action == "org.unit.exported" and last_two[0].object_id == str(unit.pk)


def test_cli_verify_exit_codes(demo, capsys):
    changes()
    call_command("audit", "verify")
    assert "OK" in capsys.readouterr().out
    target = AuditRecord.objects.order_by("-seq")[1].seq
    _sql("UPDATE audit_auditrecord SET after = %s WHERE seq = %s", ['{"phone":"x"}', target])
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    assert f"#{target}" in capsys.readouterr().err


def test_a_long_transaction_queues_one_checkpoint(demo, settings, django_capture_on_commit_callbacks):
    """Past the threshold, each further record in the same transaction does not queue another checkpoint."""
    settings.KYSO_AUDIT_CHECKPOINT_EVERY = 3
    before = Checkpoint.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        changes(12)
    assert [cb for cb in callbacks if cb is chain._checkpoint_quietly] == [chain._checkpoint_quietly]
    assert Checkpoint.objects.count() == before + 1
    assert Checkpoint.objects.order_by("-seq").first().seq == ChainHead.objects.get().seq
    assert chain.verify().ok
