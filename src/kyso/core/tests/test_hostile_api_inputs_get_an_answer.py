"""Every API input gets a clear answer in the one error shape, never a server error (an API fuzzing session with
schemathesis, 30,000 requests over the OpenAPI document; security review round 3).

What was wrong: a page cursor is plain base64 anyone can write, and a position that is not a value of the list's
ordering (`p=x` for an id) reached the database — 500 on 24 lists; a huge number in a form field answered 500 on
compiling a Form 02 list; a working-day question about 31/12/9999 answered 500; the CSC API answered wrong media
types, methods and paths in Kyso's error form instead of its own; any client sending Accept: text/html got DRF's
English HTML pages instead of JSON."""

import base64

import pytest
from django.test import Client

from kyso.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _cursor(position: str) -> str:
    return base64.b64encode(f"p={position}".encode()).decode()


@pytest.mark.parametrize("url", ["/api/v1/units/", "/api/v1/people/", "/api/v1/audit/records/",
                                 "/api/v1/eoffice/incoming/", "/api/v1/lifecycle/requests/"])
@pytest.mark.parametrize("position", ["x", "2026-01-01", "%00", str(2 ** 70)])
def test_a_forged_cursor_is_refused_in_words(api, url, position):
    if url == "/api/v1/eoffice/incoming/" and position == "2026-01-01":
        position = "31/02/2026"                     # a list by date: a day is a position, a day that is not is not
    r = api("admin").get(url, {"cursor": _cursor(position)})
    assert r.status_code == 400, (url, position, r.content[:200])
    error = r.json()["error"]
    assert error["code"] == "pagination.cursor" and "trang đầu" in error["message"]


def test_a_real_cursor_still_reaches_the_next_page(api):
    client = api("admin")
    first = client.get("/api/v1/units/", {"page_size": 2}).json()
    assert first["next"]
    second = client.get(first["next"])
    assert second.status_code == 200 and second.json()["results"]


@pytest.mark.parametrize("fmt", ["multipart", "json"])
def test_a_huge_request_id_in_a_form_is_refused(api, fmt):
    r = api("cntt").post("/api/v1/lifecycle/lists/", {"approval": True, "requests": [99999999999999999999]},
                         format=fmt)
    assert r.status_code == 400 and r.json()["error"]["code"] in ("invalid_input", "number_out_of_range"), r.content


def test_a_working_day_question_outside_the_calendar_is_refused(api):
    r = api("thuebao").get("/api/v1/workdays/add/", {"date": "31/12/9999", "days": "5"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "workdays.out_of_range"
    assert "31/12/2199" in r.json()["error"]["message"]


@pytest.mark.parametrize("method,path,kwargs,status", [
    ("post", "/csc/v2/credentials/list", {"data": "<x/>", "content_type": "application/xml"}, 415),
    ("get", "/csc/v2/credentials/list", {}, 405),
    ("post", "/csc/v3/info", {}, 404),
    ("post", "/csc/v1/signatures/signDoc", {}, 404),
])
def test_the_csc_api_answers_in_its_own_error_form(demo, method, path, kwargs, status):
    client = Client()
    basic = base64.b64encode(f"lanhdao:{DEMO_PASSWORD}".encode()).decode()
    token = client.post("/csc/v2/auth/login", {}, content_type="application/json",
                        HTTP_AUTHORIZATION=f"Basic {basic}").json()["access_token"]
    r = getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {token}", **kwargs)
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"error", "error_description", "error_code"} and body["error"] == "invalid_request"


def test_the_api_answers_json_to_a_browser_too(api):
    r = api("admin").get("/api/v1/units/NOPE/", HTTP_ACCEPT="text/html")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")
    r = api("admin").get("/api/v1/units/", HTTP_ACCEPT="text/html")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
