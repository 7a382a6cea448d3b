"""The demo registry: the Hanoi director's PKI SIM linked to the certificate the mobile demo issued, the Deputy
General Director's line; loading twice changes nothing."""

import pytest

from kyso.sims.models import SimSubscription

pytestmark = pytest.mark.django_db


def test_demo_lines(demo, pki, as_user):
    from kyso.mobile import demo as mobile_demo
    from kyso.sims import demo as sims_demo
    from kyso.sims import report

    ctx = {"lines": []}
    with as_user(demo.user("admin")):
        mobile_demo.load(ctx)
        sims_demo.load(ctx)
        sims_demo.load(ctx)
    subs = {s.person.user.username: s for s in SimSubscription.objects.select_related("person__user")}
    assert set(subs) == {"giamdoc.hn", "lanhdao"}
    hn = subs["giamdoc.hn"]
    assert hn.msisdn == "+84912000346" and hn.certificate is not None and hn.certificate.mobile_sim
    assert (hn.plan.tier, subs["lanhdao"].plan.tier) == (3, 2)
    assert report.payment_report(demo.user("cntt"), "2026-10").total_vnd == 170000 + 200000
    assert any("SIM PKI" in line for line in ctx["lines"])
