"""Health, the API's error shape, the OpenAPI schema, the UI per role and language."""

import subprocess
import sys

import pytest
from django.test import Client

from kyso.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["database"]["status"] == "ok" and body["version"]


def test_openapi_schema_lists_the_api(client):
    r = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in ["/api/v1/units/", "/api/v1/people/", "/api/v1/me/", "/api/v1/audit/records/", "/api/v1/workdays/add/",
              "/api/v1/imports/staff/"]:
        assert p in paths, p


def test_api_errors_have_one_shape(api):
    c = api("hanoi")
    r = c.get("/api/v1/units/NOPE/")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = c.delete("/api/v1/units/HN/")
    assert r.status_code in (403, 405)
    r = c.post("/api/v1/people/", "{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_request"
    assert "X-Request-ID" in r


def _login(username):
    c = Client()
    assert c.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    return c


PAGES = ["/", "/org/units/", "/org/people/", "/workdays/?year=2026", "/audit/", "/accounts/tokens/", "/org/import/"]


@pytest.mark.parametrize("username", ["admin", "cntt", "lanhdao", "hanoi", "badinh", "vanthu.hn", "thuebao", "motcua.hn", "kiemtoan"])
def test_every_role_gets_pages_or_a_clear_refusal(demo, username):
    c = _login(username)
    for page in PAGES:
        r = c.get(page)
        assert r.status_code in (200, 403), (page, r.status_code)
        assert b"<html" in r.content


def test_ui_is_vietnamese_and_english_is_available(demo):
    c = _login("hanoi")
    assert "Đơn vị" in c.get("/org/units/").content.decode()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Units" in c.get("/org/units/").content.decode()


def test_person_form_shows_field_errors(demo):
    c = _login("badinh")
    r = c.post("/org/people/new/", {"full_name": "Ngô Văn Tư", "gender": "male", "birth_date": "1991-01-01",
                                     "birth_place": "Hà Nội", "nationality": "Việt Nam", "id_type": "cccd",
                                     "id_number": "001091000", "id_issue_date": "2021-01-01", "id_issue_place": "X",
                                     "unit": demo.unit("HN.BD").pk, "email": "nvtu@gmail.com", "is_active": "on"})
    assert r.status_code == 200
    assert set(r.context["form"].errors) >= {"id_number", "email"}


def test_kyso_console_script(tmp_path):
    """The installed `kyso` command, in a process of its own, on a fresh data directory."""
    import shutil

    kyso = shutil.which("kyso") or str(__import__("pathlib").Path(sys.executable).parent / "kyso")
    env = {"KYSO_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}  # its secrets generated into the data directory
    out = subprocess.run([kyso, "migrate", "--no-input"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    out = subprocess.run([kyso, "workdays", "add", "2025-01-24", "3"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "05/02/2025"
    out = subprocess.run([kyso, "workdays", "add", "2025-02-30", "3"], capture_output=True, text=True, env=env)
    assert out.returncode == 2 and "workdays.bad_date" in out.stderr
