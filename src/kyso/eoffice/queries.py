"""Reading the e-office: what a person sees (his units' books, and the documents that name him), one document,
the books searched, the leaders who may sign and the officers who may review a draft."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.accounts.models import RoleAssignment, User
from kyso.accounts.roles import Role
from kyso.core import workflow
from kyso.core.errors import NotFound
from kyso.org.models import Unit

from .flows import FLOWS
from .models import IncomingDocument, OutgoingDocument
from .permissions import EOFFICE_VIEW


def outgoing_for(user):
    qs = OutgoingDocument.objects.select_related("unit", "drafting_unit", "signer__person", "drafted_by")
    return qs.filter(scope.scope_q(user, EOFFICE_VIEW, "unit__path") | Q(signer=user) | Q(drafted_by=user)
                     | Q(reviewer=user)).distinct()


def incoming_for(user):
    qs = IncomingDocument.objects.select_related("unit", "assignee__person", "source")
    return qs.filter(scope.scope_q(user, EOFFICE_VIEW, "unit__path") | Q(assignee=user)).distinct()


def find_outgoing(user, pk) -> OutgoingDocument:
    try:
        return outgoing_for(user).get(pk=pk)
    except (OutgoingDocument.DoesNotExist, ValidationError, ValueError):
        raise NotFound("eoffice.document.not_found", _("No such document.")) from None


def get_incoming(user, pk) -> IncomingDocument:
    try:
        return incoming_for(user).get(pk=pk)
    except (IncomingDocument.DoesNotExist, ValidationError, ValueError):
        raise NotFound("eoffice.document.not_found", _("No such document.")) from None


def waiting(user) -> list:
    """The e-office queues of this person (from the workflow declarations), for the e-office page."""
    names = {f.name for f in FLOWS.values()}
    return [e for e in workflow.work_for(user) if e.workflow.name in names]


def search(user, *, book: str = "out", q: str = "", year: int | None = None, state: str = "", doc_type: str = "",
           unit: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None):
    """Both books, filtered; `q` matches the summary, the number and symbol, the sender."""
    q = " ".join(str(q or "").split())[:200]
    if book == "in":
        qs = incoming_for(user)
        if q:
            cond = Q(subject__icontains=q) | Q(original_number__icontains=q) | Q(sender__icontains=q)
            if q.isdigit():
                cond |= Q(arrival_number=int(q))
            qs = qs.filter(cond)
        if date_from:
            qs = qs.filter(received_at__date__gte=date_from)
        if date_to:
            qs = qs.filter(received_at__date__lte=date_to)
        order = ["-year", "-arrival_number"]
    else:
        qs = outgoing_for(user)
        if q:
            cond = Q(subject__icontains=q) | Q(symbol__icontains=q)
            if q.split("/")[0].isdigit():
                cond |= Q(number=int(q.split("/")[0]))
            qs = qs.filter(cond)
        if date_from:
            qs = qs.filter(issued_on__gte=date_from)
        if date_to:
            qs = qs.filter(issued_on__lte=date_to)
        order = ["-created_at"]
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if unit:
        qs = qs.filter(unit__code=unit)
    return qs.order_by(*order)


def signers_for(unit: Unit):
    """Leaders who may sign for `unit` (a role covering it), for the draft form."""
    ids = [ra.user_id for ra in RoleAssignment.objects.filter(role=Role.LEADER, is_active=True).select_related("unit")
           if unit.path.startswith(ra.unit.path)]
    return User.objects.filter(pk__in=ids, is_active=True).select_related("person").order_by("username")


def reviewers_for(doc: OutgoingDocument):
    """Who the drafter may name to review his draft: leaders and officers above its drafting unit — not himself."""
    return (User.objects.filter(role_assignments__role__in=[Role.LEADER, Role.UNIT_OFFICER],
                                role_assignments__unit__path__in=[u.path for u in doc.drafting_unit.ancestors(True)])
            .exclude(pk=doc.drafted_by_id).distinct().select_related("person"))
