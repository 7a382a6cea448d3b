"""Demo: the Hanoi director's PKI SIM (enrolled by the mobile demo) and the Deputy General Director's line in the
registry, in service since letter 346 took effect, so the payment report has something to show."""

from __future__ import annotations

import datetime as dt

from kyso.accounts.models import User

from . import seed, services
from .models import SimSubscription

DEMO_LINES = [
    # username, msisdn, carrier, ICCID without its check digit, in service from
    ("giamdoc.hn", "0912000346", "vinaphone", "898402000000346001", dt.date(2020, 2, 10)),
    ("lanhdao", "0983000346", "viettel", "898404800000346001", dt.date(2020, 2, 10)),
]


def load(ctx) -> None:
    seed.apply()
    admin = User.objects.filter(username="cntt").first()
    n = 0
    for username, msisdn, carrier, iccid, day in DEMO_LINES:
        user = User.objects.filter(username=username).select_related("person__unit__level").first()
        if user is None or user.person is None or SimSubscription.objects.filter(person=user.person).exists():
            continue
        services.register(admin, person=user.person, msisdn=msisdn, carrier=carrier, iccid=services.luhn_complete(iccid),
                          in_service_on=day, contract="HĐ demo 2020")
        n += 1
    ctx["lines"].append(f"Danh bạ SIM PKI: {SimSubscription.objects.count()} thuê bao (báo cáo cước tại /sims/payment/)")
