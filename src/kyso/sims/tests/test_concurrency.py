"""Two officers register the same number (or SIM) at the same moment: exactly one line exists afterwards and the
other is told the number is taken (partial unique constraints; run on PostgreSQL)."""

import pytest

from .conftest import iccid


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_number(demo):
    import threading

    from django.db import close_old_connections, connection, transaction

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the in-memory SQLite test database has one shared cache; run on PostgreSQL for concurrency")
    from kyso.core.context import acting_as
    from kyso.core.errors import InvalidInput
    from kyso.sims import seed, services
    from kyso.sims.models import SimSubscription

    seed.apply()
    it = demo.user("cntt")
    people = [demo.person(code, "Giám đốc") for code in ("HN", "HCM", "NA", "DN")]
    barrier = threading.Barrier(len(people))
    created, refused, errors = [], [], []

    def worker(n, person):
        try:
            with acting_as(it, channel="cli"):
                barrier.wait(timeout=10)
                with transaction.atomic():
                    created.append(services.register(it, person=person, msisdn="0911999999", carrier="viettel",
                                                     iccid=iccid(500 + n), in_service_on="2026-02-01").pk)
        except InvalidInput as exc:
            refused.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n, p)) for n, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(created) == 1 and refused == ["sims.msisdn.taken"] * 3
    assert SimSubscription.objects.filter(msisdn="+84911999999").count() == 1
