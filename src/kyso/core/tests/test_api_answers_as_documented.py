"""Issue 18, item 6 (one API shape): every JSON answer of Kyso's own API is a named serializer in the OpenAPI
document, and what an endpoint answers is exactly what the document promises — before, `/me/`, new tokens, the
audit chain's verdict, the working-day questions and the mobile API answered hand-built dictionaries, and the
document promised the mobile requests three fields of ten."""

import pytest

from kyso.core.testing import documented_fields, undocumented

def _json_bodies(schema):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            for status, answer in op.get("responses", {}).items():
                body = (answer.get("content") or {}).get("application/json")
                if status.startswith("2") and body:
                    yield path, method, status, body["schema"]


def test_every_json_answer_of_the_api_is_a_named_serializer(openapi):
    unnamed = [f"{m.upper()} {p} {s}" for p, m, s, body in _json_bodies(openapi)
               if p.startswith("/api/v1/") and "$ref" not in body.get("items", body)]
    assert unnamed == []
    assert sum(1 for p, *_ in _json_bodies(openapi) if p.startswith("/api/v1/")) > 60


@pytest.mark.parametrize("path,method,status,url,body", [
    ("/api/v1/me/", "get", 200, "/api/v1/me/", None),
    ("/api/v1/tokens/", "post", 201, "/api/v1/tokens/", {"name": "máy chủ", "scopes": ["org:read"]}),
    ("/api/v1/tokens/", "get", 200, "/api/v1/tokens/", None),
    ("/api/v1/workdays/add/", "get", 200, "/api/v1/workdays/add/?date=24/01/2025&days=3", None),
    ("/api/v1/workdays/between/", "get", 200, "/api/v1/workdays/between/?start=24/01/2025&end=05/02/2025", None),
    ("/api/v1/audit/verify/", "post", 200, "/api/v1/audit/verify/", None),
])
def test_the_answer_is_what_the_document_promises(api, openapi, path, method, status, url, body):
    client = api("admin")
    r = getattr(client, method)(url, body, format="json") if body else getattr(client, method)(url)
    assert r.status_code == status, r.content
    assert undocumented(openapi, path, method, status, r.json()) == []
    data = r.json()
    if "results" in data:        # a page of a list: the envelope, and each row as its component promises
        assert documented_fields(openapi, path, method, status) == {"next", "previous", "results"} and data["results"]
        return
    assert set(data) == documented_fields(openapi, path, method, status)


def test_the_working_day_questions_read_days_as_people_type_them(api):
    client = api("thuebao")
    r = client.get("/api/v1/workdays/add/", {"date": "24/01/2025", "days": "3"})
    assert r.json() == {"start": "2025-01-24", "days": 3, "date": "2025-02-05"}
    r = client.get("/api/v1/workdays/add/", {"date": "24/01/2025", "days": "ba"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "workdays.bad_number"
    r = client.get("/api/v1/workdays/between/", {"start": "24/01/2025"})
    assert r.status_code == 400 and set(r.json()["error"]["fields"]) == {"end"}
