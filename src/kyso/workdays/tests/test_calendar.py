"""Vietnamese working days: Tết, Hùng Kings' day, 2 September, swaps and overrides."""

import datetime as dt

import pytest
from django.core.management import call_command

from kyso.core.context import acting_as
from kyso.core.errors import InvalidInput
from kyso.workdays import calendar, services

D = dt.date
pytestmark = pytest.mark.django_db


def test_brief_example_add_three_working_days_over_tet_2025():
    # Fri 24/01/2025 + 3 working days: Tết 2025 closes 27/01–31/01 (and the weekends around it)
    assert calendar.add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert calendar.working_days_between(D(2025, 1, 24), D(2025, 2, 5)) == 3


@pytest.mark.parametrize("day", [D(2024, 2, 8), D(2024, 2, 9), D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14)])
def test_tet_2024_weekdays_are_off(day):
    assert not calendar.is_working_day(day)


def test_tet_2024_deadline():
    # Wed 07/02/2024, the last working day before Tết; work resumes Thu 15/02
    assert calendar.add_working_days(D(2024, 2, 7), 1) == D(2024, 2, 15)
    assert calendar.add_working_days(D(2024, 2, 7), 3) == D(2024, 2, 19)


@pytest.mark.parametrize("day", [D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20)])
def test_tet_2026_weekdays_are_off(day):
    assert not calendar.is_working_day(day)


def test_tet_2026_deadline():
    # Fri 13/02/2026 + 2 working days: Tết closes 16–20/02 -> Mon 23, Tue 24
    assert calendar.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_hung_kings_day_2026_moves_to_monday_27_april():
    assert calendar.is_working_day(D(2026, 4, 24))  # Friday
    assert not calendar.is_working_day(D(2026, 4, 26))  # Sunday: the day itself
    assert not calendar.is_working_day(D(2026, 4, 27))  # observed on Monday
    assert calendar.add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)


def test_national_day_2025_two_days():
    assert not calendar.is_working_day(D(2025, 9, 1))
    assert not calendar.is_working_day(D(2025, 9, 2))
    assert calendar.add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)


def test_reunification_and_labour_day_2025_with_swap():
    # 02/05/2025 is a day off given in exchange for working on Saturday 26/04/2025
    assert not calendar.is_working_day(D(2025, 4, 30))
    assert not calendar.is_working_day(D(2025, 5, 1))
    assert not calendar.is_working_day(D(2025, 5, 2))
    assert calendar.is_working_day(D(2025, 4, 26))


def test_make_up_saturday_2024():
    # 29/04/2024 off, Saturday 04/05/2024 worked instead
    assert not calendar.is_working_day(D(2024, 4, 29))
    assert calendar.is_working_day(D(2024, 5, 4))
    assert calendar.add_working_days(D(2024, 5, 3), 1) == D(2024, 5, 4)


def test_override_wins_over_the_rules():
    assert calendar.is_working_day(D(2027, 3, 3))
    with acting_as(label="test"):
        from django.db import transaction

        with transaction.atomic():
            services.set_override("2027-03-03", "holiday", "Nghỉ theo quyết định của Chính phủ", "QĐ thử nghiệm")
            services.set_override("2027-03-06", "working", "Làm bù thứ Bảy")
    assert not calendar.is_working_day(D(2027, 3, 3))
    assert calendar.is_working_day(D(2027, 3, 6))  # a Saturday made a working day
    # Tue 02/03 + 2: Wed 03 is now off -> Thu 04, Fri 05
    assert calendar.add_working_days(D(2027, 3, 2), 2) == D(2027, 3, 5)
    assert calendar.add_working_days(D(2027, 3, 2), 3) == D(2027, 3, 6)


def test_between_is_the_inverse_of_add():
    start = D(2025, 12, 20)
    for n in range(0, 60, 7):
        assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n
    assert calendar.working_days_between(D(2025, 2, 5), D(2025, 1, 24)) == -3


@pytest.mark.parametrize("bad", ["2025-13-01", "hôm nay", ""])
def test_bad_dates_are_refused(bad):
    with pytest.raises(InvalidInput) as exc:
        calendar.add_working_days(bad, 1)
    assert exc.value.code == "workdays.bad_date"


def test_negative_and_huge_counts_are_refused():
    with pytest.raises(InvalidInput):
        calendar.add_working_days(D(2025, 1, 1), -1)
    with pytest.raises(InvalidInput):
        calendar.add_working_days(D(2025, 1, 1), 10**9)


def test_cli_add_and_between(capsys):
    call_command("workdays", "add", "2025-01-24", "3")
    assert capsys.readouterr().out.strip() == "05/02/2025"
    call_command("workdays", "between", "2025-01-24", "2025-02-05")
    assert capsys.readouterr().out.strip() == "3"


def test_cli_bad_input_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("workdays", "add", "24/01/2025x", "3")
    assert "workdays.bad_date" in str(exc.value)


def test_api_add_and_between(api):
    client = api("thuebao")
    r = client.get("/api/v1/workdays/add/", {"date": "2025-01-24", "days": 3})
    assert r.status_code == 200 and r.json()["date"] == "2025-02-05"
    r = client.get("/api/v1/workdays/between/", {"start": "2025-01-24", "end": "2025-02-05"})
    assert r.json()["working_days"] == 3
    r = client.get("/api/v1/workdays/add/", {"date": "x", "days": 3})
    assert r.status_code == 400 and r.json()["error"]["code"] == "workdays.bad_date"
