"""Issue 19: the dossiers an officer's queue shows first are the ones due first, over every office of his scope,
every step the queue is fed from and both working statuses — read on PostgreSQL as short sorted runs
(office × step × status) instead of one sort of the whole queue. Whatever way it is read, it is the same
list as the plain ORDER BY due date; a procedure that skips a step still feeds the right queue."""

import datetime as dt
import random

import pytest
from django.db import connection

from kyso.portal import flows
from kyso.portal.models import Dossier, Procedure, Status, WorkflowStep

from . import helpers as h

pytestmark = pytest.mark.django_db


def _queue(demo, username, step):
    actor = demo.user(username)
    t = flows.DOSSIER.transition(step)
    return actor, t, flows.DOSSIER.queue_for(actor, t)


def _plain(qs, limit):
    return list(qs.order_by("due_date", "pk").values_list("pk", flat=True)[:limit])


def test_the_most_urgent_are_the_same_as_one_sort_of_the_whole_queue(demo, pki, monkeypatch):
    rnd = random.Random(19)
    offices = [demo.unit(code) for code in ("HN.BD", "HN.CG", "HN")]
    made = [h.make_dossier(rnd.choice(offices)) for _ in range(36)]
    today = dt.date.today()
    for d in made:      # due dates spread and repeated (the id breaks ties), some waiting at the 'result ready' status
        Dossier.objects.filter(pk=d.pk).update(due_date=today + dt.timedelta(days=rnd.randint(-5, 5)),
                                               status=rnd.choice([Status.IN_PROGRESS, Status.IN_PROGRESS,
                                                                  Status.RESULT_READY]))
    monkeypatch.setattr(flows.DOSSIER, "queue_limit", 7)
    for username in ("hanoi", "badinh", "motcua.bd"):
        actor, t, qs = _queue(demo, username, flows.ASSIGN)
        if not qs.exists():
            continue
        assert flows.DOSSIER.most_urgent(qs, actor, t) == _plain(qs, 7), username
    actor, t, qs = _queue(demo, "hanoi", flows.ASSIGN)
    assert len(_plain(qs, 100)) > 7                          # more in the queue than shown: the cut matters


def test_a_procedure_without_the_assign_step_feeds_the_process_queue_from_reception(demo, pki):
    proc = Procedure.objects.get(code="600")
    WorkflowStep.objects.filter(procedure=proc, step=flows.ASSIGN).delete()
    assert proc.pk in flows.leading_to(flows.PROCESS)[flows.RECEIVE]
    assert proc.pk not in flows.leading_to(flows.ASSIGN).get(flows.RECEIVE, [])
    dossier = h.make_dossier(demo.unit("HN.BD"))
    actor, t, qs = _queue(demo, "badinh", flows.PROCESS)
    assert dossier.pk in qs.values_list("pk", flat=True)
    assert dossier.pk in flows.DOSSIER.most_urgent(qs, actor, t)
    _a, _t, assign = _queue(demo, "badinh", flows.ASSIGN)
    assert dossier.pk not in assign.values_list("pk", flat=True)


def test_on_postgresql_the_queue_is_read_in_short_runs(demo, pki):
    """The statement reads each office × step × status run cut at the queue's length (not one sort of all)."""
    if connection.vendor != "postgresql":
        pytest.skip("the runs are a PostgreSQL plan; SQLite keeps the one query")
    from django.test.utils import CaptureQueriesContext

    h.make_dossier(demo.unit("HN.BD"))
    actor, t, qs = _queue(demo, "badinh", flows.ASSIGN)
    with CaptureQueriesContext(connection) as ctx:
        flows.DOSSIER.most_urgent(qs, actor, t)
    glued = [q["sql"] for q in ctx.captured_queries if "UNION ALL" in q["sql"]]
    assert len(glued) == 1 and glued[0].count("LIMIT 20") >= 2
