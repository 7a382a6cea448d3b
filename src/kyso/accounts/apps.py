from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Logins, roles held at units (scope), API tokens, lock-out."""

    name = "kyso.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from kyso.audit.capture import register

        from . import backends  # noqa: F401 - signal receivers
        from .models import ApiToken, RoleAssignment, User

        register(User, exclude={"password", "last_login"}, unit_path=lambda u: u.person.unit.path if u.person_id else "")
        register(RoleAssignment, unit_path=lambda a: a.unit.path)
        register(ApiToken, exclude={"key_hash", "last_used_at"}, unit_path=lambda t: "")

        from kyso.core import nav

        nav.register(_("API tokens"), "accounts:tokens", order=99)
