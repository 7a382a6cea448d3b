"""What a person may see of the lifecycle: requests, lists, certificates, revocations, archived records
and open deadlines, each inside his scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.core import workflow
from kyso.core.errors import InvalidInput
from kyso.workdays.calendar import today

from .models import CertStatus, Certificate, IssuanceRequest, Record, RequestList, RevocationRequest, Step
from .permissions import LC_CONFIRM, LC_REVIEW, LC_VIEW, LC_VIEW_REQUESTS


def _in_scope(user, *path_fields) -> Q:
    """Inside the user's scope for seeing others' requests, through any of these unit paths."""
    q = Q(pk__in=[])
    for field in path_fields:
        q |= scope.scope_q(user, LC_VIEW_REQUESTS, field)
    return q


def _own(user, person_field: str) -> Q:
    """What this user filed himself, or what is for him."""
    q = Q(created_by=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
    if getattr(user, "person_id", None):
        q |= Q(**{person_field: user.person_id})
    return q


def visible_requests(user):
    """The officers', leaders' and auditors' scope, and one's own requests (a subscriber or a clerk sees only
    his own: issue 16, finding 4)."""
    q = _in_scope(user, "unit__path") | _own(user, "subscriber__person_id")
    return IssuanceRequest.objects.filter(q).select_related("unit", "subscriber__managing_unit")


def visible_lists(user):
    return RequestList.objects.filter(_in_scope(user, "unit__path", "sent_to__path")) \
        .select_related("unit", "sent_to").order_by("-id")


def visible_certificates(user):
    return scope.filter_by_scope(Certificate.objects.select_related("subscriber", "subscriber__unit"), user, LC_VIEW,
                                 "subscriber__unit__path")


def visible_revocations(user):
    q = _in_scope(user, "certificate__subscriber__unit__path") | _own(user, "certificate__subscriber__person_id")
    return RevocationRequest.objects.filter(q).select_related("certificate__subscriber")


def visible_records(user):
    """The archive of the units in scope, and the forms of one's own requests and revocations."""
    own = Q(pk__in=[])
    if getattr(user, "person_id", None):
        own = Q(subject_type="request", subject_id__in=visible_requests(user).filter(
            subscriber__person_id=user.person_id).values("pk")) | \
            Q(subject_type="revocation", subject_id__in=visible_revocations(user).filter(
                certificate__subscriber__person_id=user.person_id).values("pk"))
    return Record.objects.filter(_in_scope(user, "unit__path") | own).select_related("unit", "pdf")


def search_certificates(user, *, q: str = "", status: str = "", expiring: str = "", unit: str = "",
                        on: dt.date | None = None):
    """Certificates in scope; `expiring` is "expired" or 30/60/90 (days from `on`, default today)."""
    qs = visible_certificates(user)
    if q:
        q = q.strip()
        qs = qs.filter(Q(serial__icontains=q.lower()) | Q(subject__icontains=q) | Q(subscriber__person__full_name__icontains=q)
                       | Q(subscriber__unit__name__icontains=q) | Q(device__serial__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if unit:
        qs = qs.filter(subscriber__unit__code=unit)
    if expiring:
        now = timezone.now() if on is None else timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
        live = qs.filter(status__in=[CertStatus.ISSUED, CertStatus.ACTIVE])
        if expiring == "expired":
            qs = qs.filter(Q(status=CertStatus.EXPIRED) | Q(status__in=[CertStatus.ISSUED, CertStatus.ACTIVE],
                                                             not_after__lte=now))
        elif expiring in ("30", "60", "90"):
            qs = live.filter(not_after__gt=now, not_after__lte=now + dt.timedelta(days=int(expiring)))
        else:
            raise InvalidInput("lifecycle.expiring", _("Expiring is 'expired', 30, 60 or 90."))
    return qs


def my_queues(user):
    """The lifecycle's queues of this person: the same as on his home page and `/tasks/`."""
    return [e for e in workflow.work_for(user) if e.workflow.name.startswith("lifecycle.")]


def waiting_rows(user, *, on: dt.date | None = None) -> list[dict]:
    """Every record waiting for this person in the lifecycle with its deadline, earliest first."""
    on = on or today()
    rows = []
    for entry in my_queues(user):
        flow = entry.workflow
        for record in flow.queue_for(user, entry.transition).order_by("pk"):
            due = flow.due_of(record)
            rows.append({"title": entry.title, "record": record, "due": due, "overdue": bool(due and due < on),
                         "url": flow.url(record) if flow.url else ""})
    rows.sort(key=lambda row: row["due"] or dt.date.max)
    return rows


def open_deadlines(user):
    """The open deadline steps at the units in the user's scope (the deadline register, by due date; what
    waits for him personally is his queue, `kyso.core.workflow.work_for`)."""
    q = Q(pk__in=[])
    for p in scope.scope_paths(user, LC_CONFIRM) + scope.scope_paths(user, LC_REVIEW):
        q |= Q(unit__path__startswith=p)
    return Step.objects.filter(q, done_on__isnull=True).select_related("unit")
