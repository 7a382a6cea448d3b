"""An apology (Mẫu 04) tells the submitter the dossier is late and gives a new date; it does not make the dossier
on time (red team, dossier journey, F5).

Before: a dossier returned after its due date but before the date an apology moved it to was counted "on time" in
the statistics (`on_time` compared with the moved date); a new date of 31/12/9999 was accepted. Now a returned
dossier is on time against the date the law gives (the first due date plus the working days paused for a
supplement), and the new date must be a working day within a year of the current due date. An apology may be given
again when the new date is missed too: each is its own letter."""

import datetime as dt

import pytest
from django.utils import timezone

from kyso.portal import processing
from kyso.portal.models import Dossier, DocKind, Status
from kyso.workdays.calendar import add_working_days

from . import helpers as h

pytestmark = pytest.mark.django_db


def _apology(client, code, new_date, reason="Chờ xác minh quá trình đóng"):
    return client.post(f"/api/v1/portal/dossiers/{code}/apology/", {"reason": reason, "new_date": new_date.isoformat()},
                       format="json")


def test_a_far_date_is_refused_and_a_second_apology_is_its_own_letter(api, employer, employer_api, signed_600):
    code = h.submit(employer_api, signed_600)
    officer = api("badinh")
    due = Dossier.objects.get(code=code).due_date
    r = _apology(officer, code, dt.date(9999, 12, 31))
    assert r.status_code == 400 and r.json()["error"]["code"] in ("portal.apology.too_far", "workdays.out_of_range")
    r = _apology(officer, code, add_working_days(due, 400))
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.apology.too_far"
    assert not Dossier.objects.get(code=code).apologised
    first = add_working_days(due, 5)
    assert _apology(officer, code, first).status_code == 200
    assert _apology(officer, code, add_working_days(first, 5)).status_code == 200
    d = Dossier.objects.get(code=code)
    assert d.documents.filter(kind=DocKind.APOLOGY).count() == 2 and d.original_due_date == due


def test_late_after_an_apology_is_still_late(api, employer, employer_api, signed_600):
    code = h.submit(employer_api, signed_600)
    officer = api("badinh")
    today = timezone.localdate()
    # received long ago: its lawful due date has passed
    Dossier.objects.filter(code=code).update(original_due_date=today - dt.timedelta(days=10),
                                             due_date=today - dt.timedelta(days=10))
    assert _apology(officer, code, add_working_days(today, 3)).status_code == 200
    d = Dossier.objects.get(code=code)
    assert d.due_date > today                                   # the officers' queue works to the new appointment
    Dossier.objects.filter(pk=d.pk).update(step="sign", status=Status.RESULT_READY)
    processing.advance(_user("motcua.bd"), Dossier.objects.get(pk=d.pk), "return")
    d.refresh_from_db()
    assert d.status == Status.RETURNED and d.on_time is False


def test_the_days_paused_for_a_supplement_count_for_the_submitter(api, employer, employer_api, signed_600):
    code = h.submit(employer_api, signed_600)
    today = timezone.localdate()
    Dossier.objects.filter(code=code).update(original_due_date=today - dt.timedelta(days=1), paused_days=5,
                                             due_date=add_working_days(today - dt.timedelta(days=1), 5),
                                             step="sign", status=Status.RESULT_READY)
    processing.advance(_user("motcua.bd"), Dossier.objects.get(code=code), "return")
    assert Dossier.objects.get(code=code).on_time is True


def _user(username):
    from kyso.accounts.models import User

    return User.objects.get(username=username)
