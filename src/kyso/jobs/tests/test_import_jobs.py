"""The staff import as a job (issue 16, findings 1 and 10): the request answers 202 before any row is written (even
after its commit hooks ran); a worker that dies in the middle of the import leaves nothing of it, and the import
is run again from the start — every person written once, none twice; two submissions of the same file at once are
refused (jobs.overlap)."""

import io

import pytest
from django.utils import timezone

from kyso.jobs.models import Job
from kyso.jobs.worker import drain
from kyso.org import importing
from kyso.org.models import Person

URL = "/api/v1/imports/staff/"
HEADER = "Họ và tên,Giới tính,Ngày sinh,Nơi sinh,Số CCCD,Ngày cấp,Nơi cấp,Chức danh,Mã đơn vị,Thư điện tử,Di động\n"
ROWS = "".join(f"Nguyễn Văn Nhập {i},Nam,14/03/1985,Hà Nội,0010851234{i:02d},01/05/2021,Cục CS QLHC,Chuyên viên,HN.BD,"
               f"nhap{i}@hanoi.vss.gov.vn,09123456{i:02d}\n" for i in range(1, 6))


def _file():
    f = io.BytesIO((HEADER + ROWS).encode())
    f.name = "nhan-su.csv"
    return f


def _imported():
    return Person.objects.filter(email__startswith="nhap", email__endswith="@hanoi.vss.gov.vn").count()


@pytest.mark.django_db
def test_a_worker_dying_mid_import_leaves_nothing_and_the_import_runs_again_once(
        api, demo, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resp = api("hanoi").post(URL, {"file": _file()}, format="multipart")
    assert resp.status_code == 202 and _imported() == 0        # nothing written by the request
    again = api("hanoi").post(URL, {"file": _file()}, format="multipart")
    assert again.status_code == 409 and again.json()["error"]["code"] == "jobs.overlap"

    real = importing.run

    def dies_after_writing(*args, **kwargs):
        real(*args, **kwargs)                 # every row written in the chunk's transaction…
        raise RuntimeError("worker killed")   # …then the worker dies before the checkpoint

    monkeypatch.setattr(importing, "run", dies_after_writing)
    drain()
    job = Job.objects.get(pk=resp.json()["id"])
    assert job.state == "queued" and job.attempts == 1 and _imported() == 0   # rolled back with the chunk
    monkeypatch.setattr(importing, "run", real)
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())            # its retry is due
    assert drain() == 1
    job.refresh_from_db()
    assert job.state == "finished" and job.result["created"] == 5 and job.result["applied"]
    assert _imported() == 5
