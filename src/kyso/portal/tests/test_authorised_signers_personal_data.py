"""Issue 16: a signing authorisation carries the authorised person's identity number (CCCD). Only the officers who
keep the register see it, and every read through the API is in the audit trail (one record per authorisation)."""

from kyso.audit.models import AuditRecord
from kyso.portal.registry import PERSONAL_DATA_READ

URL = "/api/v1/portal/signer-authorisations/"


def _reads(pk):
    return list(AuditRecord.objects.filter(action=PERSONAL_DATA_READ, object_id=str(pk))
                .values_list("actor", flat=True))


def test_every_read_of_an_identity_number_is_audited_and_others_see_none(demo, api):
    officer = api("motcua.hn")
    made = officer.post(URL, {"employer_tax_code": "0100000001", "employer_name": "Công ty Phạm vi",
                              "person_id": "001090012345", "person_name": "Lê Văn Ủy Quyền", "unit": "HN.BD"},
                        format="json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert _reads(pk) == []

    listed = officer.get(URL)
    assert [r["person_id"] for r in listed.json()["results"] if r["id"] == pk] == ["001090012345"]
    assert len(_reads(pk)) == 1
    assert officer.get(f"{URL}{pk}/").json()["person_id"] == "001090012345"
    assert len(_reads(pk)) == 2

    # a subscriber, a clerk of the same city, the IT Center, an officer of another province: nothing shown or read
    for login, code in (("thuebao", 403), ("vanthu.hn", 403), ("cntt", 403), ("hcm", 404)):
        client = api(login)
        assert client.get(f"{URL}{pk}/").status_code == code
        assert "001090012345" not in client.get(URL).content.decode()
    assert _reads(pk) == ["motcua.hn", "motcua.hn"]


def test_ending_an_authorisation_answers_its_identity_number_and_that_read_is_audited(demo, api):
    officer = api("motcua.hn")
    pk = officer.post(URL, {"employer_tax_code": "0100000002", "employer_name": "Công ty Kết thúc",
                            "person_id": "001099012345", "person_name": "Trần Văn Hết", "unit": "HN.BD"},
                      format="json").json()["id"]
    ended = officer.post(f"{URL}{pk}/end/")
    assert ended.status_code == 200 and ended.json()["person_id"] == "001099012345"
    [read] = AuditRecord.objects.filter(action=PERSONAL_DATA_READ, object_id=str(pk), actor="motcua.hn")
    assert "api.end" in str(read.after)
