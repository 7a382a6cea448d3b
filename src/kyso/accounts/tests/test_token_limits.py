"""Issue 16 finding 6: API tokens live at most 90 days, only in their scopes, and their owner and the
administrator list and revoke them."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from kyso.accounts.demo import DEMO_PASSWORD
from kyso.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _client(key):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


def _session(username):
    c = Client()
    assert c.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    return c


def test_no_token_beyond_90_days(api, demo):
    client = api("hanoi")
    r = client.post("/api/v1/tokens/", {"name": "I-VAN", "days": 730, "scopes": ["*:read"]}, format="json")
    assert r.status_code == 400 and "days" in r.json()["error"]["fields"]
    r = client.post("/api/v1/tokens/", {"name": "I-VAN", "days": 91, "scopes": ["*:read"]}, format="json")
    assert r.status_code == 400
    r = client.post("/api/v1/tokens/", {"name": "I-VAN", "scopes": ["*:read"]}, format="json")
    assert r.status_code == 201
    token = ApiToken.objects.get(key_id=r.json()["key_id"])
    assert dt.timedelta(days=89) < token.expires_at - token.created_at <= dt.timedelta(days=90, seconds=5)
    # even the model refuses to mint a longer one
    longer, _key = ApiToken.issue(demo.user("hanoi"), "x", timezone.now() + dt.timedelta(days=730))
    assert longer.expires_at - longer.created_at <= dt.timedelta(days=90, seconds=5)


def test_an_old_long_token_is_refused_and_clipped_by_the_migration(demo):
    token, key = ApiToken.issue(demo.user("hanoi"), "legacy")
    # a token as the old code minted it: two years, no scopes
    ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + dt.timedelta(days=730), scopes=[])
    r = _client(key).get("/api/v1/me/")
    assert r.status_code == 401 and r.json()["error"]["code"] == "authentication_failed"
    old, _key = ApiToken.issue(demo.user("hanoi"), "very old")
    ApiToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400), expires_at=None, scopes=[])

    migration = importlib.import_module("kyso.accounts.migrations.0001_squashed_0002_token_scopes_and_session_end")
    migration.clip_tokens(apps, None)
    token.refresh_from_db()
    old.refresh_from_db()
    assert token.expires_at == token.created_at + dt.timedelta(days=90) and token.scopes == ["*:write"]
    assert old.expires_at == old.created_at + dt.timedelta(days=90) and not old.is_usable
    assert _client(key).get("/api/v1/me/").status_code == 200


def test_a_token_works_only_in_its_scopes(api, demo):
    r = api("hanoi").post("/api/v1/tokens/", {"name": "reader", "days": 30, "scopes": ["org:read"]}, format="json")
    assert r.status_code == 201 and r.json()["scopes"] == ["org:read"]
    reader = _client(r.json()["token"])
    assert reader.get("/api/v1/me/").status_code == 200                      # who am I: any token
    assert reader.get("/api/v1/units/?page_size=5").status_code == 200       # org, read
    r = reader.patch("/api/v1/units/HN/", {"phone": "02439999999"}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "accounts.token.scope"
    r = reader.get("/api/v1/lifecycle/requests/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "accounts.token.scope"
    # nor can it mint itself a wider token
    r = reader.post("/api/v1/tokens/", {"name": "wider", "scopes": ["*:write"]}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "accounts.token.scope"
    r = api("hanoi").post("/api/v1/tokens/", {"name": "bad", "scopes": ["everything"]}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "accounts.token.scope_unknown"
    r = api("hanoi").post("/api/v1/tokens/", {"name": "none", "scopes": []}, format="json")
    assert r.status_code == 400


def test_a_token_never_mints_a_wider_one(demo):
    parent, key = ApiToken.issue(demo.user("hanoi"), "accounts only", scopes=["accounts:write"])
    c = _client(key)
    r = c.post("/api/v1/tokens/", {"name": "child", "scopes": ["lifecycle:read"]}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "accounts.token.wider"
    r = c.post("/api/v1/tokens/", {"name": "child", "scopes": ["accounts:read"]}, format="json")
    assert r.status_code == 201


def test_owner_and_administrator_list_and_revoke(api, demo):
    _t, key = ApiToken.issue(demo.user("badinh"), "gateway", scopes=["*:read"])
    listed = api("badinh").get("/api/v1/tokens/").json()["results"]
    assert "gateway" in [t["name"] for t in listed]
    # the administrator sees it among the tokens he manages, another officer does not
    managed = api("admin").get("/api/v1/tokens/managed/").json()["results"]
    assert any(t["key_id"] == _t.key_id and t["owner"] == "badinh" for t in managed)
    assert api("hcm").get("/api/v1/tokens/managed/").json()["results"] == []
    assert api("hcm").delete(f"/api/v1/tokens/{_t.key_id}/").status_code == 404
    assert _client(key).get("/api/v1/me/").status_code == 200
    assert api("admin").delete(f"/api/v1/tokens/{_t.key_id}/").status_code == 204
    r = _client(key).get("/api/v1/me/")
    assert r.status_code == 401


def test_pages_in_vietnamese(demo):
    _t, _key = ApiToken.issue(demo.user("badinh"), "cổng I-VAN", scopes=["portal:write"])
    c = _session("admin")
    page = c.get("/accounts/tokens/managed/").content.decode()
    assert "cổng I-VAN" in page and "badinh" in page and "Thu hồi" in page
    r = c.post(f"/accounts/tokens/{_t.key_id}/revoke/", {"back": "managed"})
    assert r.status_code == 302 and r["Location"].endswith("/accounts/tokens/managed/")
    _t.refresh_from_db()
    assert _t.revoked_at is not None
    own = _session("badinh")
    r = own.post("/accounts/tokens/", {"name": "đọc", "days": "30", "scopes": ["lifecycle:read"]})
    assert r.status_code == 200 and ApiToken.objects.filter(user__username="badinh", name="đọc", scopes=["lifecycle:read"]).exists()
    r = own.post("/accounts/tokens/", {"name": "dài", "days": "365", "scopes": ["lifecycle:read"]})
    assert not ApiToken.objects.filter(name="dài").exists()
