"""Issue 16: a submitted file (the D02-TS employee list: every employee's CCCD, birth date and salary) is personal
data. The employer who sent it reads it freely; every read by a staff member is in the audit trail; a staff member
outside the receiving office's scope gets nothing and leaves no trail."""

import json

from django.test import Client

from kyso.accounts.models import User
from kyso.audit.models import AuditRecord
from kyso.portal.dossiers import FILE_READ
from kyso.portal.models import Dossier


def _web(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _reads(file_pk):
    return list(AuditRecord.objects.filter(action=FILE_READ, object_id=str(file_pk)).values_list("actor", flat=True))


def test_staff_reads_of_a_submitted_file_are_audited(employer_api, employer, signed_600):
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json")
    assert r.status_code == 201, r.content
    dossier = Dossier.objects.get(code=r.json()["code"])
    listed = dossier.files.order_by("pk").first()
    url = f"/portal/d/{dossier.code}/files/{listed.pk}/"

    own = _web(employer[0].user.username).get(url)
    assert own.status_code == 200 and b"Signature" in own.content
    assert _reads(listed.pk) == []

    officer = _web("motcua.bd").get(url)
    assert officer.status_code == 200 and officer.content == own.content
    assert _reads(listed.pk) == ["motcua.bd"]

    assert _web("hcm").get(url).status_code == 404
    assert _reads(listed.pk) == ["motcua.bd"]


def _records(file_pk):
    return list(AuditRecord.objects.filter(action=FILE_READ, object_id=str(file_pk)).order_by("seq"))


def test_through_the_api_each_staff_read_is_one_record_refused_reads_none(api, employer_api, signed_600):
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json")
    assert r.status_code == 201, r.content
    dossier = Dossier.objects.get(code=r.json()["code"])
    listed = dossier.files.select_related("file").order_by("pk").first()
    assert [f["id"] for f in r.json()["files"]][0] == listed.pk
    url = f"/api/v1/portal/dossiers/{dossier.code}/files/{listed.pk}/"

    own = employer_api.get(url)
    assert own.status_code == 200 and own.content.startswith(b"<?xml") and own["X-Content-SHA256"] == listed.file.sha256
    assert _records(listed.pk) == []

    officer, auditor, outsider = api("motcua.bd"), api("kiemtoan"), api("hcm")
    for client in (officer, officer, auditor):
        got = client.get(url)
        assert got.status_code == 200 and got.content == own.content
    records = _records(listed.pk)
    assert [r.actor for r in records] == ["motcua.bd", "motcua.bd", "kiemtoan"]      # once per read
    assert all(json.loads(r.after) == {"via": "api.dossier.file", "dossier": dossier.code, "file": listed.file.name}
               and r.unit_path == dossier.unit.path for r in records)

    for refused in (outsider.get(url),                                                 # not his office: 404
                    officer.get(f"/api/v1/portal/dossiers/{dossier.code}/files/999999/"),  # no such file
                    api("thuebao").get(url)):                                          # no right to dossiers: 403
        assert refused.status_code in (403, 404) and "error" in refused.json()
    assert len(_records(listed.pk)) == 3 and not AuditRecord.objects.filter(action=FILE_READ, actor="hcm").exists()


def test_the_page_names_the_dossier_and_the_file(employer_api, signed_600):
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json")
    dossier = Dossier.objects.get(code=r.json()["code"])
    listed = dossier.files.select_related("file").order_by("pk").first()
    assert _web("motcua.bd").get(f"/portal/d/{dossier.code}/files/{listed.pk}/").status_code == 200
    [record] = _records(listed.pk)
    after = json.loads(record.after)
    assert record.actor == "motcua.bd" and after["dossier"] == dossier.code and after["via"] == "dossier.file"
    assert after["file"] == listed.file.name and listed.file.name in record.object_repr
