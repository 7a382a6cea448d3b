"""What accounts plug in at start-up (loaded by `AccountsConfig.ready`): the audited models, the log-in signal
receivers, the scope module as the platform's permission checker, the menu entry."""

from django.utils.translation import gettext_lazy as _

from kyso.audit.capture import register
from kyso.core import authz, nav

from . import backends  # noqa: F401 - signal receivers
from . import scope
from .models import ApiToken, RoleAssignment, User

register(User, exclude={"password", "last_login"}, unit_path=lambda u: u.person.unit.path if u.person_id else "")
register(RoleAssignment, unit_path=lambda a: a.unit.path)
register(ApiToken, exclude={"key_hash", "last_used_at"}, unit_path=lambda t: "")

authz.install(scope)

nav.register(_("API tokens"), "accounts:tokens", order=99)
