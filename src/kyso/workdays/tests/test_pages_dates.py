"""The working-day calculator and the calendar's overrides take dates as people type them, dd/mm/yyyy (issue 17,
point 4): they used the browser's own date box (mm/dd/yyyy on an English system) and Django's default parsing,
which reads 05/03/2025 month-first; an impossible day is refused next to its field and the form keeps it."""

import datetime as dt
import re
from pathlib import Path

import pytest

from kyso.core import pagecheck
from kyso.workdays.models import DayOverride

pytestmark = pytest.mark.django_db


def test_the_calculator_reads_day_first_and_refuses_an_impossible_day(demo):
    c = demo.client("thuebao")
    page = c.get("/workdays/").content.decode()
    assert 'type="date"' not in page and page.count('placeholder="dd/mm/yyyy"') == 2
    page = c.get("/workdays/", {"start": "05/03/2025", "days": "1"}).content.decode()
    assert "06/03/2025" in page                               # Thursday 6 March, not a day after 3 May
    page = c.get("/workdays/", {"start": "31/02/2025", "days": "1"}).content.decode()
    assert 'value="31/02/2025"' in page and 'class="errorlist"' in page and "không" in page
    assert not [p for p in pagecheck.problems(page) if p.kind != "english"]


def test_an_override_typed_day_first_is_that_day(demo):
    c = demo.client("admin")
    r = c.post("/workdays/override/", {"date": "05/03/2025", "kind": "holiday", "name": "Nghỉ bù"})
    assert r.status_code == 302, r.content.decode()[:1500]
    assert DayOverride.objects.get(name="Nghỉ bù").date == dt.date(2025, 3, 5)
    r = c.post("/workdays/override/", {"date": "30/02/2025", "kind": "holiday", "name": "Nghỉ bù sai"})
    body = r.content.decode()
    assert r.status_code == 200 and 'value="30/02/2025"' in body and 'value="Nghỉ bù sai"' in body
    assert "Ngày này không tồn tại" in body or "không phải là ngày" in body or "không có thật" in body, body[-3000:]


def test_no_form_field_asks_for_the_browsers_own_date_box():
    """Templates are checked elsewhere; a widget written in Python (`attrs={"type": "date"}`) too."""
    root = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(root)) for p in root.glob("*/**/*.py")
                 if "tests" not in p.parts and re.search(r"[\"']type[\"']\s*:\s*[\"']date[\"']", p.read_text("utf-8"))]
    assert offenders == []
