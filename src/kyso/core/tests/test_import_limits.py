"""Issue 16, finding 7 (imports): an import refuses, quickly, with a clear Vietnamese message and nothing written,
a file whose uncompressed size, number of parts, rows or columns exceed the limits stated as settings
(`KYSO_IMPORT_MAX_*`). The zip directory is read before the workbook is opened: a 53 KB zip bomb (53 MB once
unpacked, which took 1.4 GB through the workbook reader) is refused from its directory alone."""

import io
import time
import zipfile

import openpyxl
import pytest

from kyso.core.errors import InvalidInput
from kyso.core.testing import named_file
from kyso.core.tables import read_table
from kyso.lifecycle.models import Certificate
from kyso.org.models import Person
from kyso.sims.models import SimSubscription

ALIASES = {"name": ["Họ và tên"], "code": ["Mã đơn vị"]}

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"/>')


def _deflated_bomb(unpacked: int) -> bytes:
    """An XLSX-looking zip whose sheet inflates to `unpacked` bytes of blanks (deflate's ~1000:1)."""
    chunk = b" " * (1024 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("xl/worksheets/sheet1.xml", "w") as member:
            member.write(b"<worksheet>")
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
    return buf.getvalue()


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _refused(data: bytes, name="ds.xlsx") -> tuple[str, float]:
    start = time.perf_counter()
    with pytest.raises(InvalidInput) as exc:
        read_table(name, data, ALIASES, ["name"])
    return exc.value.code, time.perf_counter() - start


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _deflated_bomb(53 * 1024 * 1024)


def test_a_53_kb_zip_bomb_is_refused_from_its_directory(bomb):
    assert len(bomb) < 60 * 1024
    code, seconds = _refused(bomb)
    assert code == "import.uncompressed_too_large"
    print(f"{len(bomb) // 1024} KB zip bomb refused in {seconds * 1000:.1f} ms")


def test_a_compression_ratio_no_spreadsheet_has(settings):
    settings.KYSO_IMPORT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
    assert _refused(_deflated_bomb(20 * 1024 * 1024))[0] == "import.zip_bomb"


def test_too_many_parts():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(101):
            z.writestr(f"xl/media/p{i}.xml", b"<x/>")
    assert _refused(buf.getvalue())[0] == "import.zip_entries"


def test_too_many_columns_declared_or_hidden(settings):
    assert _refused(_xlsx([[f"c{i}" for i in range(61)]]))[0] == "import.too_many_columns"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Họ và tên"
    wb.active["XFD1048576"] = "x"           # one far cell: 16,384 columns × a million rows in a 5 KB file
    buf = io.BytesIO()
    wb.save(buf)
    assert _refused(buf.getvalue())[0] == "import.too_many_columns"


def test_a_sheet_that_lies_about_its_size_is_still_bounded(settings):
    settings.KYSO_IMPORT_MAX_ROWS = 50
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Họ và tên"
    wb.active["A1048576"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    # rewrite the sheet's declared size to a single cell
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'ref="A1:A1048576"', b'ref="A1"')
            z.writestr(info, data)
    assert _refused(out.getvalue())[0] == "import.too_many_rows"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_too_many_rows(settings, fmt):
    settings.KYSO_IMPORT_MAX_ROWS = 5
    rows = [["Họ và tên"]] + [[f"Người {i}"] for i in range(6)]
    data = _xlsx(rows) if fmt == "xlsx" else "\n".join(r[0] for r in rows).encode()
    assert _refused(data, f"ds.{fmt}")[0] == "import.too_many_rows"
    settings.KYSO_IMPORT_MAX_ROWS = 6
    assert len(read_table(f"ds.{fmt}", data, ALIASES, ["name"]).rows) == 6


def test_a_file_within_the_limits_is_read():
    table = read_table("ds.xlsx", _xlsx([[], ["Họ và tên", "Mã đơn vị"], ["Nguyễn Văn A", "HN.BD"]]),
                       ALIASES, ["name"])
    assert [r for _n, r in table.rows] == [{"name": "Nguyễn Văn A", "code": "HN.BD"}]


@pytest.mark.django_db
def test_every_import_refuses_the_bomb_in_vietnamese_and_writes_nothing(api, bomb):
    before = (Person.objects.count(), Certificate.objects.count(), SimSubscription.objects.count())
    calls = [
        (api("hanoi"), "/api/v1/imports/staff/", {"file": named_file(bomb, "nhan-su.xlsx")}),
        (api("admin"), "/api/v1/imports/units/", {"file": named_file(bomb, "don-vi.xlsx")}),
        (api("badinh"), "/api/v1/lifecycle/certificates/import/", {"register": named_file(bomb, "so.xlsx")}),
        (api("badinh"), "/api/v1/lifecycle/certificates/import/",
         {"register": named_file(b"Loai\n", "so.csv"), "files": [named_file(bomb, "chung-thu.zip")]}),
        (api("cntt"), "/api/v1/sims/import/", {"file": named_file(bomb, "sim.xlsx")}),
    ]
    for client, url, body in calls:
        start = time.perf_counter()
        resp = client.post(url, body, format="multipart")
        seconds = time.perf_counter() - start
        assert resp.status_code == 400, (url, resp.status_code, resp.content[:300])
        error = resp.json()["error"]
        assert error["code"] == "import.uncompressed_too_large", (url, error)
        assert "Tệp" in error["message"] and "MB" in error["message"], error["message"]
        print(f"{url}: refused in {seconds * 1000:.0f} ms")
    assert (Person.objects.count(), Certificate.objects.count(), SimSubscription.objects.count()) == before
