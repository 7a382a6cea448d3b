"""Issue 16 finding 13, the password's side: a new password (set by the administrator on the administration site,
the only place a password changes) ends every sign-in the old one gave — the web sessions, the remote-signing
(CSC) access tokens, which kept signing for up to an hour, and the account's API tokens, which kept working for up
to 90 days although whoever knew the old password could have minted them. A log-in with the new password works."""

import base64

import pytest
from django.test import Client
from rest_framework.test import APIClient

from kyso.accounts.models import ApiToken
from kyso.accounts.services import issue_token

from .test_lock_ends_sessions import _csc, _signed_out, _web

pytestmark = pytest.mark.django_db
NEW = "Mat-khau-moi@2026"


def test_a_new_password_ends_sessions_csc_and_api_tokens(demo, as_user):
    web, csc = _web("lanhdao"), _csc("lanhdao")
    leader = demo.user("lanhdao")
    with as_user(leader):
        token, key = issue_token(leader, "tích hợp", scopes=["*:read"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/tokens/").status_code == 200

    admin = Client()
    admin.force_login(demo.user("admin"))
    r = admin.post(f"/admin/accounts/user/{leader.pk}/password/",
                   {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert r.status_code == 302, r.content.decode()[:2000]

    assert _signed_out(web)
    assert csc.post("/csc/v2/credentials/list", {}, format="json").status_code == 401
    assert api.get("/api/v1/tokens/").status_code == 401
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    # the new password signs in again, on the web and on the CSC API
    assert Client().post("/accounts/login/", {"username": "lanhdao", "password": NEW}).status_code == 302
    basic = base64.b64encode(f"lanhdao:{NEW}".encode()).decode()
    r = APIClient().post("/csc/v2/auth/login", {}, format="json", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert r.status_code == 200
    # the administrator who changed it stays signed in
    assert admin.get("/admin/").status_code == 200


def test_a_login_rehashing_the_password_ends_nothing(demo, settings):
    """Django rewrites a password's hash at log-in when its hasher changed: not a new password."""
    web, csc = _web("hanoi"), _csc("hanoi")
    user = demo.user("hanoi")
    user.password = user.password  # the hash kept, no set_password
    user.save()
    assert not _signed_out(web)
    assert csc.post("/csc/v2/credentials/list", {}, format="json").status_code == 200


@pytest.mark.parametrize("how", ["lock", "disable"])
def test_api_tokens_stay_ended_after_a_lock_or_a_disabling_is_lifted(demo, as_user, how):
    """Locked or disabled, the account's API tokens were refused — and worked again once it was unlocked or
    enabled, though whoever used it before (the reason for the lock) could have minted them; now they stay
    ended, as its sessions and CSC tokens do."""
    from django.utils import timezone

    from kyso.accounts import services

    admin, user = demo.user("admin"), demo.user("hanoi")
    with as_user(user):
        token, key = issue_token(user, "tích hợp", scopes=["*:read"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/tokens/").status_code == 200
    with as_user(admin):
        if how == "lock":
            services.lock(user, actor=admin)
            services.unlock(user, actor=admin)
        else:
            user.is_active = False
            user.save()
            user.is_active = True
            user.save()
    assert api.get("/api/v1/tokens/").status_code == 401
    assert ApiToken.objects.get(pk=token.pk).revoked_at <= timezone.now()
