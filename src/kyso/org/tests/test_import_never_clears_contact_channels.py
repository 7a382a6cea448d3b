"""A staff import never clears or changes an existing person's e-mail or mobile phone directly (the channels of
his one-time codes: remote-signing OTP, contact-change codes).

What was wrong: one unit officer imported a row for an existing person with her current values but an EMPTY
mobile-phone cell (or no phone column at all); the job wrote the empty value, so her phone was cleared with no
code on the old channel, no second officer and no ContactChange — while the person page and the API refuse it.
Only a non-empty new value went through `org.contacts`. Now a blank or missing e-mail / mobile cell of an existing
person means "not given": the stored value is kept and the report says so per row (`contacts_kept`); a changed
non-empty value still waits as a ContactChange. A new person may still be imported without a mobile phone."""

import io

import pytest
from django.core.management import call_command

from kyso.jobs.worker import drain
from kyso.org.models import ContactChange, Person

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/staff/"
HEADINGS = ["Họ và tên", "Giới tính", "Ngày sinh", "Nơi sinh", "Số CCCD", "Ngày cấp", "Nơi cấp", "Chức danh",
            "Mã đơn vị", "Thư điện tử", "Di động"]


def _csv(person, *, email=None, phone=None, without=(), title=None) -> str:
    """One row for `person` with his current values (title, e-mail, phone overridable); columns in `without` left
    out of the file."""
    values = [person.full_name, "Nam" if person.gender == "male" else "Nữ", f"{person.birth_date:%d/%m/%Y}",
              person.birth_place, person.id_number, f"{person.id_issue_date:%d/%m/%Y}", person.id_issue_place,
              title or person.title, person.unit.code, person.email if email is None else email,
              person.phone_mobile if phone is None else phone]
    keep = [i for i, h in enumerate(HEADINGS) if h not in without]
    return ",".join(HEADINGS[i] for i in keep) + "\n" + ",".join(values[i] for i in keep) + "\n"


def _import(api, text: str, officer="hanoi") -> dict:
    """The import through the API as a job (202), run by the worker; its result is the report."""
    f = io.BytesIO(text.encode())
    f.name = "nhan-su.csv"
    r = api(officer).post(URL, {"file": f}, format="multipart")
    assert r.status_code == 202, r.content
    assert drain() == 1
    job = api(officer).get(r.json()["url"]).json()
    assert job["state"] == "finished", job
    return job["result"]


@pytest.fixture
def person(demo):
    person = Person.objects.select_related("unit").get(pk=demo.user("thuebao").person.pk)
    assert person.phone_mobile and person.email and person.unit.code.startswith("HN")
    return person


def _unchanged_and_noted(report, person, field, stored, row=2):
    assert report["applied"] and report["updated"] == 1 and not report["rejected"], report
    person.refresh_from_db()
    assert getattr(person, field) == stored
    assert not ContactChange.objects.filter(person=person).exists()
    assert report["pending_confirmation"] == []
    [note] = [n for n in report["contacts_kept"] if n["column"] == field]
    assert note["row"] == row and note["code"] == "org.import.contact_kept"
    assert "giữ nguyên" in note["message"]                      # in Vietnamese, as the person reads it


def test_an_empty_mobile_phone_cell_keeps_the_stored_phone(api, person):
    stored = person.phone_mobile
    report = _import(api, _csv(person, phone="", title="Kế toán viên"))
    _unchanged_and_noted(report, person, "phone_mobile", stored)
    assert person.title == "Kế toán viên"                     # the other fields of the row are written


def test_a_file_without_a_mobile_phone_column_keeps_the_stored_phone(api, person):
    stored = person.phone_mobile
    report = _import(api, _csv(person, without=("Di động",)))
    _unchanged_and_noted(report, person, "phone_mobile", stored)


def test_an_empty_email_cell_keeps_the_stored_email(api, person):
    stored = person.email
    report = _import(api, _csv(person, email=""))
    _unchanged_and_noted(report, person, "email", stored)


def test_a_changed_phone_still_waits_for_confirmation_and_is_not_written(api, person):
    stored = person.phone_mobile
    report = _import(api, _csv(person, phone="0987654321"))
    assert report["applied"] and report["pending_confirmation"] == [{"row": 2, "fields": ["phone_mobile"]}]
    assert report["contacts_kept"] == []
    person.refresh_from_db()
    assert person.phone_mobile == stored
    change = ContactChange.objects.get(person=person)
    assert (change.field, change.new_value, change.state) == ("phone_mobile", "0987654321", "pending")


def test_a_new_person_may_still_come_without_a_mobile_phone(api, demo):
    row = ("Nguyễn Văn Mới,Nam,14/03/1985,Hà Nội,001085123499,01/05/2021,Cục CS QLHC,Chuyên viên,HN.BD,"
           "nvmoi@hanoi.vss.gov.vn,\n")
    report = _import(api, ",".join(HEADINGS) + "\n" + row)
    assert report["applied"] and report["created"] == 1 and report["contacts_kept"] == [], report
    assert Person.objects.get(id_number="001085123499").phone_mobile == ""


def test_the_cli_import_keeps_the_stored_phone_too(person, tmp_path, capsys):
    """The server's operator (no Kyso user) is no exception: blank is "not given" for every import."""
    stored = person.phone_mobile
    path = tmp_path / "staff.csv"
    path.write_text(_csv(person, phone=""), encoding="utf-8")
    call_command("import", "staff", str(path))
    assert "org.import.contact_kept" in capsys.readouterr().out
    person.refresh_from_db()
    assert person.phone_mobile == stored and not ContactChange.objects.filter(person=person).exists()


def test_the_job_page_says_in_words_what_was_kept_and_what_waits(api, person, client, demo):
    report = _import(api, _csv(person, email="", phone="0987654321"))
    assert [n["code"] for n in report["notes"]] == ["org.import.contact_kept", "org.import.contact_pending"] or \
        [n["code"] for n in report["notes"]] == ["org.import.contact_pending", "org.import.contact_kept"]
    client.force_login(demo.user("hanoi"))
    job = api("hanoi").get("/api/v1/jobs/").json()["results"][0]
    page = client.get(job["page"]).content.decode()
    assert "Các dòng đã ghi, kèm ghi chú" in page
    assert "Chưa ghi điện thoại di động mới" in page and "thư điện tử công vụ" in page
    assert "phone_mobile" not in page and "org.import" not in page
