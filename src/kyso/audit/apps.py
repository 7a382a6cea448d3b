from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Append-only hash-chained audit records, signed checkpoints, `kyso audit verify`."""

    name = "kyso.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from kyso.accounts import roles as perms
        from kyso.core import inbox, nav

        nav.register(_("Audit trail"), "audit:records", perm=perms.AUDIT_VIEW, order=95)
        inbox.provider(_audit_card)


def _audit_card(user):
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from kyso.accounts import roles as perms
    from kyso.accounts import scope
    from kyso.core.inbox import InboxItem

    from .queries import visible_records

    if not scope.has_permission_anywhere(user, perms.AUDIT_VIEW):
        return []
    since = timezone.now() - dt.timedelta(days=1)
    n = visible_records(user).filter(at__gte=since).count()
    return [InboxItem(_("Audited changes in the last 24 hours"), n, reverse("audit:records"), app="audit")]
