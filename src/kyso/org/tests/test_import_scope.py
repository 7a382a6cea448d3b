"""Staff import changes only people inside the importer's unit subtree (issue 16, finding 1, HIGH).

Matching by CCCD must not reach a person of another unit: a provincial officer once overwrote a leader's
unit, e-mail and phone — the phone that receives his remote-signing one-time codes."""

import io

import pytest

from kyso.audit.models import AuditRecord
from kyso.jobs.worker import drain
from kyso.org.models import ContactChange, Person

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Giới tính,Ngày sinh,Nơi sinh,Số CCCD,Ngày cấp,Nơi cấp,Chức danh,Mã đơn vị,Thư điện tử,Di động\n"
NEW_ROW = "Nguyễn Văn Bình,Nam,14/03/1985,Hà Nội,001085123456,01/05/2021,Cục CS QLHC,Chuyên viên,HN.BD,nvbinh@hanoi.vss.gov.vn,0912345678\n"


def _csv(text):
    f = io.BytesIO(text.encode())
    f.name = "staff.csv"
    return f


def _report(client, r) -> dict:
    """The import is a job (202, never run in the request): run it; its result is the report."""
    assert r.status_code == 202, r.content
    drain()
    job = client.get(r.json()["url"]).json()
    assert job["state"] == "finished", job
    return job["result"]


def _row_for(person, *, unit, email, phone):
    return (f"{person.full_name},{'Nam' if person.gender == 'male' else 'Nữ'},{person.birth_date:%d/%m/%Y},"
            f"{person.birth_place},{person.id_number},{person.id_issue_date:%d/%m/%Y},{person.id_issue_place},"
            f"{person.title},{unit},{email},{phone}\n")


def test_a_row_naming_a_leader_outside_the_subtree_is_refused_and_nothing_is_written(api, demo):
    leader = demo.user("lanhdao").person
    before = Person.objects.values_list("pk", "unit_id", "email", "phone_mobile").get(pk=leader.pk)
    count = Person.objects.count()
    row = _row_for(leader, unit="HN.BD", email="attacker@hanoi.vss.gov.vn", phone="0987000111")
    r = _report(api("hanoi"), api("hanoi").post("/api/v1/imports/staff/", {"file": _csv(HEADER + NEW_ROW + row)},
                                                format="multipart"))
    assert not r["applied"]
    [rej] = [x for x in r["rejected"] if x["row"] == 3]
    assert rej["code"] == "org.import.person_out_of_scope" and rej["column"] == "id_number"
    assert "ngoài phạm vi" in rej["message"]
    assert Person.objects.values_list("pk", "unit_id", "email", "phone_mobile").get(pk=leader.pk) == before
    assert Person.objects.count() == count  # the good row was not written either
    assert not ContactChange.objects.exists()


def test_even_a_dry_run_does_not_reveal_more_than_the_refusal(api, demo):
    leader = demo.user("lanhdao").person
    row = _row_for(leader, unit="HN", email=leader.email, phone=leader.phone_mobile or "0912000000")
    r = _report(api("hanoi"), api("hanoi").post("/api/v1/imports/staff/?dry_run=1", {"file": _csv(HEADER + row)},
                                                format="multipart"))
    assert r["rejected"][0]["code"] == "org.import.person_out_of_scope"
    assert leader.full_name not in str(r)


def test_a_person_inside_the_subtree_is_updated_but_his_phone_waits_for_confirmation(api, demo):
    person = demo.user("thuebao").person
    old_phone = person.phone_mobile
    row = _row_for(person, unit="HN.BD", email=person.email, phone="0987654321").replace(person.title, "Kế toán viên")
    r = _report(api("hanoi"), api("hanoi").post("/api/v1/imports/staff/", {"file": _csv(HEADER + row)},
                                                format="multipart"))
    assert r["applied"], r
    assert r["updated"] == 1 and r["pending_confirmation"] == [{"row": 2, "fields": ["phone_mobile"]}]
    person.refresh_from_db()
    assert person.title == "Kế toán viên"           # ordinary fields applied
    assert person.phone_mobile == old_phone          # the channel of one-time codes is not
    change = ContactChange.objects.get(person=person)
    assert (change.state, change.new_value, change.field) == ("pending", "0987654321", "phone_mobile")
    assert AuditRecord.objects.filter(action="org.contact.request", object_type="org.contactchange",
                                      object_id=str(change.pk)).exists()


def test_the_cli_operator_imports_for_the_whole_agency(demo, tmp_path):
    """The server's operator (the CLI, no Kyso user) is not bound to a subtree."""
    from django.core.management import call_command

    path = tmp_path / "staff.csv"
    path.write_text(HEADER + NEW_ROW.replace("HN.BD", "HCM.Q1"))
    call_command("import", "staff", str(path))
    assert Person.objects.filter(id_number="001085123456", unit__code="HCM.Q1").exists()


def test_the_import_page_hands_the_file_to_a_job_whose_page_lists_the_refusal(client, demo):
    leader = demo.user("lanhdao").person
    row = _row_for(leader, unit="HN.BD", email="attacker@hanoi.vss.gov.vn", phone="0987000111")
    client.force_login(demo.user("hanoi"))
    resp = client.post("/org/import/", {"kind": "staff", "file": _csv(HEADER + NEW_ROW + row)})
    assert resp.status_code == 302 and resp["Location"].startswith("/jobs/")   # never run in the request
    assert not Person.objects.filter(id_number="001085123456").exists()
    drain()
    page = client.get(resp["Location"]).content.decode()
    assert "ngoài phạm vi quản lý" in page and "org.import" not in page and "không ghi gì từ tệp" in page
    assert not Person.objects.filter(id_number="001085123456").exists()
    assert Person.objects.get(pk=leader.pk).email != "attacker@hanoi.vss.gov.vn"
