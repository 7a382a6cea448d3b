"""Staff records: validation, uniqueness, scope, via the API."""

import pytest

pytestmark = pytest.mark.django_db

VALID = {
    "full_name": "Lê Thị Hoa", "gender": "female", "birth_date": "1988-07-09", "birth_place": "Nghệ An",
    "id_type": "cccd", "id_number": "040188000777", "id_issue_date": "2022-03-01",
    "id_issue_place": "Cục Cảnh sát QLHC về TTXH", "unit": "HN.BD", "email": "lthoa@hanoi.vss.gov.vn",
    "phone_mobile": "0987654321", "title": "Chuyên viên",
}


def test_create_person_through_api(api):
    r = api("badinh").post("/api/v1/people/", VALID, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["unit"] == "HN.BD"


def test_invalid_person_reports_each_field_with_a_code(api):
    bad = {**VALID, "id_number": "040188000777"[:-1], "email": "lthoa@gmail.com", "phone_mobile": "12"}
    r = api("badinh").post("/api/v1/people/", bad, format="json")
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "org.person.invalid"
    assert err["field_codes"] == {"id_number": "org.id.cccd_format", "email": "org.email_not_government",
                                  "phone_mobile": "org.phone_format"}
    assert all(err["fields"][k] for k in err["field_codes"])


def test_duplicate_identity_number(api):
    assert api("badinh").post("/api/v1/people/", VALID, format="json").status_code == 201
    r = api("badinh").post("/api/v1/people/", {**VALID, "email": "other@hanoi.vss.gov.vn"}, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "org.person.id_taken"


def test_missing_fields(api):
    r = api("badinh").post("/api/v1/people/", {"full_name": "X"}, format="json")
    assert r.status_code == 400 and "birth_date" in r.json()["error"]["fields"]


def test_messages_are_vietnamese_by_default_and_english_on_request(api):
    bad = {**VALID, "email": "lthoa@gmail.com"}
    vi = api("badinh").post("/api/v1/people/", bad, format="json").json()["error"]
    en = api("badinh").post("/api/v1/people/", bad, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert vi["code"] == en["code"] == "org.person.invalid"
    assert "gov.vn" in vi["fields"]["email"][0] and vi["fields"]["email"][0] != en["fields"]["email"][0]
    assert "địa chỉ" in vi["fields"]["email"][0].lower()


def test_move_out_of_scope_is_refused(api, demo):
    person = demo.person("HN.BD", "Chuyên viên")
    r = api("badinh").patch(f"/api/v1/people/{person.pk}/", {"unit": "HCM.Q1"}, format="json")
    assert r.status_code == 403
    person.refresh_from_db()
    assert person.unit.code == "HN.BD"
