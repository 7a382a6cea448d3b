"""The records of one step are chained together at the step's end (issue 19: one head update and one insert
instead of two statements per record, the head locked only until the commit) — and that changes nothing of
what the trail says: every change kept has its record, a change rolled back has none, the four-eyes rule sees
what the same step did a moment before, and the step's checkpoint is signed in its own transaction."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from kyso import audit
from kyso.audit import chain
from kyso.audit.models import AuditRecord, ChainHead, Checkpoint
from kyso.core import steps
from kyso.core.context import acting_as
from kyso.core.errors import Forbidden
from kyso.org.models import Unit

pytestmark = pytest.mark.django_db

TRY = steps.step("test.batch.try")


def _records_since(seq):
    return list(AuditRecord.objects.filter(seq__gt=seq).order_by("seq"))


def test_a_step_writes_its_records_in_one_insert_and_checkpoints_in_its_own_transaction(demo):
    unit = Unit.objects.get(code="HN.BD")
    head = ChainHead.objects.get().seq
    checkpoints = Checkpoint.objects.count()

    def body(_attempt):
        for i in range(6):
            unit.phone = f"02438{i:06d}"
            unit.save()

    with acting_as(label="tester"), CaptureQueriesContext(connection) as ctx:
        steps.run(TRY, body)
    written = _records_since(head)
    assert [r.seq for r in written] == list(range(head + 1, head + 7))
    assert {r.action for r in written} == {"test.batch.try"}
    assert [r.after for r in written][-1].count("02438000005") == 1
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditrecord"')]
    assert len(inserts) == 1
    assert Checkpoint.objects.count() == checkpoints + 1                  # no after-commit transaction needed
    assert Checkpoint.objects.order_by("-seq").first().seq == ChainHead.objects.get().seq == head + 6
    assert ChainHead.objects.get().since_checkpoint == 0
    assert chain.verify().ok


def test_a_change_rolled_back_inside_the_step_leaves_no_record_and_the_others_keep_theirs(demo):
    unit = Unit.objects.get(code="HN.BD")
    other = Unit.objects.get(code="HN")
    head = ChainHead.objects.get().seq

    def body(_attempt):
        unit.phone = "02439000001"
        unit.save()
        try:
            with transaction.atomic():
                other.phone = "02439000002"
                other.save()
                raise IntegrityError("refused further down")
        except IntegrityError:
            pass
        with transaction.atomic():           # a savepoint that is released keeps its records
            unit.phone = "02439000006"
            unit.save()

    with acting_as(label="tester"):
        steps.run(TRY, body)
    written = _records_since(head)
    assert [r.object_id for r in written] == [str(unit.pk), str(unit.pk)], [(r.action, r.object_id, r.after[:80]) for r in written]
    assert Unit.objects.get(pk=other.pk).phone != "02439000002"
    assert chain.verify().ok


def test_a_failed_step_leaves_neither_its_changes_nor_their_records(demo):
    unit = Unit.objects.get(code="HN.BD")
    head, phone = ChainHead.objects.get().seq, unit.phone

    def body(_attempt):
        unit.phone = "02439000003"
        unit.save()
        raise Forbidden("test.refused", "Bị từ chối.")

    with acting_as(label="tester"), pytest.raises(Forbidden):
        steps.run(TRY, body)
    assert _records_since(head) == [] and Unit.objects.get(pk=unit.pk).phone == phone
    assert ChainHead.objects.get().seq == head


def test_a_change_kept_after_an_error_caught_inside_the_block_keeps_its_record(demo):
    """Code that catches an error without a savepoint keeps the change made before it: its record is written."""
    unit = Unit.objects.get(code="HN.BD")
    head = ChainHead.objects.get().seq
    with acting_as(label="tester"), transaction.atomic():
        try:
            with audit.action("test.batch.caught"):
                unit.phone = "02439000004"
                unit.save()
                raise ValueError("after the change")
        except ValueError:
            pass
    written = _records_since(head)
    assert len(written) == 1 and written[0].action == "test.batch.caught"


FIRST = steps.step("test.batch.first", perm="org.view_unit")
SECOND = steps.step("test.batch.second", perm="org.view_unit", separate_from=("test.batch.first",))


def test_the_four_eyes_rule_sees_a_separated_step_done_earlier_in_the_same_transaction(demo):
    hanoi = demo.user("hanoi")
    unit = Unit.objects.get(code="HN.BD")

    def first(_attempt):
        unit.phone = "02439000005"
        unit.save()

    def both(_attempt):
        steps.run(FIRST, first, actor=hanoi, obj=unit, unit=unit)
        steps.run(SECOND, lambda _a: None, actor=hanoi, obj=unit, unit=unit)

    with acting_as(hanoi), pytest.raises(Forbidden) as exc:
        steps.run(TRY, both)
    assert exc.value.code == "steps.four_eyes"


def test_records_of_two_writers_at_once_form_one_chain(demo, transactional_db):
    """On PostgreSQL, two transactions batching at the same time: one gap-free chain, every record there."""
    from kyso.core.testing import in_threads

    codes = ["HN.BD", "HN"]
    head = ChainHead.objects.get().seq

    def write(i):
        unit = Unit.objects.get(code=codes[i])
        for n in range(5):
            with acting_as(label=f"writer{i}"):
                steps.run(TRY, lambda _a, n=n: _save(unit, n))
        return True

    assert in_threads(write, 2) == [True, True]
    written = _records_since(head)
    assert [r.seq for r in written] == list(range(head + 1, head + 11))
    assert chain.verify().ok


def _save(unit, n):
    unit.phone = f"0244{n:07d}"
    unit.save()


def test_a_step_of_thousands_of_changes_writes_every_record_in_bounded_statements(demo):
    """An import in one step: 2,500 records chained in order, written many rows per statement, 1,000 at most."""
    from kyso.audit import record

    head = ChainHead.objects.get().seq

    def body(_attempt):
        for i in range(2500):
            record("test.batch.import_row", object_type="test.row", object_id=i)

    with acting_as(label="tester"), CaptureQueriesContext(connection) as ctx:
        steps.run(TRY, body)
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditrecord"')]
    # PostgreSQL: 1,000 rows per statement; SQLite: as many as its limit of bound variables allows
    assert len(inserts) == 3 if connection.vendor == "postgresql" else len(inserts) < 100
    assert list(AuditRecord.objects.filter(seq__gt=head).order_by("seq").values_list("object_id", flat=True)) \
        == [str(i) for i in range(2500)]
    assert chain.verify().ok


def test_a_database_error_inside_a_step_is_the_error_the_caller_sees(demo):
    """On PostgreSQL a failed statement aborts the transaction: the step's records cannot be written any more,
    and the caller gets the database's error (not an audit error that would read as 'rolled back cleanly')."""
    unit = Unit.objects.get(code="HN.BD")

    def body(_attempt):
        unit.phone = "02439000007"
        unit.save()
        with connection.cursor() as cur:        # a statement the database refuses, outside any model save
            cur.execute("SELECT * FROM kyso_no_such_table")

    with acting_as(label="tester"), pytest.raises(DatabaseError):
        with transaction.atomic():
            steps.run(TRY, body)


def test_a_checkpoint_queued_before_a_failed_step_still_covers_the_transaction(demo, django_capture_on_commit_callbacks):
    unit = Unit.objects.get(code="HN.BD")

    def refused(_attempt):
        unit.phone = "02439000008"
        unit.save()
        raise Forbidden("test.refused", "Bị từ chối.")

    with django_capture_on_commit_callbacks(execute=True):
        with acting_as(label="tester"), transaction.atomic():
            audit.record("test.batch.outside", unit)          # written at once, its checkpoint queued
            with pytest.raises(Forbidden):
                steps.run(TRY, refused)
    head = ChainHead.objects.get()
    assert Checkpoint.objects.order_by("-seq").first().seq == head.seq and head.since_checkpoint == 0


def test_a_checkpoint_copy_that_cannot_be_written_stops_no_other_after_commit_work(demo, settings,
                                                                                  django_capture_on_commit_callbacks):
    unit = Unit.objects.get(code="HN.BD")
    (settings.DATA_DIR / "audit").write_text("not a folder")      # the copy's folder cannot be made
    ran = []
    with django_capture_on_commit_callbacks(execute=True):
        with acting_as(label="tester"), transaction.atomic():
            steps.run(TRY, lambda _a: _save(unit, 9))
            transaction.on_commit(lambda: ran.append("announced"))
    assert ran == ["announced"]
    assert Checkpoint.objects.order_by("-seq").first().seq == ChainHead.objects.get().seq
