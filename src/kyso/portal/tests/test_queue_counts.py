"""Issue 19: an officer's home page over millions of dossiers counts each queue only up to a cap ("1000+"),
counts the overdue ones by their due date (not among the first records shown) and gives the earliest deadline."""

import datetime as dt

import pytest
from django.utils import timezone

from kyso.core import inbox, workflow
from kyso.portal import flows
from kyso.portal.models import Dossier

from . import helpers as h

pytestmark = pytest.mark.django_db


def _assign_queue(demo, username):
    return next(e for e in workflow.work_for(demo.user(username))
                if e.workflow.name == "portal.dossier" and e.transition.name == "assign")


def test_queue_counts_are_capped_and_overdue_is_counted_by_due_date(demo, pki, monkeypatch):
    made = [h.make_dossier(demo.unit("HN.BD")) for _ in range(3)]
    late = timezone.localdate() - dt.timedelta(days=4)
    Dossier.objects.filter(pk=made[2].pk).update(due_date=late)
    entry = _assign_queue(demo, "badinh")
    assert (entry.count, entry.overdue, entry.next_due) == (3, 1, late)

    monkeypatch.setattr(flows, "COUNT_CAP", 2)
    monkeypatch.setattr(flows.DOSSIER, "queue_limit", 1)
    entry = _assign_queue(demo, "badinh")
    assert entry.count == 2 and str(entry.count) == "2+" and entry.count > len(entry.records)
    assert entry.overdue == 1 and entry.next_due == late
    item = next(i for i in inbox.items_for(demo.user("badinh")) if i.url.endswith("/portal.dossier/assign/"))
    assert str(item.count) == "2+" and item.overdue == 1
