"""The monthly payment report: days in service pro rata under the terms in force on each day, the connection fee
in the first month, grouped by paying unit and carrier, within the reader's scope; XLSX and PDF as printed."""

import datetime as dt
import io
import shutil
import subprocess

import pytest

from kyso.sims import report, services
from kyso.sims.models import DataPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(demo, register, it, as_user):
    """Nghệ An's director: in service 10/03/2026; suspended 11–20/04; tier 1 terms from 16/05; ended 11/06."""
    sub = register(demo.person("NA", "Giám đốc"), "0911111111", in_service_on=dt.date(2026, 3, 10))
    with as_user(it):
        services.suspend(it, sub, effective_on="2026-04-11", reason="Đi học dài hạn")
        services.resume(it, sub, effective_on="2026-04-21")
        services.change_terms(it, sub, effective_on="2026-05-16", plan=DataPlan.objects.get(tier=1))
        services.end(it, sub, effective_on="2026-06-11", reason="Nghỉ hưu")
    return sub


@pytest.mark.parametrize("month, days, data, line, connection", [
    ("2026-02", None, 0, 0, 0),
    ("2026-03", 22, 85161, 35484, 35000),      # 10–31/03: 22/31 of 120 000 and 50 000, plus the connection
    ("2026-04", 20, 80000, 33333, 0),          # 1–10 and 21–30/04
    ("2026-05", 31, 135484, 50000, 0),         # 15 days at 120 000 and 16 at 150 000, over 31
    ("2026-06", 10, 50000, 16667, 0),          # 1–10/06 at 150 000
    ("2026-07", None, 0, 0, 0),
])
def test_days_in_service_are_billed_pro_rata(history, it, month, days, data, line, connection):
    rep = report.payment_report(it, month)
    if days is None:
        assert rep.groups == [] and rep.total_vnd == 0
        return
    (group,) = rep.groups
    (x,) = group.lines
    assert (x.days, x.data_vnd, x.line_vnd, x.connection_vnd) == (days, data, line, connection)
    assert rep.total_vnd == data + line + connection


def test_past_months_stay_as_they_were_after_later_changes(history, it):
    assert report.payment_report(it, "2026-03").total_vnd == 85161 + 35484 + 35000


def test_grouped_by_paying_unit_and_carrier_within_scope(demo, register, it):
    register(demo.person("HN", "Giám đốc"), "0911000001", carrier="vinaphone", in_service_on=dt.date(2026, 1, 1))
    register(demo.person("HN", "Phó Giám đốc"), "0911000002", carrier="viettel", in_service_on=dt.date(2026, 1, 1))
    register(demo.person("HCM", "Giám đốc"), "0911000003", carrier="mobifone", in_service_on=dt.date(2026, 1, 1))
    register(demo.person("VSS", "Tổng Giám đốc"), "0911000004", carrier="viettel", in_service_on=dt.date(2026, 1, 1))
    rep = report.payment_report(it, "02/2026")
    keys = [(g.unit.code, g.carrier) for g in rep.groups]
    assert sorted(keys) == sorted([("HN", "vinaphone"), ("HN", "viettel"), ("HCM", "mobifone"), ("VSS", "viettel")])
    # A full month: the monthly fees exactly, no connection fee.
    assert rep.total_vnd == 4 * 50000 + 3 * 120000 + 150000
    hanoi = report.payment_report(demo.user("hanoi"), "2026-02")
    assert {g.unit.code for g in hanoi.groups} == {"HN"}
    assert report.payment_report(demo.user("kiemtoan"), "2026-02").total_vnd == rep.total_vnd
    assert report.payment_report(demo.user("thuebao"), "2026-02").groups == []
    only_hcm = report.payment_report(it, "2026-02", unit=demo.unit("HCM"))
    assert [g.unit.code for g in only_hcm.groups] == ["HCM"]


@pytest.mark.parametrize("value", ["", "2026", "2026-13", "13/2026", "2019-12", "abc"])
def test_a_bad_month_is_refused(value):
    from kyso.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        report.parse_month(value)
    assert exc.value.code == "sims.month.invalid"


def test_xlsx_and_pdf_as_printed(history, it, tmp_path):
    from openpyxl import load_workbook

    rep = report.payment_report(it, "2026-03")
    ws = load_workbook(io.BytesIO(report.to_xlsx(rep))).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "BẢNG KÊ CƯỚC SIM PKI THÁNG 03/2026" in values
    assert "0911111111" in values and 155645 in values
    pdf = report.to_pdf(rep)
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        (tmp_path / "r.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "BẢNG KÊ THANH TOÁN CƯỚC SIM PKI" in text and "155.645" in text and "0911111111" in text
