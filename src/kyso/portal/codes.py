"""Dossier codes per Circular 01/2018/TT-VPCP: `<receiving agency code>-<YYMMDD>-<daily sequence>`,
e.g. `000.01.11.G22-260123-0001`. The sequence restarts every day for every agency.

Allocation is one row per (agency, day) incremented with an UPDATE inside the caller's transaction:
the row lock serialises concurrent intakes on PostgreSQL, SQLite's write lock does it there; the
first allocation of a day creates the row in a savepoint and falls back to the UPDATE if another
transaction created it meanwhile."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, connection, transaction

from .models import DailySequence

CODE_RE = re.compile(r"^(?P<agency>[0-9A-Z.]+)-(?P<day>\d{6})-(?P<seq>\d{4,})$")


def agency_code(unit) -> str:
    return unit.gov_code or unit.code.upper()


def _increment(agency: str, day: dt.date) -> int | None:
    """The day's next number in one statement (UPDATE … RETURNING: PostgreSQL, SQLite ≥ 3.35), None when the
    day has no row yet."""
    table = DailySequence._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f'UPDATE {table} SET "last" = "last" + 1 WHERE agency_code = %s AND day = %s RETURNING "last"',
                    [agency, day])
        row = cur.fetchone()
    return row[0] if row else None


def next_number(agency: str, day: dt.date) -> int:
    for _attempt in range(3):
        if (number := _increment(agency, day)) is not None:
            return number
        try:
            with transaction.atomic():
                DailySequence.objects.create(agency_code=agency, day=day, last=1)
            return 1
        except IntegrityError:
            continue
    raise RuntimeError("dossier sequence allocation failed")  # pragma: no cover


def format_code(agency: str, day: dt.date, number: int) -> str:
    return f"{agency}-{day:%y%m%d}-{number:04d}"


def allocate(unit, day: dt.date) -> str:
    agency = agency_code(unit)
    return format_code(agency, day, next_number(agency, day))
