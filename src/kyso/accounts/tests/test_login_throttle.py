"""Issue 16 finding 13: log-in throttled per (login, address) with django-axes — an attacker pauses only his
own address, never the administrator — and one answer for an unknown login and a wrong password."""

import pytest
from django.conf import settings
from django.test import Client

from kyso.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER, OFFICE = "203.0.113.66", "10.1.2.3"


def _post(ip, username, password):
    c = Client(REMOTE_ADDR=ip)
    return c, c.post("/accounts/login/", {"username": username, "password": password})


def _errors(response):
    return [(e.code, str(e.message) % (e.params or {})) for e in response.context["form"].errors.as_data()["__all__"]]


def test_attacker_pauses_only_his_own_address(demo):
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        _c, r = _post(ATTACKER, "admin", "wrong")
        assert r.status_code == 200
    # the right password from the attacker's address is refused now …
    c, r = _post(ATTACKER, "admin", DEMO_PASSWORD)
    assert r.status_code == 200 and "_auth_user_id" not in c.session
    # … but the administrator, from his office, logs in
    c, r = _post(OFFICE, "admin", DEMO_PASSWORD)
    assert r.status_code == 302 and c.session["_auth_user_id"] == str(demo.user("admin").pk)
    assert not demo.user("admin").is_locked()


def test_same_answer_for_unknown_login_and_wrong_password(demo):
    _c, known = _post(OFFICE, "hanoi", "wrong")
    _c, unknown = _post(OFFICE, "nobody-here", "wrong")
    assert known.status_code == unknown.status_code == 200
    assert _errors(known) == _errors(unknown)
    # and once paused, both still get that same answer
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(ATTACKER, "hanoi", "wrong")
        _post(ATTACKER, "nobody-here", "wrong")
    _c, known = _post(ATTACKER, "hanoi", DEMO_PASSWORD)
    _c, unknown = _post(ATTACKER, "nobody-here", "wrong")
    assert _errors(known) == _errors(unknown) == _errors(_post(OFFICE, "nobody-else", "x")[1])
