"""Book numbers (Decree 30, Art. 15): one sequence per organisation, book and year, never shared or skipped
when clerks seal at the same moment (row lock on the counter; run on PostgreSQL)."""

import pytest
from django.db import transaction

from kyso.eoffice import services


@pytest.mark.django_db(transaction=True)
def test_concurrent_clerks_get_distinct_numbers(demo):
    import threading

    from django.db import close_old_connections, connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the in-memory SQLite test database has one shared cache; run on PostgreSQL for concurrency")
    from kyso.core.context import acting_as

    unit, results, errors = demo.unit("HN"), [], []

    def worker():
        try:
            with acting_as(label="clerk-thread", channel="cli"):
                for _ in range(5):
                    with transaction.atomic():
                        results.append(services._next_number(unit, "out", 2031))
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
