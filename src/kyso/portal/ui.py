"""Menu entries and home-page queues of the portal."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import inbox, nav

from .permissions import PORTAL_STATS, PORTAL_VIEW, PORTAL_RECEIVE

nav.register(_("Dossiers"), "portal:index", perm=PORTAL_VIEW, order=70)
nav.register(_("One-stop desk"), "portal:desk", perm=PORTAL_RECEIVE, order=71)
nav.register(_("Dossier statistics"), "portal:statistics", perm=PORTAL_STATS, order=72)
nav.register(_("Procedures"), "portal:procedures", order=73, public=True)
nav.register(_("Dossier status"), "portal:status", order=74, public=True)


@inbox.provider
def dossier_queues(user):
    from django.urls import reverse

    from . import workflow
    from .models import Status, Submitter

    if not user.is_authenticated:
        return []
    if Submitter.objects.filter(user=user, is_active=True).exists():
        mine = workflow.visible(user)
        waiting = mine.filter(status=Status.SUPPLEMENT).count()
        items = [inbox.InboxItem(_("My dossiers"), mine.count(), reverse("portal:index"), app="portal")]
        if waiting:
            items.append(inbox.InboxItem(_("Dossiers waiting for my supplement"), waiting,
                                         reverse("portal:index") + "?status=supplement", app="portal", severity="warning"))
        return items
    qs = workflow.visible(user).filter(status__in=[Status.IN_PROGRESS, Status.RESULT_READY])
    if not qs.exists():
        return []
    today = timezone.localdate()
    overdue = qs.filter(due_date__lt=today).count()
    first = qs.order_by("due_date").values_list("due_date", flat=True).first()
    return [inbox.InboxItem(_("Dossiers being processed"), qs.count(), reverse("portal:index") + "?status=in_progress",
                            overdue=overdue, next_due=first, app="portal", severity="danger" if overdue else "info")]
