"""An import job's page names what was refused as the person wrote it (issue 17, point 2): the column by the
heading of his file ("Ngày sinh", not `birth_date`; "Mã đơn vị cấp trên", not `parent_code`), a file refused
whole by its name, not by the digest that names the job's files."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kyso.core import pagecheck
from kyso.jobs.worker import drain

pytestmark = pytest.mark.django_db

STAFF = ("Họ và tên,Giới tính,Ngày sinh,Nơi sinh,Số CCCD,Ngày cấp,Nơi cấp,Chức danh,Mã đơn vị,Thư điện tử,Di động\n"
         "Nguyễn Văn Bình,Nam,31/02/1985,Hà Nội,001085123456,01/05/2021,Cục CS QLHC,Chuyên viên,HN.BD,"
         "nvbinh@hanoi.vss.gov.vn,0912345678\n")
UNITS = "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Cấp\nHN.ZZ,Phòng thử,NOPE,district\n"
SIMS = "Thư điện tử,Số điện thoại,Nhà mạng,Số serial SIM\nx@y.vn,0911000111,viettel,8984\n"


def _job_page(client, url, name, data, **fields) -> str:
    r = client.post(url, {"file": SimpleUploadedFile(name, data.encode()), **fields})
    assert r.status_code == 302 and r["Location"].startswith("/jobs/"), r.content.decode()[:1500]
    drain()
    html = client.get(r["Location"]).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="main"')[1]))


def test_refused_rows_name_the_files_headings(demo):
    page = _job_page(demo.client("hanoi"), "/org/import/", "nhan-su.csv", STAFF, kind="staff")
    assert "2 Ngày sinh " in page and "birth_date" not in page
    page = _job_page(demo.client("admin"), "/org/import/", "don-vi.csv", UNITS, kind="units")
    assert "2 Mã đơn vị cấp trên " in page and "parent_code" not in page


def test_a_file_refused_whole_is_named_by_its_name(demo):
    client = demo.client("cntt")
    page = _job_page(client, "/sims/import/", "thue-bao-sim.csv", SIMS)
    assert "thue-bao-sim.csv: Thiếu cột: Ngày sử dụng" in page and not re.search(r"[0-9a-f]{40}", page)
    html = client.get("/jobs/").content.decode()
    assert not pagecheck.problems(html)
