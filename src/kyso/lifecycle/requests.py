"""Form 01 (Art. 4.1–4.2): the subscriber's request — filed by him or for him by his managing unit,
completed or corrected (a change voids earlier confirmations and approvals), confirmed by the managing
unit, put on hold by an officer so colleagues don't collide."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import Conflict, Forbidden, InvalidInput, InvalidState
from kyso.core.validators import check_text
from kyso.org.models import Unit
from kyso.workdays.calendar import today

from . import archive
from .flows import EDITABLE, REQUEST, refused
from .models import CertStatus, Certificate, IssuanceRequest, RequestState as R, Subscriber, SubscriberKind
from .officers import is_officer_of, recorded, require_acts_for
from .permissions import LC_REQUEST, LC_REVIEW
from .units import subscriber_for

FORM01_FIELDS = ["full_name", "gender", "birth_date", "birth_place", "id_number", "id_issue_date", "id_issue_place",
                 "residence", "workplace", "phone_office", "phone_mobile", "fax", "title", "email",
                 "old_certificate_serial", "validity_years"]
# Who the person is: copied from his staff record; not his to change on the form (issue 16, finding 4).
IDENTITY_FIELDS = ("full_name", "gender", "birth_date", "birth_place", "id_number", "id_issue_date", "id_issue_place",
                   "email")
FILE = steps.step("lifecycle.request.file", perm=LC_REQUEST, label=_("File a certificate request (Form 01)"))
EDIT = steps.step("lifecycle.request.edit", perm=LC_REQUEST, label=_("Complete / correct the request"))
HOLD = steps.step("lifecycle.request.hold", label=_("Put on hold"))
RELEASE = steps.step("lifecycle.request.release", label=_("Release the hold"))


def _holds_valid(sub: Subscriber) -> bool:
    return sub.certificates.filter(status__in=[CertStatus.ISSUED, CertStatus.ACTIVE],
                                   not_after__gt=timezone.now()).exists()


def check_identity(user, kind: str, person, managing, changes: dict) -> None:
    """A person's Form 01 is about him: its identity number and e-mail are his (as in his staff record — the
    e-mail receives his one-time codes), and only an officer of his managing unit or the IT Center corrects
    the other identity fields. A subscriber changes what is his to state (title, residence, phones…)."""
    if kind != SubscriberKind.PERSON:
        return
    for name, mine in (("id_number", person.id_number), ("email", person.email)):
        if name in changes and str(changes[name] or "").strip().lower() != (mine or "").strip().lower():
            raise InvalidInput("lifecycle.request.not_the_person",
                               _("A person's Form 01 carries his own identity number and e-mail, as in his staff "
                                 "record: correct the staff record first."),
                               fields={name: ("not_the_person", _("This is not the person's own."))})
    touched = [name for name in IDENTITY_FIELDS if name in changes]
    if touched and not is_officer_of(user, managing):
        raise Forbidden("lifecycle.request.identity",
                        _("The identity on Form 01 comes from the staff record: only the managing unit corrects it."),
                        fields={name: ("identity", _("Only the managing unit corrects this.")) for name in touched})


def validate_form01(data: dict) -> None:
    """The one validation of Form 01's fields, for filing and for every later edit (page, API, CLI): the
    validity asked is 1 to 5 years; text fields hold no control characters."""
    if "validity_years" in data and data["validity_years"] not in (None, ""):
        try:
            years = int(data["validity_years"])
        except (TypeError, ValueError):
            years = 0
        if not 1 <= years <= 5:
            raise InvalidInput("lifecycle.request.validity", _("The validity asked is 1 to 5 years (Form 01)."),
                               fields={"validity_years": ("range", _("1 to 5 years."))})
    check_text({k: v for k, v in data.items() if k in FORM01_FIELDS})


def _form01_defaults(kind, person, unit: Unit) -> dict:
    if kind == SubscriberKind.PERSON:
        return {"full_name": person.full_name, "gender": person.get_gender_display(), "birth_date": person.birth_date,
                "birth_place": person.birth_place, "id_number": person.id_number,
                "id_issue_date": person.id_issue_date, "id_issue_place": person.id_issue_place,
                "residence": person.residence, "workplace": unit.name, "phone_office": person.phone_office,
                "phone_mobile": person.phone_mobile, "fax": person.fax, "title": person.title, "email": person.email}
    return {"full_name": unit.name, "workplace": unit.name, "email": f"vanthu@{unit.email_domain or 'vss.gov.vn'}",
            "phone_office": unit.phone}


def file_request(user, *, kind: str, person=None, unit: Unit | None = None, data: dict | None = None,
                 seal_registration=None, title_confirmation=None,
                 renewal_of: Certificate | None = None) -> IssuanceRequest:
    """Form 01, by the subscriber or for him by his managing unit."""
    data = dict(data or {})
    if kind == SubscriberKind.PERSON and person is not None:
        unit = person.unit

    def body(attempt):
        if kind not in SubscriberKind.values:
            raise InvalidInput("lifecycle.request.kind", _("The kind must be person or organization."))
        if kind == SubscriberKind.PERSON and person is None:
            raise InvalidInput("lifecycle.request.person_missing", _("Name the person the certificate is for."))
        if unit is None:
            raise InvalidInput("lifecycle.request.unit_missing", _("Name the unit the certificate is for."))
        require_acts_for(user, person if kind == SubscriberKind.PERSON else None, unit)
        if kind == SubscriberKind.ORGANIZATION and not unit.has_own_seal:
            raise InvalidInput("lifecycle.request.no_seal",
                               _("%(unit)s has no seal of its own: an organisation certificate is only issued to a "
                                 "unit with its own seal (letter 26/CNTT-HTA)."), unit=unit.name)
        validate_form01(data)
        years = int(data.get("validity_years") or 5)
        sub = subscriber_for(kind, person, unit)
        check_identity(user, kind, person, sub.managing_unit,
                       {k: v for k, v in data.items() if k in IDENTITY_FIELDS and v not in (None, "")})
        if sub.requests.exclude(state__in=[R.ACTIVATED, R.REFUSED]).exists():
            raise Conflict("lifecycle.request.duplicate", _("%(name)s already has a request in progress."),
                           name=sub.name)
        if _holds_valid(sub) and renewal_of is None:
            raise Conflict("lifecycle.request.holds_valid",
                           _("%(name)s already holds a valid certificate of this kind; file a renewal or revoke it "
                             "first."), name=sub.name)
        is_seal_holder = bool(data.pop("is_seal_holder", False))
        defaults = _form01_defaults(kind, person, unit)
        if renewal_of is not None:
            defaults["old_certificate_serial"] = renewal_of.serial
        fields = {**defaults, **{k: v for k, v in data.items() if k in FORM01_FIELDS and v not in (None, "")}}
        fields["validity_years"] = years
        if is_seal_holder and (seal_registration is None or title_confirmation is None):
            raise InvalidInput("lifecycle.request.attachments",
                               _("A competent person under the seal rules attaches copies of the seal registration "
                                 "and of the title confirmation (Art. 4.2.1)."))
        req = IssuanceRequest.objects.create(subscriber=sub, kind=kind, unit=unit, created_by=recorded(user),
                                             is_seal_holder=is_seal_holder, seal_registration=seal_registration,
                                             title_confirmation=title_confirmation, submitted_on=today(), **fields)
        archive.form01(req)
        archive.tell_unit(sub.managing_unit,
                          f"Đề nghị cấp chứng thư số mới (Mẫu 01) của {req.full_name} chờ xác nhận.")
        return req

    return steps.run(FILE, body, actor=user, unit=unit)


def edit_request(user, req: IssuanceRequest, data: dict) -> IssuanceRequest:
    """Completing a returned request or correcting one: a change voids every earlier confirmation and
    approval — the request is filed again (and leaves any list it was in)."""
    if req.state not in EDITABLE:
        raise refused(InvalidState("lifecycle.request.locked", _("The request can no longer be changed.")))
    changes = {k: v for k, v in data.items() if k in FORM01_FIELDS and getattr(req, k) != v}
    if not changes:      # nothing to save, but the same right to ask
        return steps.run(EDIT, lambda attempt: require_acts_for(user, req.subscriber.person, req.unit) or req,
                         actor=user)

    def body(attempt):
        validate_form01(changes)
        check_identity(user, req.kind, req.subscriber.person, req.subscriber.managing_unit, changes)
        for key, value in changes.items():
            setattr(req, key, value)
        req.version += 1
        req.confirmed_by = req.approved_by = req.approval_list = req.unit_list = None
        req.state = R.SUBMITTED
        req.save()

    return REQUEST.perform("edit", req, actor=user, body=body)


def confirm_request(user, req: IssuanceRequest) -> IssuanceRequest:
    """The managing unit confirms the Form 01 (the IT Center for the units it keeps)."""
    def body(attempt):
        req.confirmed_by = recorded(user)

    return REQUEST.perform("confirm", req, actor=user, body=body)


def hold(user, req: IssuanceRequest, reason: str) -> IssuanceRequest:
    """Put a request on hold with a reason (or release it with an empty reason) so colleagues don't collide:
    while it is held, only the officer who holds it acts on it; he or the IT Center releases it."""
    reason = (reason or "").strip()[:300]

    def body(attempt):
        if not is_officer_of(user, req.subscriber.managing_unit):
            raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
        if req.on_hold and req.held_by_id not in (None, getattr(user, "pk", None)) and not scope.can(user, LC_REVIEW):
            raise Forbidden("lifecycle.request.held_by_other", _("%(who)s holds this request: %(reason)s"),
                            who=req.held_by.username, reason=req.on_hold)
        req.on_hold = reason
        req.held_by = recorded(user) if reason else None
        req.save(update_fields=["on_hold", "held_by", "updated_at"])
        return req

    return steps.run(HOLD if reason else RELEASE, body, actor=user, obj=req)
