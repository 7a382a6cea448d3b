"""Issue 16 finding 13: locking an account ends its web sessions and its remote-signing (CSC) access
tokens, as disabling it does — and they stay ended after the unlock."""

import base64
import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from kyso.accounts import services
from kyso.accounts.demo import DEMO_PASSWORD
from kyso.accounts.models import ApiToken
from kyso.core.errors import Forbidden

pytestmark = pytest.mark.django_db


def _web(username):
    c = Client()
    assert c.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    assert c.get("/").status_code == 200
    return c


def _csc(username):
    c = APIClient()
    basic = base64.b64encode(f"{username}:{DEMO_PASSWORD}".encode()).decode()
    r = c.post("/csc/v2/auth/login", {}, format="json", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert r.status_code == 200, r.content
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {r.json()['access_token']}")
    assert c.post("/csc/v2/credentials/list", {}, format="json").status_code == 200
    return c


def _signed_out(web) -> bool:
    r = web.get("/")
    return r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_lock_ends_web_sessions_and_csc_tokens(demo, as_user):
    web, csc = _web("lanhdao"), _csc("lanhdao")
    admin, leader = demo.user("admin"), demo.user("lanhdao")
    with as_user(admin):
        services.lock(leader, actor=admin)
    assert _signed_out(web)
    assert csc.post("/csc/v2/credentials/list", {}, format="json").status_code == 401
    # locked: the right password is refused with the answer a wrong one gets
    c = Client()
    r = c.post("/accounts/login/", {"username": "lanhdao", "password": DEMO_PASSWORD})
    assert r.status_code == 200 and r.context["form"].errors.as_data()["__all__"][0].code == "invalid_login"
    with as_user(admin):
        services.unlock(leader, actor=admin)
    # what was opened before the lock stays ended; a new log-in works
    assert _signed_out(web)
    assert csc.post("/csc/v2/credentials/list", {}, format="json").status_code == 401
    _web("lanhdao")
    _csc("lanhdao")


def test_a_lock_set_anywhere_ends_the_sessions(demo, as_user):
    """The administration site edits `locked_until` directly: the same end."""
    web, csc = _web("hanoi"), _csc("hanoi")
    user = demo.user("hanoi")
    with as_user(demo.user("admin")):
        user.locked_until = timezone.now() + timezone.timedelta(minutes=30)
        user.save(update_fields=["locked_until"])
    assert _signed_out(web)
    assert csc.post("/csc/v2/credentials/list", {}, format="json").status_code == 401


def test_only_an_administrator_locks(demo, as_user):
    with as_user(demo.user("hcm")), pytest.raises(Forbidden):
        services.lock(demo.user("hanoi"), actor=demo.user("hcm"))
    assert not demo.user("hanoi").is_locked()


def test_lock_and_scoped_token_from_the_command_line(demo, capsys):
    web = _web("vanthu.hn")
    call_command("users", "lock", "vanthu.hn")
    assert _signed_out(web) and demo.user("vanthu.hn").is_locked()
    call_command("users", "unlock", "vanthu.hn")
    assert not demo.user("vanthu.hn").is_locked()
    capsys.readouterr()
    call_command("users", "token", "vanthu.hn", "cổng", "--days", "30", "--scope", "portal:write")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(key_id=key.split("_")[1])
    assert token.scopes == ["portal:write"] and abs(token.expires_at - token.created_at - dt.timedelta(days=30)) < dt.timedelta(seconds=5)
    with pytest.raises(CommandError):
        call_command("users", "token", "vanthu.hn", "dài", "--days", "365", "--scope", "portal:write")


def test_an_account_without_a_staff_record_is_locked_only_from_the_root(demo, as_user):
    """An administrator of one province may lock the province's people, not an account that has no staff
    record (before: such an account counted as "in every scope", so any holder of the right could lock it)."""
    from kyso.accounts.models import RoleAssignment, User
    from kyso.accounts.roles import Role
    from kyso.org.models import Unit

    province_admin = demo.user("hanoi")
    with as_user(demo.user("admin")):
        RoleAssignment.objects.create(user=province_admin, role=Role.SYSADMIN, unit=Unit.objects.get(code="HN"))
    service = User.objects.create_user("dichvu.ketnoi", password="x" * 16)
    with as_user(province_admin), pytest.raises(Forbidden):
        services.lock(service, actor=province_admin)
    assert not User.objects.get(pk=service.pk).is_locked()
    with as_user(province_admin):
        services.lock(demo.user("vanthu.hn"), actor=province_admin)
    assert demo.user("vanthu.hn").is_locked()
    with as_user(demo.user("admin")):
        services.lock(service, actor=demo.user("admin"))
    assert User.objects.get(pk=service.pk).is_locked()
