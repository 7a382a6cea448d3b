"""The statistics roll-up (`DossierTally`, issue 19): kept incrementally, in the same transaction as every
save of a dossier — its intake and each workflow step — so that the dashboard sums a few thousand rows instead
of counting millions of dossiers per request.

A dossier counts in one row of the roll-up: its received day, office, procedure, channel, status, whether it
was returned on time and, while it is open, its due date (so "overdue" is a sum over the rows whose due date
has passed; no job has to move anything at midnight). A save that changes any of these takes one from the old
row and adds one to the new, with an upsert. The rows are spread over `SLOTS` slots picked at random: two
intakes of the same office, procedure and day do not wait for each other's commit on one row lock.

`rebuild()` recomputes the whole roll-up with one grouped query (the bench after its COPY; a repair after a
bulk `QuerySet.update` of dossiers, which the signals do not see; the migration runs the same query)."""

from __future__ import annotations

import random

from django.db import connection
from django.db.models.signals import post_save, pre_save

from .models import OPEN_STATUSES, Dossier, DossierTally, Status

SLOTS = 8
KEY = ("received_on", "unit_id", "procedure_id", "channel", "status", "on_time", "due_date")
_OPEN = tuple(str(s) for s in OPEN_STATUSES)
_COLUMNS = ("day", "unit_id", "procedure_id", "channel", "status", "on_time", "due_date", "slot", "n")


def key_of(values: dict) -> tuple:
    """The roll-up row a dossier counts in, from its field values."""
    status = str(values["status"])
    return (values["received_on"], values["unit_id"], values["procedure_id"], str(values["channel"]), status,
            bool(values["on_time"]) if status == Status.RETURNED else False,
            values["due_date"] if status in _OPEN else values["received_on"])


def _values(dossier: Dossier) -> dict:
    return {f: getattr(dossier, f) for f in KEY}


def add(changes: list[tuple[tuple, int]]) -> None:
    """Apply (key, +n/−n) changes with one upsert."""
    changes = [(k, n) for k, n in changes if n]
    if not changes:
        return
    table = connection.ops.quote_name(DossierTally._meta.db_table)
    cols = ", ".join(_COLUMNS)
    conflict = ", ".join(_COLUMNS[:-1])
    rows = ", ".join(["(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"] * len(changes))
    slot = random.randrange(SLOTS)  # noqa: S311 - spreads row locks, nothing secret
    params = [v for key, n in changes for v in (*key, slot, n)]
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} ({cols}) VALUES {rows} ON CONFLICT ({conflict}) "  # noqa: S608 - fixed names
                    f"DO UPDATE SET n = {table}.n + EXCLUDED.n", params)


def _before(sender, instance: Dossier, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        instance._tally_before = None
        return
    old = Dossier.objects.filter(pk=instance.pk).values(*KEY).first()
    instance._tally_before = key_of(old) if old else None


def _after(sender, instance: Dossier, created=False, raw=False, **kwargs):
    if raw:
        return
    new = key_of(_values(instance))
    old = None if created else getattr(instance, "_tally_before", None)
    if old == new:
        return
    add([(new, 1)] + ([(old, -1)] if old is not None else []))


pre_save.connect(_before, sender=Dossier, dispatch_uid="portal.rollup.before")
post_save.connect(_after, sender=Dossier, dispatch_uid="portal.rollup.after")


def rebuild() -> int:
    """Recompute the roll-up from the dossiers (one grouped query); returns the number of rows written."""
    table = connection.ops.quote_name(DossierTally._meta.db_table)
    marks = ", ".join(["%s"] * len(_OPEN))
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"LOCK TABLE {Dossier._meta.db_table} IN SHARE MODE")
        cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
        cur.execute(
            f"INSERT INTO {table} ({', '.join(_COLUMNS)}) "  # noqa: S608 - fixed names
            f"SELECT received_on, unit_id, procedure_id, channel, status, "
            f"CASE WHEN status = %s THEN COALESCE(on_time, %s) ELSE %s END, "
            f"CASE WHEN status IN ({marks}) THEN due_date ELSE received_on END, 0, COUNT(*) "
            f"FROM {Dossier._meta.db_table} GROUP BY 1, 2, 3, 4, 5, 6, 7",
            [str(Status.RETURNED), False, False, *_OPEN])
        return cur.rowcount
