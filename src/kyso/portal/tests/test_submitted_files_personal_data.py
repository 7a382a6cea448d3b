"""Issue 16: a submitted file (the D02-TS employee list: every employee's CCCD, birth date and salary) is personal
data. The employer who sent it reads it freely; every read by a staff member is in the audit trail; a staff member
outside the receiving office's scope gets nothing and leaves no trail."""

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
