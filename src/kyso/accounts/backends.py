"""Login with lock-out: after KYSO_LOGIN_MAX_FAILURES failures the account is locked for a while."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import timezone

from kyso import audit


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        from .models import User

        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        user = User._default_manager.filter(username=username).first() if username else None
        if user is not None and user.is_locked():
            raise PermissionDenied("locked")  # stops authentication; counted by the signal
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="kyso-count-login-failure")
def count_failure(sender, credentials, request=None, **kwargs):
    from django.db import transaction

    from .models import User

    username = credentials.get("username")
    if not username:
        return
    with transaction.atomic():
        user = User._default_manager.select_for_update().filter(username=username).first()
        if user is None or user.is_locked():
            return
        with audit.action("accounts.login.failed"):
            user.failed_logins += 1
            if user.failed_logins >= settings.KYSO_LOGIN_MAX_FAILURES:
                user.locked_until = timezone.now() + dt.timedelta(minutes=settings.KYSO_LOGIN_LOCKOUT_MINUTES)
                user.failed_logins = 0
            user.save(update_fields=["failed_logins", "locked_until"])


@receiver(user_logged_in, dispatch_uid="kyso-reset-login-failures")
def reset_failures(sender, request, user, **kwargs):
    from django.db import transaction

    with transaction.atomic():
        with audit.action("accounts.login"):
            if user.failed_logins or user.locked_until:
                user.failed_logins = 0
                user.locked_until = None
                user.save(update_fields=["failed_logins", "locked_until"])
            else:
                audit.record("accounts.login", user, after={"username": user.username})
