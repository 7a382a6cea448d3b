"""A file whose rows an import refused is not "1 done": nothing of it was written, and the job's page says so in
words with the rows to correct (issue 17's last point on the job page)."""

import io

import pytest

from kyso.jobs.worker import drain

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Giới tính,Ngày sinh,Nơi sinh,Số CCCD,Ngày cấp,Nơi cấp,Chức danh,Mã đơn vị,Thư điện tử,Di động\n"
GOOD = ("Nguyễn Văn Bình,Nam,14/03/1985,Hà Nội,001085123456,01/05/2021,Cục CS QLHC,Chuyên viên,HN.BD,"
        "nvbinh@hanoi.vss.gov.vn,0912345678\n")
BAD = "Trần Văn C,Nam,31/02/1990,Hà Nội,001090000001,01/05/2021,Cục CS,Chuyên viên,HN.BD,tvc@gmail.com,0912\n"


def _import(api, rows: str) -> int:
    f = io.BytesIO((HEADER + rows).encode())
    f.name = "s.csv"
    r = api("hanoi").post("/api/v1/imports/staff/", {"file": f}, format="multipart")
    assert r.status_code == 202, r.content
    assert drain() == 1
    return int(r.json()["url"].rstrip("/").split("/")[-1])


def test_a_refused_file_is_counted_refused_and_told_in_words(api, demo):
    job = _import(api, GOOD + BAD)
    page = demo.client("hanoi").get(f"/jobs/{job}/").content.decode()
    status = demo.client("hanoi").get(f"/jobs/{job}.json").json()
    assert (status["done"], status["failed"]) == (0, 1)
    assert "Không ghi gì: 1 dòng của tệp bị từ chối" in status["text"] and status["text"] in page
    assert "Đã xong 1" not in page


def test_a_written_file_is_still_one_done(api, demo):
    job = _import(api, GOOD)
    status = demo.client("hanoi").get(f"/jobs/{job}.json").json()
    assert (status["done"], status["failed"]) == (1, 0)
    assert status["text"] == "Đã xong 1, bị từ chối 0, trên tổng số 1"
