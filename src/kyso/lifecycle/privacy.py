"""Personal data on the certificate forms (issue 16, finding 4): who sees it, and the trail of every read.

Personal data here is what Form 01 and Form 05 carry about a person beyond his name, title, unit and
government e-mail: date and place of birth, identity (CCCD/CMND/passport) number with its issue date and
place, permanent residence and mobile phone (`PERSONAL_FIELDS`). It is shown only to whom the work needs it:

- the person himself;
- the officers of his managing unit (who confirm his Form 01 and his Form 05) — the IT Center's officers for
  the units it keeps;
- the IT Center (which reviews it and sends it to the CA);
- a leader, for the requests in a list submitted for his approval.

Everyone else who may see a request (the auditor; a leader for other requests) sees it without those fields,
and the forms rendered for them leave them blank. Every read of them — a request through the API or its
page, Form 01, a Form 02 list, Form 05, an archived form — writes one audit record per request (or per
revocation), "lifecycle.personal_data.read", saying through what it was read: never one per field.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core.documents import OfficialDocument
from kyso.core.errors import NotFound

from . import documents

from .models import PERSONAL_FIELDS, IssuanceRequest, Record, RequestList, RevocationRequest, SubscriberKind
from .officers import is_managing_officer
from .permissions import LC_APPROVE, LC_REVIEW

READ = "lifecycle.personal_data.read"
PERSONAL_FORMS = ("01", "02", "05")


def _own(user, subscriber) -> bool:
    return bool(getattr(user, "person_id", None)) and subscriber.person_id == user.person_id


def _officer(user, subscriber, unit) -> bool:
    return is_managing_officer(user, subscriber.managing_unit) or scope.can(user, LC_REVIEW, unit)


def entitled(user, req: IssuanceRequest) -> bool:
    """Whether `user` may see the personal data of this request."""
    sub = req.subscriber
    return (_own(user, sub) or _officer(user, sub, req.unit)
            or bool(req.approval_list_id) and scope.can(user, LC_APPROVE, req.unit))


def entitled_to_revocation(user, rev: RevocationRequest) -> bool:
    sub = rev.certificate.subscriber
    return _own(user, sub) or _officer(user, sub, sub.unit)


def reveal(user, requests, via: str) -> set[int]:
    """The requests whose personal data `user` sees — each read audited once."""
    shown = set()
    for req in requests:
        if req.kind == SubscriberKind.PERSON and entitled(user, req):
            audit.record(READ, req, after={"via": via})
            shown.add(req.pk)
    return shown


def reveal_revocation(user, rev: RevocationRequest, via: str) -> bool:
    if rev.certificate.subscriber.person_id is None or not entitled_to_revocation(user, rev):
        return False
    audit.record(READ, rev, after={"via": via})
    return True


def reveal_all(user, requests, via: str) -> bool:
    """All or nothing, for a document that cannot be shown in part (an archived form): `user` must be
    entitled to every person's data in it; then each read is audited."""
    people = [r for r in requests if r.kind == SubscriberKind.PERSON]
    if not all(entitled(user, r) for r in people):
        return False
    reveal(user, people, via)
    return True


def record_readable(user, rec: Record) -> bool:
    """An archived form with personal data is served only to whom may see all of it (the read audited)."""
    if rec.form not in PERSONAL_FORMS:
        return True
    if rec.subject_type == "request":
        return reveal_all(user, IssuanceRequest.objects.filter(pk=rec.subject_id), via=f"record.{rec.form}")
    if rec.subject_type == "list":
        lst = RequestList.objects.filter(pk=rec.subject_id).first()
        return lst is not None and reveal_all(user, lst.all_requests(), via="record.02")
    if rec.subject_type == "revocation":
        rev = RevocationRequest.objects.filter(pk=rec.subject_id).first()
        return rev is not None and (rev.certificate.subscriber.person_id is None
                                    or reveal_revocation(user, rev, via="record.05"))
    return False


# ---------------------------------------------------------------- the forms as each reader gets them

def form01_for(user, req: IssuanceRequest, via: str) -> OfficialDocument:
    """Form 01 is the person's own data through and through: only to who may see it."""
    if req.kind == SubscriberKind.PERSON and not reveal(user, [req], via):
        raise NotFound("lifecycle.form01.not_shown", _("Form 01 of this request is shown only to the subscriber, "
                                                       "his managing unit and the IT Center."))
    return documents.form01(req)


def form02_for(user, lst: RequestList, via: str) -> OfficialDocument:
    return documents.form02(lst, shown=reveal(user, lst.all_requests(), via))


def form02_xlsx_for(user, lst: RequestList, via: str) -> bytes:
    return documents.form02_xlsx(lst, shown=reveal(user, lst.all_requests(), via))


def form05_for(user, rev: RevocationRequest, via: str) -> OfficialDocument:
    return documents.form05(rev, personal=reveal_revocation(user, rev, via))
