"""Issue 16, finding 8: an edit runs the same validation as the create, and no text with control characters is
kept — whatever the door (API JSON or form, page, a model saved by any code path). Control characters saved through
an edit used to crash Form 01's DOCX and the XLSX exports later (HTTP 500)."""

import io

import pytest
from django.test import Client
from docx import Document

from kyso.core.errors import InvalidInput
from kyso.lifecycle.models import IssuanceRequest
from kyso.org.models import Person

pytestmark = pytest.mark.django_db
URL = "/api/v1/lifecycle/requests/"


@pytest.fixture
def req(api, demo):
    return api("badinh").post(URL, {"kind": "person", "person": demo.user("thuebao").person.pk}, format="json").json()


def _code(resp):
    return resp.json()["error"]["code"]


@pytest.mark.parametrize("years", [-1, 0, 6, 2**31])
def test_edit_refuses_the_validity_create_refuses(api, demo, req, years):
    client = api("badinh")
    created = client.post(URL, {"kind": "person", "person": demo.person("HN.BD", "Giám đốc").pk,
                                "validity_years": years}, format="json")
    edited = client.post(f"{URL}{req['id']}/edit/", {"validity_years": years}, format="json")
    assert created.status_code == edited.status_code == 400
    assert _code(created) == _code(edited) == "lifecycle.request.validity"
    assert IssuanceRequest.objects.get(pk=req["id"]).validity_years == 5


def test_edit_checks_types_like_create(api, req):
    resp = api("badinh").post(f"{URL}{req['id']}/edit/", {"birth_date": "not a date", "title": "x" * 1000},
                              format="json")
    assert resp.status_code == 400 and set(resp.json()["error"]["fields"]) == {"birth_date", "title"}


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_control_characters_are_refused_on_edit_and_the_documents_still_build(api, req, fmt):
    client = api("badinh")
    resp = client.post(f"{URL}{req['id']}/edit/", {"title": "Chuyên viên\x07\x1b[31m", "residence": "Hà Nội"},
                       format=fmt)
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == "invalid_input.control_characters" and error["field_codes"] == {"title": "control_characters"}
    assert "ký tự điều khiển" in error["message"]
    assert "\x07" not in IssuanceRequest.objects.get(pk=req["id"]).title
    assert client.get(f"{URL}{req['id']}/form01.docx/").status_code == 200


def test_a_person_edit_and_a_unit_edit_refuse_control_characters(api, demo):
    person = demo.person("HN.BD", "Văn thư")
    resp = api("hanoi").patch(f"/api/v1/people/{person.pk}/", {"title": "Văn\x00thư"}, format="json")
    assert resp.status_code == 400 and _code(resp) == "invalid_input.control_characters"
    resp = api("admin").patch("/api/v1/units/HN.BD/", {"name": "BHXH\x0bBa Đình"}, format="json")
    assert resp.status_code == 400 and _code(resp) == "invalid_input.control_characters"


def test_the_page_edit_refuses_control_characters(demo, req):
    browser = Client(HTTP_ACCEPT_LANGUAGE="vi")
    browser.force_login(demo.user("badinh"))
    browser.post(f"/lifecycle/requests/{req['id']}/edit/", {"title": "Chuyên\x08viên", "validity_years": "3"})
    kept = IssuanceRequest.objects.get(pk=req["id"])
    assert "\x08" not in kept.title and kept.validity_years == 5


def test_no_model_keeps_control_characters_whatever_the_code_path(demo, as_user):
    person = demo.person("HN.BD", "Văn thư")
    person.phone_office = "024\x1f3838"
    with as_user(demo.user("admin")), pytest.raises(InvalidInput) as exc:
        person.save()
    assert exc.value.code == "invalid_input.control_characters" and "phone_office" in exc.value.fields
    assert "\x1f" not in Person.objects.get(pk=person.pk).phone_office


def test_old_data_with_control_characters_still_renders(api, req):
    """Text kept before this rule (written around it) is dropped from DOCX instead of a server error."""
    IssuanceRequest.objects.filter(pk=req["id"]).update(title="Chuyên\x07viên")
    resp = api("cntt").get(f"{URL}{req['id']}/form01.docx/")
    assert resp.status_code == 200
    text = "\n".join(p.text for t in Document(io.BytesIO(resp.content)).tables for c in t._cells for p in c.paragraphs)
    text += "\n".join(p.text for p in Document(io.BytesIO(resp.content)).paragraphs)
    assert "Chuyênviên" in text
