"""The lifecycle's background work, registered with `kyso.jobs`: bulk revocation, and every morning the expired
certificates marked, the expiry reminders (90/60/30/7 days) and the overdue digest."""

from django.utils.translation import gettext_lazy as _

from kyso.jobs import registry

from . import bulk, importing, reminders
from .permissions import LC_IMPORT, LC_VIEW


def daily():
    return {"expired": reminders.mark_expired(), "reminded": reminders.remind_expiring(),
            "digest": reminders.digest()}


registry.register(registry.Kind(name=bulk.KIND, label=_("Bulk revocation of certificates"), each=bulk.revoke_one,
                                chunk=20, perm=LC_VIEW, lock_prefix=bulk.LOCK))
registry.register(registry.Kind(name=importing.KIND, label=_("Import of a register of issued certificates (letter 26)"),
                                each=importing.run_job, chunk=1, perm=LC_IMPORT, max_attempts=2))
registry.every("lifecycle.daily", _("Certificate reminders and the daily digest"), daily, at="07:00")
