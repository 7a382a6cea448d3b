import datetime as dt

import pytest

PIN = "246810"


def iccid(n: int) -> str:
    from kyso.sims.services import luhn_complete

    return luhn_complete(f"89840200000{n:07d}")


@pytest.fixture(autouse=True)
def plans(db):
    """The appendix's plans (a transactional test before this one may have flushed the migration's data)."""
    from kyso.sims import seed

    seed.apply()


@pytest.fixture
def it(demo):
    """The IT Center officer keeps the registry."""
    return demo.user("cntt")


@pytest.fixture
def register(it, as_user):
    """register(person, msisdn, **kw): a line registered by the IT officer."""
    from kyso.sims import services

    counter = iter(range(1, 10_000))

    def make(person, msisdn, **kw):
        kw.setdefault("carrier", "viettel")
        kw.setdefault("iccid", iccid(next(counter)))
        kw.setdefault("in_service_on", dt.date(2026, 1, 5))
        with as_user(it):
            return services.register(it, person=person, msisdn=msisdn, **kw)

    return make


@pytest.fixture
def sim_leader(demo, pki, as_user):
    """The Hanoi director with a PKI SIM enrolled on 0912000346 (its certificate is in the lifecycle register)."""
    from kyso.mobile.services import enrol_credential

    user = demo.user("giamdoc.hn")
    with as_user(user):
        enrol_credential(user, channel="sim", pin=PIN, msisdn="0912000346", key_spec="rsa2048")
    return user
