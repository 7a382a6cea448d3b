"""Letter 26: certificates issued before Kyso come in from a register (CSV/XLSX) and their files,
through the API and `kyso lifecycle import`; one bad row rejects the whole file with a report of every
rejected row, and nothing is written."""

import io
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from kyso.core.testing import named_file
from kyso.jobs.worker import drain
from kyso.lifecycle.models import Certificate, KeyDevice

from .factories import ExternalCa, der, pem

URL = "/api/v1/lifecycle/certificates/import/"
HEADER = "Loại,Mã đơn vị,Số CCCD,Thư điện tử,Tệp chứng thư,Số hiệu,Hiệu lực đến,Thiết bị,SIM,Trạng thái,Lý do thu hồi\n"


def _files(demo):
    ca = ExternalCa()
    boss, clerk = demo.person("HN.BD", "Giám đốc"), demo.person("HN.BD", "Văn thư")
    c1 = ca.issue(ec.generate_private_key(ec.SECP256R1()).public_key(), boss.full_name, boss.email)
    c2 = ca.issue(ec.generate_private_key(ec.SECP256R1()).public_key(), "BHXH quận Ba Đình")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("chung-thu/to-chuc.cer", der(c2))
    return boss, clerk, c1, c2, archive.getvalue()


def _register(boss, clerk, extra=""):
    return (HEADER
            + f"cá nhân,HN.BD,{boss.id_number},,giam-doc.pem,,,TK-0001,,hoạt động,\n"
            + "tổ chức,HN.BD,,,to-chuc.cer,,,TK-0002,,,\n"
            + f"cá nhân,HN.BD,,{clerk.email},,0A1B2C3D,31/12/2024,,x,thu hồi,d\n" + extra).encode()


def _outcome(client, resp) -> dict:
    """The import is a job (202, never run in the request): run it and read its report."""
    assert resp.status_code == 202, resp.content.decode()
    assert resp.json()["state"] == "queued" and not resp.json()["result"]
    drain()
    job = client.get(resp.json()["url"]).json()
    assert job["state"] == "finished", job
    return job["result"]


@pytest.mark.django_db
def test_import_register_with_files_through_the_api(api, demo):
    boss, clerk, c1, c2, archive = _files(demo)
    resp = api("badinh").post(URL, {"register": named_file(_register(boss, clerk), "so.csv"),
                                    "files": [named_file(pem(c1), "giam-doc.pem"), named_file(archive, "files.zip")]},
                              format="multipart")
    assert _outcome(api("badinh"), resp) == {"applied": True, "imported": 3, "rejected": []}
    person_cert = Certificate.objects.get(serial=format(c1.serial_number, "x"))
    assert person_cert.subscriber.person == boss and person_cert.status == "active"
    assert person_cert.device.serial == "TK-0001" and person_cert.device.state == "issued"
    assert person_cert.source == "imported" and bytes(person_cert.der) == der(c1)
    org = Certificate.objects.get(serial=format(c2.serial_number, "x"))
    assert org.kind == "organization" and org.subscriber.unit.code == "HN.BD"
    old = Certificate.objects.get(serial="0a1b2c3d")
    assert old.status == "revoked" and old.revocation_reason == "d" and old.mobile_sim
    # the same register again: every row is a duplicate now
    again = api("badinh").post(URL, {"register": named_file(_register(boss, clerk), "so.csv"),
                                     "files": [named_file(pem(c1), "giam-doc.pem"), named_file(archive, "files.zip")]},
                               format="multipart")
    report = _outcome(api("badinh"), again)
    assert report["applied"] is False and {r["code"] for r in report["rejected"]} == {"lifecycle.import.duplicate"}


@pytest.mark.django_db
def test_one_bad_row_rejects_the_file_with_a_report(api, demo):
    boss, clerk, c1, c2, archive = _files(demo)
    bad = ("cá nhân,HN.BD,999999999999,,,ABCD,01/01/2030,,,,\n"        # nobody with this ID
           "tổ chức,HN.XX,,,,ABCE,01/01/2030,,,,\n"                      # unknown unit
           "tổ chức,HN.BD,,,thieu.pem,,,,,,\n"                             # missing file
           "tổ chức,HN.BD,,,,zz-not-hex,01/01/2030,,,,\n"                 # unreadable serial
           "tổ chức,HCM,,,,ABCF,01/01/2030,,,,\n")                        # outside Ba Đình's scope
    before = Certificate.objects.count(), KeyDevice.objects.count()
    resp = api("badinh").post(URL, {"register": named_file(_register(boss, clerk, bad), "so.csv"),
                                    "files": [named_file(pem(c1), "giam-doc.pem"), named_file(archive, "files.zip")]},
                              format="multipart")
    report = _outcome(api("badinh"), resp)
    assert report["applied"] is False and report["imported"] == 0
    assert {r["row"]: r["code"] for r in report["rejected"]} == {
        5: "lifecycle.import.person", 6: "lifecycle.import.unit", 7: "lifecycle.import.file_missing",
        8: "lifecycle.import.serial", 9: "lifecycle.import.scope"}
    assert (Certificate.objects.count(), KeyDevice.objects.count()) == before


@pytest.mark.django_db
def test_cli_import_xlsx_dry_run_then_real(demo, tmp_path, capsys):
    boss, clerk, c1, c2, archive = _files(demo)
    wb = Workbook()
    ws = wb.active
    for line in _register(boss, clerk).decode().splitlines():
        ws.append(line.split(","))
    reg = tmp_path / "so-theo-doi.xlsx"
    wb.save(reg)
    (tmp_path / "giam-doc.pem").write_bytes(pem(c1))
    (tmp_path / "files.zip").write_bytes(archive)
    args = ["lifecycle", "import", str(reg), str(tmp_path / "giam-doc.pem"), str(tmp_path / "files.zip"),
            "--user", "badinh"]
    call_command(*args, "--dry-run")
    assert "Hợp lệ: 3" in capsys.readouterr().out and not Certificate.objects.filter(serial="0a1b2c3d").exists()
    call_command(*args)
    assert "Đã nhập: 3" in capsys.readouterr().out and Certificate.objects.filter(serial="0a1b2c3d").exists()
    with pytest.raises(CommandError) as exc:
        call_command(*args)
    assert "không nhập dòng nào" in str(exc.value)
    assert "lifecycle.import.duplicate" in capsys.readouterr().err
