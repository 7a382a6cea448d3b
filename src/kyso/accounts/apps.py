from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class AccountsConfig(appconfig.KysoAppConfig):
    """Logins, roles held at units (scope), API tokens, lock-out."""

    name = "kyso.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
