"""Book numbers (Decree 30, Art. 15): one sequence per organisation, book and year, never shared or skipped
when clerks seal at the same moment (row lock on the counter; run on PostgreSQL)."""

import pytest
from django.db import transaction

from kyso.eoffice import services


@pytest.mark.django_db(transaction=True)
def test_concurrent_clerks_get_distinct_numbers(demo):
    from kyso.core.context import acting_as
    from kyso.core.testing import in_threads

    unit = demo.unit("HN")

    def seal_five(_i):
        numbers = []
        with acting_as(label="clerk-thread", channel="cli"):
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(services._next_number(unit, "out", 2031))
        return numbers

    outcomes = in_threads(seal_five, 4)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(n for numbers in outcomes for n in numbers) == list(range(1, 21))
