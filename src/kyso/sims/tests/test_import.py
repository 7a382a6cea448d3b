"""Importing a list of lines (CSV/XLSX): every row checked as the form checks it; one refusal and nothing is
written; Vietnamese headers; the same through the API and the CLI."""

import io

import pytest
from django.core.management import call_command

from kyso.jobs.worker import drain
from kyso.sims import importing
from kyso.sims.models import SimSubscription

from .conftest import iccid

pytestmark = pytest.mark.django_db


def _csv(demo, rows):
    head = "Thư điện tử,Số điện thoại,Nhà mạng,Số serial SIM,Ngày sử dụng,Gói cước,Cước dữ liệu\n"
    return (head + "".join(",".join(r) + "\n" for r in rows)).encode()


def _rows(demo):
    return [[demo.person("NA", "Giám đốc").email, "0911 111 111", "Viettel", iccid(1), "01/03/2026", "", ""],
            [demo.person("NA", "Phó Giám đốc").email, "0911111112", "VNPT", iccid(2), "2026-03-01", "", "110.000"],
            [demo.person("HN.BD", "Giám đốc").email, "0911111113", "MobiFone", iccid(3), "01/03/2026", "4", ""]]


def test_a_good_list_is_imported(demo, it, as_user):
    with as_user(it):
        rep = importing.import_subscriptions("ds.csv", _csv(demo, _rows(demo)), actor=it)
    assert rep.applied and rep.created == 3 and not rep.rejected
    subs = {s.msisdn: s for s in SimSubscription.objects.all()}
    assert subs["+84911111111"].plan.tier == 3 and subs["+84911111112"].plan.tier == 4
    assert subs["+84911111112"].carrier == "vinaphone" and subs["+84911111112"].data_fee_vnd == 110000
    assert subs["+84911111113"].plan.tier == 4


def test_one_bad_row_and_nothing_is_written(demo, it, as_user):
    rows = _rows(demo)
    rows[1][3] = "8984020000000000002"              # wrong check digit
    rows[2][1] = rows[0][1]                          # the same number twice in the file
    rows.append(["ai.do@vss.gov.vn", "0911111119", "Viettel", iccid(9), "01/03/2019", "", ""])
    with as_user(it):
        rep = importing.import_subscriptions("ds.csv", _csv(demo, rows), actor=it)
    assert not rep.applied and rep.created == 0
    got = {(r.row, r.column, r.code) for r in rep.rejected}
    assert got == {(3, "iccid", "sims.iccid.checksum"), (4, "msisdn", "sims.msisdn.taken"),
                   (5, "email", "sims.person.not_found")}
    assert not SimSubscription.objects.exists()


def test_dry_run_checks_without_writing(demo, it, as_user):
    with as_user(it):
        rep = importing.import_subscriptions("ds.csv", _csv(demo, _rows(demo)), actor=it, dry_run=True)
    assert not rep.applied and not rep.rejected and not SimSubscription.objects.exists()


def test_xlsx_with_spreadsheet_dates(demo, it, as_user):
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["email", "msisdn", "carrier", "iccid", "in_service_on"])
    ws.append([demo.person("DN", "Giám đốc").email, "0911111111", "mobifone", iccid(1), dt.datetime(2026, 2, 1)])
    buf = io.BytesIO()
    wb.save(buf)
    with as_user(it):
        rep = importing.import_subscriptions("ds.xlsx", buf.getvalue(), actor=it)
    assert rep.applied, rep.as_dict()
    assert SimSubscription.objects.get().in_service_on == dt.date(2026, 2, 1)


@pytest.mark.parametrize("data, code", [(b"", "import.empty"), (b"a,b\n1,2\n", "import.missing_columns"),
                                        (b"\x00\x01\x02binary", "import.format"), (b"PK\x03\x04garbage", None)])
def test_unreadable_files_are_refused(demo, it, data, code):
    from kyso.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        importing.import_subscriptions("x.xlsx" if data.startswith(b"PK") else "x.csv", data, actor=it)
    assert exc.value.code == code if code else exc.value.code.startswith("import.")
    assert not SimSubscription.objects.exists()


def test_the_api_and_the_cli(demo, api, tmp_path, capsys):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api("cntt")
    data = _csv(demo, _rows(demo))
    resp = client.post("/api/v1/sims/import/", {"file": SimpleUploadedFile("ds.csv", data), "dry_run": "true"},
                       format="multipart")
    assert resp.status_code == 202 and resp.json()["state"] == "queued"   # a job: never run in the request
    assert drain() == 1
    job = client.get(resp.json()["url"]).json()
    assert job["state"] == "finished" and job["result"]["applied"] is False and job["result"]["total"] == 3
    assert not SimSubscription.objects.exists()
    assert api("hanoi").post("/api/v1/sims/import/", {"file": SimpleUploadedFile("ds.csv", data)},
                             format="multipart").json()["error"]["code"] == "forbidden"
    path = tmp_path / "ds.csv"
    path.write_bytes(data)
    call_command("sims", "import", str(path), "--as", "cntt")
    assert SimSubscription.objects.count() == 3
    with pytest.raises(SystemExit):
        call_command("sims", "import", str(path), "--as", "cntt")   # now every number is taken
    assert "sims.msisdn.taken" in capsys.readouterr().err
    assert SimSubscription.objects.count() == 3


def test_cli_list_and_report(demo, register, tmp_path, capsys):
    import datetime as dt
    import json

    register(demo.person("HN", "Giám đốc"), "0911000001", in_service_on=dt.date(2026, 1, 1))
    call_command("sims", "list", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [r["msisdn"] for r in rows] == ["+84911000001"]
    call_command("sims", "report", "--month", "2026-02")
    out = capsys.readouterr().out
    assert "HN\tviettel\t1\t170000" in out and "TỔNG\t\t1\t170000" in out
    call_command("sims", "report", "--month", "2026-02", "--output", "pdf", "--out", str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("sims", "report", "--month", "02-2026")
    assert "sims.month.invalid" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("sims", "import", str(tmp_path / "none.csv"), "--as", "nobody")
    assert "accounts.user.not_found" in str(exc.value)


def test_a_list_longer_than_the_agency_is_refused_before_any_row(demo, it, monkeypatch):
    from kyso.core.errors import InvalidInput

    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    with pytest.raises(InvalidInput) as exc:
        importing.import_subscriptions("ds.csv", _csv(demo, _rows(demo)), actor=it)
    assert exc.value.code == "import.too_many_rows" and not SimSubscription.objects.exists()
