"""Closing a month's payment: its totals archived, the paying units' officers told what they owe, nothing dated in
it afterwards; closed automatically on the 5th Vietnamese working day of the next month (holidays counted out)."""

import datetime as dt

import pytest
from django.core.management import call_command

from kyso.core.errors import Forbidden, InvalidInput, InvalidState
from kyso.sims import report, services
from kyso.sims.models import MonthClose

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(demo, register):
    hn = register(demo.person("HN", "Giám đốc"), "0911000001", carrier="vinaphone", in_service_on=dt.date(2026, 1, 1))
    na = register(demo.person("NA", "Giám đốc"), "0911000002", in_service_on=dt.date(2026, 2, 10))
    return hn, na


def test_closing_archives_and_freezes_the_month(demo, lines, it, as_user, settings):
    from kyso.notify.models import Notification

    hn, na = lines
    with as_user(it):
        closed = services.close_month(it, "2026-02")
    rep = report.payment_report(it, "2026-02")
    assert (closed.lines, closed.total_vnd) == (rep.line_count, rep.total_vnd) and rep.closed == closed
    assert {(g["unit"], g["carrier"]) for g in closed.groups} == {("HN", "vinaphone"), ("NA", "viettel")}
    to_hanoi = Notification.objects.filter(topic="sims.month.closed", recipient=demo.user("hanoi").person.email)
    assert to_hanoi.count() == 1 and "02/2026" in to_hanoi.get().body and "170.000" in to_hanoi.get().body
    with as_user(it):
        for on in ("2026-02-20", "2026-01-31"):
            with pytest.raises(InvalidInput) as exc:
                services.suspend(it, hn, effective_on=on, reason="Thử")
            assert exc.value.code == "sims.month.closed"
        with pytest.raises(InvalidInput) as exc:
            services.register(it, person=demo.person("DN", "Giám đốc"), msisdn="0911000003", carrier="viettel",
                              iccid=services.luhn_complete("898402000000999001"), in_service_on="2026-02-15")
        assert exc.value.as_dict()["field_codes"]["in_service_on"] == "sims.month.closed"
        services.suspend(it, hn, effective_on="2026-03-02", reason="Thử")   # after the closed month: allowed
        with pytest.raises(InvalidState) as exc:
            services.close_month(it, "2026-01")
        assert exc.value.code == "sims.month.already_closed"
        with pytest.raises(InvalidState) as exc:
            services.close_month(it, dt.date.today().strftime("%Y-%m"))
        assert exc.value.code == "sims.month.not_over"
    assert report.payment_report(it, "2026-02").total_vnd == closed.total_vnd


def test_only_the_it_center_closes(demo, lines, as_user):
    hanoi = demo.user("hanoi")
    with as_user(hanoi), pytest.raises(Forbidden):
        services.close_month(hanoi, "2026-02")
    assert not MonthClose.objects.exists()


@pytest.mark.parametrize("month, due", [
    (dt.date(2024, 12, 1), dt.date(2025, 1, 8)),    # 1 January is a holiday: Thu 2, Fri 3, Mon 6, Tue 7, Wed 8
    (dt.date(2026, 1, 1), dt.date(2026, 2, 6)),
    (dt.date(2026, 8, 1), dt.date(2026, 9, 9)),     # National Day, 1–2 September off: Thu 3, Fri 4, Mon 7, 8, 9
])
def test_the_closing_day_counts_vietnamese_working_days(month, due):
    assert services.close_due_on(month) == due


def test_the_daily_job_closes_due_months_and_tells_only_the_latest(demo, lines):
    from kyso.notify.models import Notification

    assert services.close_due_months(dt.date(2026, 3, 5)) != []          # January and... February is not due yet
    assert [f"{c.month:%Y-%m}" for c in MonthClose.objects.order_by("month")] == ["2026-01"]
    closed = services.close_due_months(dt.date(2026, 4, 7))             # 5th working day of April: 7/4
    assert [f"{c.month:%Y-%m}" for c in closed] == ["2026-02", "2026-03"]
    assert services.close_due_months(dt.date(2026, 4, 7)) == []
    sent = Notification.objects.filter(topic="sims.month.closed")
    assert {n.body.split(":")[0] for n in sent} >= {"Cước SIM PKI tháng 01/2026 của BHXH thành phố Hà Nội"}
    assert not [n for n in sent if "02/2026" in n.body]                  # a backlog: only the latest is sent


def test_api_page_and_cli(demo, lines, api, client, capsys):
    assert api("hanoi").post("/api/v1/sims/report/close/", {"month": "2026-01"}, format="json").status_code == 403
    resp = api("cntt").post("/api/v1/sims/report/close/", {"month": "2026-01"}, format="json")
    assert resp.status_code == 201 and resp.json()["lines"] == 1
    assert api("cntt").post("/api/v1/sims/report/close/", {"month": "2026-01"},
                            format="json").json()["error"]["code"] == "sims.month.already_closed"
    assert api("cntt").get("/api/v1/sims/report/?month=2026-01").json()["closed"]["lines"] == 1
    client.force_login(demo.user("cntt"))
    page = client.get("/sims/payment/?month=2026-02").content.decode()
    assert 'name="month" value="2026-02"' in page
    assert client.post("/sims/payment/", {"month": "2026-02"}).status_code == 302
    assert MonthClose.objects.filter(month=dt.date(2026, 2, 1)).exists()
    call_command("sims", "close", "--month", "2026-03", "--as", "cntt")
    assert "03/2026\tđã chốt" in capsys.readouterr().out


def test_the_units_notice_and_a_wrong_month_read_months_as_mm_yyyy(demo, lines, it, as_user, client):
    """The closing notice linked to its statement as "?month=2026-02" and a month typed wrong was answered
    "write it as YYYY-MM (from 2020-02)" (issue 17: months as MM/YYYY)."""
    from kyso.core import pagecheck
    from kyso.notify.models import Notification

    with as_user(it):
        services.close_month(it, "2026-02")
    body = Notification.objects.filter(topic="sims.month.closed").first().body
    assert "/sims/payment/?month=02/2026&unit=" in body and not pagecheck.problems(f"<p>{body}</p>")
    client.force_login(it)
    link = body[body.index("/sims/payment/"):]
    assert client.get(link).status_code == 200
    page = client.get("/sims/payment/", {"month": "13/2026"}).content.decode()
    assert "MM/YYYY (từ 02/2020)" in page and not pagecheck.problems(page)
