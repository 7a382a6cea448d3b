"""Log-in: throttled per (login, client address) by django-axes; the password checked by Django's backend.

An anonymous attacker who keeps trying the administrator's login pauses only his own address for that login
(`AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]`): the administrator, from his own address, still
logs in. Unknown logins, wrong passwords, paused addresses, locked and disabled accounts all get the same
answer. An account is locked only by an administrator (`services.lock`); locking it ends its sessions.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from kyso import audit
from kyso.core import context

from .models import User


def _request(request):
    """The HTTP request being served when a caller (the CSC `auth/login`) authenticates without passing it."""
    return request if request is not None else context.current().request


def client_address(request) -> str:
    """Axes counts failures per the address Kyso already trusts (KYSO_TRUSTED_PROXIES honoured)."""
    ctx = context.current()
    if ctx.request is request and ctx.client_ip:
        return ctx.client_ip
    return request.META.get("REMOTE_ADDR", "") or ""


class ThrottleBackend(AxesStandaloneBackend):
    """django-axes' check before the password is looked at; outside a request (CLI, tests) nothing to throttle."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        request = _request(request)
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutModelBackend(ModelBackend):
    """The password check. A locked account is refused like a wrong password, and so are its sessions."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not user.is_locked()


@receiver(user_login_failed, dispatch_uid="kyso-count-login-failure")
def count_failure(sender, credentials, request=None, **kwargs):
    """Django gives the signal no request when the caller gave none (the CSC `auth/login`): count it for axes
    against the request being served, as the web log-in is counted by axes' own receiver."""
    if request is None and context.current().request is not None:
        AxesProxyHandler.user_login_failed(sender, credentials, context.current().request)
    user = User._default_manager.filter(username=credentials.get("username") or "").first()
    if user is not None:
        with transaction.atomic():
            audit.record("accounts.login.failed", user, after={"username": user.username})


@receiver(user_logged_in, dispatch_uid="kyso-reset-login-failures")
def note_login(sender, request, user, **kwargs):
    with transaction.atomic(), audit.action("accounts.login"):
        audit.record("accounts.login", user, after={"username": user.username})
