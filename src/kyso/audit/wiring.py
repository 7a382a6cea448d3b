"""What the audit trail plugs into the platform at start-up: the watching of every registered model, the
audit context and the four-eyes record of the step runner, its menu entry and home-page card."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import audited, authz, inbox, nav, steps

from .capture import action, record, register
from .duties import duties
from .permissions import AUDIT_VIEW
from .queries import visible_records

audited.connect(register)
audited.set_recorder(record)
steps.set_auditor(action)
steps.set_duties(duties)
nav.register(_("Audit trail"), "audit:records", perm=AUDIT_VIEW, order=95)


@inbox.provider
def _audit_card(user):
    if not authz.has_permission_anywhere(user, AUDIT_VIEW):
        return []
    since = timezone.now() - dt.timedelta(days=1)
    n = visible_records(user).filter(at__gte=since).count()
    return [inbox.InboxItem(_("Audited changes in the last 24 hours"), n, reverse("audit:records"), app="audit")]
