"""A schemathesis run against the OpenAPI document found answers that did not follow it:

- null where the document said non-null: fields declared `default=None`, or read through a nullable relation
  (`source="device.serial"`), or a read-only related field, without `allow_null=True` — a root unit's `parent`, a
  job's `unit`, a certificate's `device` and `request`, a device's `holder`, a list's `sent_to`, an e-mail's
  `assignee`, a SIM line's `certificate`, a request's `held_by` and its personal fields (null when not revealed,
  and always for an organisation);
- `GET /api/v1/portal/statistics/` answered `from`/`to` where the document promised `start`/`end`;
- `GET /api/v1/units/{code}/children/` answered a plain list, documented as a page;
- `GET /api/v1/people/` answered a masked `birth_date`/`id_issue_date` ("•••••••-26") documented as `format: date`;
- the ETSI XML report of `POST /api/v1/verify?as=etsi`, the Word and Excel forms: media types not documented.

`undocumented` now also judges nulls, JSON types, dates and enums, so each answer here is held to the document."""

import importlib
import inspect
import io
import pkgutil

import pytest
from rest_framework import serializers

import kyso
from kyso.core.testing import undocumented


def _ok(r, status=200):
    assert r.status_code == status, r.content
    return r.json()


@pytest.mark.django_db
def test_a_root_unit_and_a_unit_s_children(api, openapi):
    admin = api("admin")
    root = _ok(admin.get("/api/v1/units/VSS/"))
    assert root["parent"] is None
    assert undocumented(openapi, "/api/v1/units/{code}/", "get", 200, root) == []
    children = _ok(admin.get("/api/v1/units/HN/children/"))
    assert isinstance(children, list) and children         # a plain list, as documented — not a page
    assert undocumented(openapi, "/api/v1/units/{code}/children/", "get", 200, children) == []
    op = openapi["paths"]["/api/v1/units/{code}/children/"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"code"}


@pytest.mark.django_db
def test_a_job_without_a_unit(api, openapi):
    f = io.BytesIO("Mã đơn vị,Tên đơn vị\n".encode())
    f.name = "tep.csv"
    job = _ok(api("admin").post("/api/v1/imports/units/", {"file": f}, format="multipart"), 202)
    assert job["unit"] is None
    assert undocumented(openapi, "/api/v1/imports/units/", "post", 202, job) == []


@pytest.mark.django_db
def test_an_organisation_s_request(api, openapi):
    hanoi = api("hanoi")
    filed = _ok(hanoi.post("/api/v1/lifecycle/requests/", {"kind": "organization", "unit": "HN.VP"}, format="json"),
                201)
    assert filed["held_by"] is None and filed["birth_place"] is None
    assert undocumented(openapi, "/api/v1/lifecycle/requests/", "post", 201, filed) == []
    read = _ok(hanoi.get(f"/api/v1/lifecycle/requests/{filed['id']}/"))
    assert undocumented(openapi, "/api/v1/lifecycle/requests/{id}/", "get", 200, read) == []
    listed = _ok(hanoi.get("/api/v1/lifecycle/requests/"))
    assert undocumented(openapi, "/api/v1/lifecycle/requests/", "get", 200, listed) == []


@pytest.mark.django_db
def test_a_certificate_without_device_or_request(api, demo, openapi):
    from kyso.lifecycle.tests.factories import certificate_for

    cert = certificate_for("person", person=demo.person("HN.BD", "Giám đốc"))
    admin = api("admin")
    detail = _ok(admin.get(f"/api/v1/lifecycle/certificates/{cert.pk}/"))
    assert detail["device"] is None and detail["request"] is None
    assert undocumented(openapi, "/api/v1/lifecycle/certificates/{id}/", "get", 200, detail) == []
    listed = _ok(admin.get("/api/v1/lifecycle/certificates/"))
    assert any(c["device"] is None for c in listed["results"])
    assert undocumented(openapi, "/api/v1/lifecycle/certificates/", "get", 200, listed) == []


@pytest.mark.django_db
def test_a_device_without_a_holder(api, openapi):
    badinh = api("badinh")
    dev = _ok(badinh.post("/api/v1/lifecycle/devices/", {"serial": "TK-5150", "unit": "HN.BD"}, format="json"), 201)
    assert dev["holder"] is None
    assert undocumented(openapi, "/api/v1/lifecycle/devices/", "post", 201, dev) == []
    read = _ok(badinh.get(f"/api/v1/lifecycle/devices/{dev['id']}/"))
    assert undocumented(openapi, "/api/v1/lifecycle/devices/{id}/", "get", 200, read) == []


@pytest.mark.django_db
def test_the_statistics_document_from_and_to(api, openapi):
    stats = _ok(api("admin").get("/api/v1/portal/statistics/", {"from": "2026-01-01"}))
    assert stats["from"] == "2026-01-01" and stats["to"] is None and "start" not in stats   # what clients read
    assert undocumented(openapi, "/api/v1/portal/statistics/", "get", 200, stats) == []


@pytest.mark.django_db
def test_people_as_a_reader_who_sees_them_masked(api, openapi):
    people = _ok(api("lanhdao").get("/api/v1/people/"))
    assert any("•" in p["birth_date"] for p in people["results"])
    assert undocumented(openapi, "/api/v1/people/", "get", 200, people) == []
    one = _ok(api("lanhdao").get(f"/api/v1/people/{people['results'][0]['id']}/"))
    assert undocumented(openapi, "/api/v1/people/{id}/", "get", 200, one) == []


@pytest.mark.parametrize("path,method,media", [
    ("/api/v1/verify", "post", "application/xml"),
    ("/api/v1/verify", "post", "application/pdf"),
    ("/api/v1/lifecycle/requests/{id}/form01.{fmt}/", "get",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("/api/v1/lifecycle/requests/{id}/form04.{fmt}/", "get",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("/api/v1/lifecycle/lists/{id}/form02.{fmt}/", "get",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("/api/v1/lifecycle/lists/{id}/form02.{fmt}/", "get", "application/pdf"),
])
def test_files_answered_are_documented_with_their_media_type(openapi, path, method, media):
    content = openapi["paths"][path][method]["responses"]["200"]["content"]
    assert content[media]["schema"] == {"type": "string", "format": "binary"}


def _serializer_classes():
    for app in pkgutil.iter_modules(kyso.__path__):
        for name in ("serializers", "csc_serializers"):
            try:
                module = importlib.import_module(f"kyso.{app.name}.api.{name}")
            except ModuleNotFoundError:
                continue
            for cls in vars(module).values():
                if (inspect.isclass(cls) and issubclass(cls, serializers.Serializer)
                        and cls.__module__ == module.__name__):
                    yield cls


def _through_a_nullable_relation(model, source: str) -> bool:
    """Whether `source` ("device.serial"; a related field's own: "parent.pk") reads through a relation of `model`
    that may be null."""
    parts = source.split(".")
    for part in parts[:-1]:
        try:
            field = model._meta.get_field(part)
        except Exception:  # noqa: BLE001 - a property or a method: not judged
            return False
        if not field.concrete or not field.is_relation:
            return False
        if field.null:
            return True
        model = field.related_model
    return False


def test_no_serializer_field_answers_null_undeclared():
    """A declared field that can answer null — `default=None`, or read through a nullable relation with no other
    default — says `allow_null=True`, so the document says `nullable`."""
    classes = list(_serializer_classes())
    assert len(classes) > 80
    wrong = []
    for cls in classes:
        model = getattr(getattr(cls, "Meta", None), "model", None)
        for name, field in cls().fields.items():
            if getattr(field, "allow_null", False) or isinstance(field, serializers.SerializerMethodField):
                continue
            if field.default is None:
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: default=None")
            elif (model is not None and field.source and field.default is serializers.empty
                  and _through_a_nullable_relation(model, field.source + (
                      ".pk" if isinstance(field, serializers.RelatedField) else ""))):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: source={field.source} through a null relation")
    assert wrong == []
