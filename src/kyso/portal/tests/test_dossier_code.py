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
    import threading

    from django.db import close_old_connections, connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the in-memory SQLite test database has one shared cache; run on PostgreSQL for concurrency")
    day, results, errors = dt.date(2026, 2, 2), [], []

    def worker():
        try:
            for _ in range(5):
                with transaction.atomic():
                    results.append(codes.next_number("000.09.11.G22", day))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(results) == list(range(1, 21))
