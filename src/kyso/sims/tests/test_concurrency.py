"""Two officers register the same number (or SIM) at the same moment: exactly one line exists afterwards and the
other is told the number is taken (partial unique constraints; run on PostgreSQL)."""

import pytest

from .conftest import iccid


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_number(demo):
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.core.errors import InvalidInput
    from kyso.core.testing import in_threads
    from kyso.sims import seed, services
    from kyso.sims.models import SimSubscription

    seed.apply()
    it = demo.user("cntt")
    people = [demo.person(code, "Giám đốc") for code in ("HN", "HCM", "NA", "DN")]

    def register(n):
        with acting_as(it, channel="cli"), transaction.atomic():
            return services.register(it, person=people[n], msisdn="0911999999", carrier="viettel",
                                     iccid=iccid(500 + n), in_service_on="2026-02-01").pk

    outcomes = in_threads(register, len(people))
    created = [o for o in outcomes if isinstance(o, int)]
    refused = [o.code for o in outcomes if isinstance(o, InvalidInput)]
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, InvalidInput)], outcomes
    assert len(created) == 1 and refused == ["sims.msisdn.taken"] * 3
    assert SimSubscription.objects.filter(msisdn="+84911999999").count() == 1
