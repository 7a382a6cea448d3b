"""Import of units and staff from CSV/XLSX: a report of rejected rows, nothing half-imported."""

import io

import openpyxl
import pytest

from kyso.jobs.worker import drain
from kyso.org.models import Person, Unit

pytestmark = pytest.mark.django_db

STAFF_HEADER = "Họ và tên,Giới tính,Ngày sinh,Nơi sinh,Số CCCD,Ngày cấp,Nơi cấp,Chức danh,Mã đơn vị,Thư điện tử,Di động\n"
GOOD_ROW = "Nguyễn Văn Bình,Nam,14/03/1985,Hà Nội,001085123456,01/05/2021,Cục CS QLHC,Chuyên viên,HN.BD,nvbinh@hanoi.vss.gov.vn,0912345678\n"
GOOD_ROW2 = "Phạm Thị Lan,Nữ,02/01/2003,Hà Nội,001303000042,01/05/2021,Cục CS QLHC,Chuyên viên,HN.CG,ptlan@hanoi.vss.gov.vn,0912345679\n"


def _post(client, kind, name, data, dry=False):
    return client.post(f"/api/v1/imports/{kind}/" + ("?dry_run=1" if dry else ""),
                       {"file": io.BytesIO(data) if isinstance(data, bytes) else data}, format="multipart")


def _job(client, r) -> dict:
    """An import is a job (202, never run in the request): run it; its result is the report."""
    assert r.status_code == 202, r.content
    assert drain() == 1
    job = client.get(r.json()["url"]).json()
    assert job["state"] == "finished", job
    return job


def _report(client, r) -> dict:
    return _job(client, r)["result"]


def _file(name, data):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_staff_csv_import(api):
    before = Person.objects.count()
    r = _report(api("hanoi"), _post(api("hanoi"), "staff", "s.csv",
                                    _file("s.csv", (STAFF_HEADER + GOOD_ROW + GOOD_ROW2).encode())))
    assert r["created"] == 2 and r["applied"], r
    assert Person.objects.count() == before + 2


def test_one_bad_row_imports_nothing_and_reports_row_numbers(api):
    bad = "Trần Văn C,Nam,31/02/1990,Hà Nội,001090000001,01/05/2021,Cục CS,Chuyên viên,HN.BD,tvc@gmail.com,0912\n"
    out_of_scope = "Lý Văn D,Nam,01/01/1990,Hà Nội,079090000002,01/05/2021,Cục CS,Chuyên viên,HCM.Q1,lvd@hochiminh.vss.gov.vn,0912345670\n"
    before = Person.objects.count()
    data = (STAFF_HEADER + GOOD_ROW + bad + out_of_scope).encode()
    r = _report(api("hanoi"), _post(api("hanoi"), "staff", "s.csv", _file("s.csv", data)))
    assert not r["applied"]
    rejected = r["rejected"]
    assert {(x["row"], x["column"]) for x in rejected} >= {(3, "birth_date"), (4, "unit_code")}
    assert all(x["message"] for x in rejected)
    assert Person.objects.count() == before  # the good row was not imported either


def test_duplicates_inside_the_file(api):
    r = _report(api("hanoi"), _post(api("hanoi"), "staff", "s.csv",
                                    _file("s.csv", (STAFF_HEADER + GOOD_ROW + GOOD_ROW).encode())))
    assert not r["applied"] and any(x["code"] == "import.duplicate" and x["row"] == 3 for x in r["rejected"])


def test_units_xlsx_import_with_parent_later_in_file(api):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cha", "Có con dấu riêng", "Chức năng"])
    ws.append(["HN.BD.T1", "Tổ tiếp nhận 1", "department", "HN.BD.NEW", "không", "one_stop"])
    ws.append(["HN.BD.NEW", "Phòng mới", "department", "HN.BD", "có", "office"])
    buf = io.BytesIO()
    wb.save(buf)
    r = _report(api("admin"), _post(api("admin"), "units", "u.xlsx", _file("u.xlsx", buf.getvalue())))
    assert r["applied"], r
    assert Unit.objects.get(code="HN.BD.T1").parent.code == "HN.BD.NEW"
    assert Unit.objects.get(code="HN.BD.NEW").has_own_seal


def test_units_with_unknown_parent_and_cycle(api):
    data = ("code,name,level,parent_code\n"
            "X.A,A,department,X.B\nX.B,B,department,X.A\nX.C,C,department,NOPE\nX.D,D,nolevel,HN\n").encode()
    before = Unit.objects.count()
    r = _report(api("admin"), _post(api("admin"), "units", "u.csv", _file("u.csv", data)))
    assert not r["applied"]
    codes = {(x["row"], x["code"]) for x in r["rejected"]}
    assert (4, "org.unit.parent_not_found") in codes and (5, "org.level.not_found") in codes
    assert any(c == "org.unit.cycle" for _r, c in codes)
    assert Unit.objects.count() == before


@pytest.mark.parametrize("name,data,code", [
    ("s.csv", b"", "import.empty"),
    ("s.pdf", b"%PDF-1.7", "import.format"),
    ("s.xlsx", b"PK\x03\x04 broken zip", "import.xlsx"),
    ("s.csv", "Họ và tên\nA\n".encode(), "import.missing_columns"),
])
def test_unreadable_files(api, name, data, code):
    """Refused at once when it costs nothing (empty, not a table); otherwise the job says why, nothing written."""
    before = Person.objects.count()
    r = _post(api("hanoi"), "staff", name, _file(name, data))
    if r.status_code == 400:
        assert r.json()["error"]["code"] == code
    else:
        job = _job(api("hanoi"), r)
        assert [f["code"] for f in job["failed"]] == [code] and job["done"] == 0 and not job["result"]
    assert Person.objects.count() == before


def test_dry_run_writes_nothing(api):
    before = Person.objects.count()
    r = _report(api("hanoi"), _post(api("hanoi"), "staff", "s.csv", _file("s.csv", (STAFF_HEADER + GOOD_ROW).encode()),
                                    dry=True))
    assert not r["applied"] and not r["rejected"] and r["total"] == 1
    assert Person.objects.count() == before


def test_cli_import_reports_rows_and_exits_non_zero(demo, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    bad = tmp_path / "staff.csv"
    bad.write_text(STAFF_HEADER + GOOD_ROW.replace("nvbinh@hanoi.vss.gov.vn", "nvbinh@yahoo.com"), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import", "staff", str(bad))
    assert exc.value.returncode == 1
    assert "dòng 2, cột email" in capsys.readouterr().err
    good = tmp_path / "ok.csv"
    good.write_text(STAFF_HEADER + GOOD_ROW, encoding="utf-8")
    call_command("import", "staff", str(good))
    assert Person.objects.filter(email="nvbinh@hanoi.vss.gov.vn").exists()
