"""Dates typed by people are dd/mm/yyyy everywhere: "05/03/2025" is 5 March, never 3 May; an impossible day
is a clear error and the form keeps what was typed (issue 17, point 4)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import transaction

from kyso.core import dates
from kyso.core.context import acting_as
from kyso.core.errors import InvalidInput
from kyso.lifecycle import services


def test_day_first_and_iso():
    assert dates.parse("05/03/2025") == dt.date(2025, 3, 5)
    assert dates.parse("5/3/2025") == dt.date(2025, 3, 5)
    assert dates.parse("2025-03-05") == dt.date(2025, 3, 5)
    assert dates.parse("") is None


@pytest.mark.parametrize("text,code", [("31/02/2025", "date.impossible"), ("13/13/2025", "date.impossible"),
                                       ("03-05", "date.format"), ("mùng 5", "date.format")])
def test_impossible_or_unreadable_dates_are_refused_with_the_reason(text, code):
    with pytest.raises(InvalidInput) as exc:
        dates.parse(text, field="birth_date")
    assert exc.value.code == code and "birth_date" in exc.value.fields


@pytest.mark.django_db
def test_the_staff_form_stores_5_march_and_keeps_values_after_an_error(client, demo):
    person = demo.user("thuebao").person
    client.force_login(demo.user("hanoi"))
    page = client.get(f"/org/people/{person.pk}/edit/").content.decode()
    assert 'placeholder="dd/mm/yyyy"' in page and "data-datepicker" in page
    assert person.id_issue_date.strftime("%d/%m/%Y") in page       # shown day-first
    year = person.birth_date.year        # the CCCD encodes the year of birth
    data = {"full_name": person.full_name, "gender": person.gender, "birth_date": f"05/03/{year}",
            "birth_place": person.birth_place, "nationality": person.nationality, "id_type": person.id_type,
            "id_number": person.id_number, "id_issue_date": person.id_issue_date.strftime("%d/%m/%Y"),
            "id_issue_place": person.id_issue_place, "residence": person.residence, "title": "Chuyên viên chính",
            "unit": person.unit_id, "email": person.email, "phone_mobile": person.phone_mobile,
            "is_active": "on"}
    r = client.post(f"/org/people/{person.pk}/edit/", {**data, "birth_date": f"31/02/{year}"})
    body = r.content.decode()
    assert r.status_code == 200 and f"31/02/{year}" in body and "Chuyên viên chính" in body   # kept what was typed
    assert "không" in body.lower()                                                         # a Vietnamese error
    r = client.post(f"/org/people/{person.pk}/edit/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    person.refresh_from_db()
    assert person.birth_date == dt.date(year, 3, 5)


def test_no_page_uses_the_browsers_own_date_box():
    """A native date box shows the browser's own order (mm/dd/yyyy on an English system): every date a person
    types goes through the dd/mm/yyyy box with the calendar."""
    templates = Path(__file__).resolve().parents[2]
    offenders = [str(t.relative_to(templates)) for t in templates.glob("*/templates/**/*.html")
                 if re.search(r"<input[^>]*type=\"date\"", t.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.django_db
def test_a_form01_correction_with_an_impossible_date_is_refused_and_nothing_changes(client, demo):
    officer = demo.user("badinh")
    with acting_as(officer, channel="cli"), transaction.atomic():
        req = services.file_request(officer, kind="person", person=demo.user("thuebao").person)
    client.force_login(officer)
    page = client.get(f"/lifecycle/requests/{req.pk}/edit/").content.decode()
    assert 'type="date"' not in page and 'placeholder="dd/mm/yyyy"' in page
    born = req.birth_date
    r = client.post(f"/lifecycle/requests/{req.pk}/edit/", {"birth_date": "31/02/1980", "title": "Chuyên viên chính",
                                                            "residence": "Số 9 Ngõ Huế, Hà Nội"})
    req.refresh_from_db()
    assert req.birth_date == born and req.title != "Chuyên viên chính" and req.version == 1
    body = r.content.decode()
    assert r.status_code == 200, body[:2000]          # the form again, not an error page
    assert 'value="31/02/1980"' in body                # every typed value kept …
    assert 'value="Chuyên viên chính"' in body and 'value="Số 9 Ngõ Huế, Hà Nội"' in body
    assert '<ul class="errorlist"><li>Ngày này không tồn tại' in body     # … with the field's own error
    r = client.post(f"/lifecycle/requests/{req.pk}/edit/", {"birth_date": "05/03/1980"})
    req.refresh_from_db()
    assert r.status_code == 302 and req.birth_date == dt.date(1980, 3, 5)
