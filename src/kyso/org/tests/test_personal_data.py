"""Issue 16, personal data: a staff record's identity number, birth, residence and personal phones (the mobile
phone receives the person's one-time codes) are shown in full only to the person and to whom keeps the records of
his unit (the unit officer, the IT Center), each record shown so audited as org.personal_data.read; a leader, a
clerk or the auditor sees them masked but for the last 3 characters, and a search by identity number finds nobody
for them (it would tell the number)."""

import json

import pytest

from kyso.audit.models import AuditRecord
from kyso.org import privacy


@pytest.fixture
def person(demo):
    p = demo.unit("HN.BD").people.exclude(id_number="").exclude(phone_mobile="").order_by("pk").first()
    assert p.id_number and p.birth_date and p.phone_mobile
    if not p.residence:
        p.residence = "12 Phố Kim Mã, Ba Đình, Hà Nội"
        from django.db import transaction

        from kyso.core.context import acting_as
        with acting_as(label="test-setup", channel="cli"), transaction.atomic():
            p.save()
    return p


def _reads(person):
    return AuditRecord.objects.filter(action=privacy.READ, object_id=str(person.pk))


def _everything(client, person) -> str:
    """The staff page, the API's detail and list (by unit)."""
    return "\n".join([client.get(f"/org/people/{person.pk}/").content.decode(),
                      client.get(f"/api/v1/people/{person.pk}/").content.decode(),
                      client.get(f"/api/v1/people/?unit={person.unit.code}").content.decode()])


def _secrets(person):
    return [person.id_number, person.birth_date.strftime("%d/%m/%Y"), person.birth_date.isoformat(),
            person.phone_mobile, person.residence]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["lanhdao", "vanthu.hn", "kiemtoan"])
def test_a_leader_a_clerk_and_the_auditor_see_it_masked_and_nothing_is_written(client, demo, person, who):
    client.force_login(demo.user(who))
    shown = _everything(client, person)
    assert person.full_name in shown, who          # they still see the record
    for value in _secrets(person):
        assert value not in shown, (who, value)
    assert privacy.mask_value(person.id_number) in shown
    assert not _reads(person).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["lanhdao", "vanthu.hn", "kiemtoan"])
def test_a_search_by_identity_number_is_no_oracle_for_them(client, demo, person, who):
    client.force_login(demo.user(who))
    assert person.full_name not in client.get("/org/people/", {"q": person.id_number}).content.decode()
    assert client.get("/api/v1/people/", {"q": person.id_number}).json()["results"] == []
    assert person.full_name in client.get("/org/people/", {"q": person.full_name}).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["hanoi", "cntt", "badinh"])
def test_whom_keeps_the_records_sees_it_and_each_read_is_audited(client, demo, person, who):
    client.force_login(demo.user(who))
    shown = _everything(client, person)
    for value in [person.id_number, person.birth_date.strftime("%d/%m/%Y"), person.phone_mobile, person.residence]:
        assert value in shown, (who, value)
    reads = _reads(person)
    assert reads.count() == 3 and {r.actor for r in reads} == {who}
    assert sorted(json.loads(r.after)["via"] for r in reads) == ["api.detail", "api.list", "page.detail"]
    assert person.full_name in client.get("/org/people/", {"q": person.id_number}).content.decode()
    assert client.get(f"/org/people/{person.pk}/edit/").status_code == 200
    assert _reads(person).count() == 4


@pytest.mark.django_db
def test_the_person_sees_his_own(client, demo):
    user = demo.user("thuebao")
    me = user.person
    client.force_login(user)
    page = client.get(f"/org/people/{me.pk}/").content.decode()
    assert me.id_number in page
    assert _reads(me).count() == 1


@pytest.mark.django_db
def test_creating_a_record_with_someone_elses_number_names_nobody_outside_the_scope(api, demo):
    other = demo.unit("HCM").people.filter(id_type="cccd").exclude(id_number="").order_by("pk").first()
    body = {"full_name": "Lê Thị Hoa", "gender": other.gender, "birth_date": other.birth_date.isoformat(),
            "birth_place": "Nghệ An",
            "id_type": "cccd", "id_number": other.id_number, "id_issue_date": "2022-03-01",
            "id_issue_place": "Cục Cảnh sát QLHC về TTXH", "unit": "HN.BD", "email": "lthoa@hanoi.vss.gov.vn",
            "phone_mobile": "0987654321", "title": "Chuyên viên"}
    r = api("hanoi").post("/api/v1/people/", body, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "org.person.id_taken"
    assert other.full_name not in r.content.decode()
    r = api("cntt").post("/api/v1/people/", body, format="json")      # agency-wide: may be told whose it is
    assert r.status_code == 409 and other.full_name in r.content.decode()
