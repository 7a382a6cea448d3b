"""Accounts: a login (staff or external), the roles it holds at units, its API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from . import sessions
from .roles import Role


class User(AbstractUser):
    person = models.OneToOneField("org.Person", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="user", verbose_name=_("staff record"))
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Moved forward when the account is locked or disabled: every web session opened before it is void.
    sessions_ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())

    def _get_session_auth_hash(self, secret=None):
        """Django's session check, also bound to the last end of sessions: a session opened before the
        account was locked or disabled stays void after the unlock."""
        ended = self.sessions_ended_at.isoformat() if self.sessions_ended_at else ""
        return salted_hmac("kyso.accounts.User.session", f"{self.password}|{ended}", secret=secret,
                           algorithm="sha256").hexdigest()

    def save(self, *args, **kwargs):
        # A new password (`set_password`, the administration site's form) ends every sign-in made with the old
        # one as a lock does — the remote-signing (CSC) access tokens too, not only the web sessions. Both revoke
        # the account's API tokens: whoever knew the old password, or used the account before it was locked or
        # disabled, could have minted one for 90 days, and it came back to life at the unlock.
        new_password = self.pk is not None and self._password is not None
        closing = self.pk is not None and (self.is_locked() or not self.is_active) and self._was_open()
        if closing or new_password:
            self.sessions_ended_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sessions_ended_at"}
        super().save(*args, **kwargs)
        if closing or new_password:
            for token in self.api_tokens.filter(revoked_at__isnull=True):
                token.revoked_at = self.sessions_ended_at
                token.save(update_fields=["revoked_at"])
        if closing or new_password:
            sessions.ended(self)

    def _was_open(self) -> bool:
        now = timezone.now()
        return type(self)._default_manager.filter(pk=self.pk, is_active=True).exclude(locked_until__gt=now).exists()

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """`user` holds `role` over `unit` and its whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("unit"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="accounts_unique_assignment")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} @ {self.unit}"


TOKEN_PREFIX = "kyso"
MAX_TOKEN_DAYS = 90
FULL_ACCESS = ["*:write"]


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """An API key. Only its SHA-256 is stored; the key is shown once, at creation.

    Valid for at most MAX_TOKEN_DAYS days and only for the API areas in `scopes` ("<area>:read" or
    "<area>:write", write including read; "*" stands for every area)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_id = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    scopes = models.JSONField(_("scopes"), default=list)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({TOKEN_PREFIX}_{self.key_id}_…)"

    @classmethod
    def issue(cls, user, name: str, expires_at=None, scopes=None) -> tuple["ApiToken", str]:
        """A new token: never valid beyond MAX_TOKEN_DAYS days; every area unless `scopes` says otherwise."""
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        latest = timezone.now() + dt.timedelta(days=MAX_TOKEN_DAYS)
        expires_at = min(expires_at or latest, latest)
        token = cls.objects.create(user=user, name=name, key_id=key_id, key_hash=_hash_secret(secret),
                                   expires_at=expires_at, scopes=list(scopes if scopes is not None else FULL_ACCESS))
        return token, f"{TOKEN_PREFIX}_{key_id}_{secret}"

    def matches(self, secret: str) -> bool:
        return secrets.compare_digest(self.key_hash, _hash_secret(secret))

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        if self.revoked_at is not None or self.expires_at is None or self.expires_at <= now:
            return False
        # A token minted for longer than the limit (before it existed) is refused, not honoured.
        return self.expires_at - self.created_at <= dt.timedelta(days=MAX_TOKEN_DAYS, minutes=1)

    def allows(self, area: str, write: bool) -> bool:
        for scope in self.scopes or []:
            scope_area, _sep, access = str(scope).partition(":")
            if scope_area in ("*", area) and (access == "write" or (access == "read" and not write)):
                return True
        return False
