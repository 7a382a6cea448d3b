"""Dossier codes follow Circular 01/2018/TT-VPCP: agency code, YYMMDD, a daily sequence per agency."""

import datetime as dt

import pytest
from django.db import transaction

from kyso.portal import codes


@pytest.mark.django_db
def test_sequence_restarts_each_day_and_per_agency():
    with transaction.atomic():
        d1, d2 = dt.date(2026, 1, 23), dt.date(2026, 1, 24)
        assert [codes.next_number("000.01.11.G22", d1) for _ in range(3)] == [1, 2, 3]
        assert codes.next_number("000.01.11.G22", d2) == 1
        assert codes.next_number("000.02.11.G22", d1) == 1
        assert codes.format_code("000.01.11.G22", d1, 4) == "000.01.11.G22-260123-0004"
        assert codes.format_code("000.01.11.G22", d1, 12345) == "000.01.11.G22-260123-12345"
        assert codes.CODE_RE.match("000.00.00.H00-260123-0001")
        assert not codes.CODE_RE.match("000.00.00.H00-2601-0001")


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_gives_distinct_numbers():
    """Threads allocating at once (each in its own transaction) never share a number."""
    from kyso.core.testing import in_threads

    day = dt.date(2026, 2, 2)

    def allocate(_i):
        numbers = []
        for _ in range(5):
            with transaction.atomic():
                numbers.append(codes.next_number("000.09.11.G22", day))
        return numbers

    outcomes = in_threads(allocate, 4)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(n for numbers in outcomes for n in numbers) == list(range(1, 21))
