"""Audited changes for the chain tests."""

from django.db import transaction

from kyso.core.context import acting_as
from kyso.org.models import Unit


def changes(n=5):
    """`n` audited saves of one unit (its phone number), in one transaction; the unit."""
    unit = Unit.objects.get(code="HN.BD")
    with acting_as(label="tester"), transaction.atomic():
        for i in range(n):
            unit.phone = f"02437{i:06d}"
            unit.save()
    return unit
