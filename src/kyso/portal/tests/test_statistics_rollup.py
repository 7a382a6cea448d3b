"""The statistics dashboard reads a roll-up kept with every step (issue 19): after intakes, assignments, a
supplement request, a refusal and a returned result, every table equals the same counts taken from the
dossiers themselves, and a rebuild from scratch gives the same rows."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kyso.accounts.models import User
from kyso.core.context import acting_as
from kyso.portal import dossiers, rollup, stats
from kyso.portal.models import OPEN_STATUSES, Dossier, DossierTally, Status

from . import helpers as h

pytestmark = pytest.mark.django_db


def _live(group: str) -> list[tuple]:
    """The counts straight from the dossiers (what the dashboard computed per request before the roll-up)."""
    today = timezone.localdate()
    field = stats.GROUPS[group]
    qs = Dossier.objects.all()
    if group == "month":
        qs = qs.annotate(month=TruncMonth("received_on"))
    rows = qs.values(field).order_by(field).annotate(
        a=Count("id"), b=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        c=Count("id", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        d=Count("id", filter=Q(status=Status.RETURNED, on_time=True)),
        e=Count("id", filter=Q(status=Status.RETURNED, on_time=False)),
        f=Count("id", filter=Q(status=Status.REFUSED)))
    return [(r["a"], r["b"], r["c"], r["d"], r["e"], r["f"]) for r in rows]


def _rolled(group: str) -> list[tuple]:
    rows = stats.table(dossiers.visible_tally(User.objects.get(username="admin")), group)
    return [(r.received, r.in_progress, r.overdue, r.on_time, r.late, r.refused) for r in rows]


def _post(client, code, what, body):
    r = client.post(f"/api/v1/portal/dossiers/{code}/{what}/", body, format="json")
    assert r.status_code == 200, r.json()


def test_rollup_follows_every_step_and_equals_a_rebuild(demo, pki, api):
    made = [h.make_dossier(demo.unit("HN.BD")) for _ in range(4)] + [h.make_dossier(demo.unit("HN.CG"), "601")]
    assert DossierTally.objects.count() >= 1 and _rolled("unit") == _live("unit")

    bd, desk, leader = api("badinh"), api("motcua.bd"), api("lanhdao")
    returned, refused, paused = made[0].code, made[1].code, made[2].code
    for code in (returned, paused):
        _post(bd, code, "steps", {"step": "assign", "assignee": "motcua.bd"})
    _post(desk, returned, "steps", {"step": "process"})
    _post(leader, returned, "steps", {"step": "approve"})
    _post(h.leader_api(), returned, "steps", {"step": "sign", **h.sign_fields()})
    _post(desk, returned, "steps", {"step": "return"})
    _post(desk, refused, "refusal", {"reasons": ["Hồ sơ không thuộc thẩm quyền"]})
    _post(bd, paused, "supplement-request", {"missing": ["Tờ khai TK1-TS"]})

    statuses = dict(Dossier.objects.values_list("code", "status"))
    assert (statuses[returned], statuses[refused], statuses[paused]) == ("returned", "refused", "supplement")
    for group in stats.GROUPS:
        assert _rolled(group) == _live(group), group
    total = stats.totals(stats.table(dossiers.visible_tally(User.objects.get(username="admin")), "unit"))
    assert (total.received, total.refused, total.on_time + total.late) == (5, 1, 1)

    # a bulk change is not seen by the signals: the repair rebuilds the roll-up from the dossiers
    Dossier.objects.filter(code=made[3].code).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    with acting_as(label="test"), transaction.atomic():
        rollup.rebuild()
    for group in stats.GROUPS:
        assert _rolled(group) == _live(group), group
    assert stats.totals(stats.table(dossiers.visible_tally(User.objects.get(username="admin")), "channel")).overdue == 1


def test_rollup_is_scoped_like_the_dossiers(demo, pki):
    h.make_dossier(demo.unit("HN.BD"))
    h.make_dossier(demo.unit("HN.CG"))
    district = stats.table(dossiers.visible_tally(User.objects.get(username="badinh")), "unit")
    assert [(r.key, r.received) for r in district] == [("BHXH quận Ba Đình", 1)]
    assert not stats.table(dossiers.visible_tally(None), "unit")
