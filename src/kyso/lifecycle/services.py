"""The certificate lifecycle, step by step (Decision 508, Art. 4–6). Views, API and CLI call these;
each checks scope and order, records its deadline steps and archives its documents."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound
from kyso.org.models import Unit
from kyso.workdays.calendar import today

from . import deadlines, exchange
from .models import (CertStatus, Certificate, DeviceEvent, DeviceState, IssuanceRequest, KeyDevice, ListState, Record,
                     RequestList, RequestState as R, RevocationReason, RevocationRequest, RevocationState as V, Source,
                     Subscriber, SubscriberKind)
from .permissions import LC_APPROVE, LC_CONFIRM, LC_DEVICE, LC_REQUEST, LC_REVIEW, LC_VIEW
from .transitions import move

IT_CENTER_CODE = "VSS.CNTT"
FORM01_FIELDS = ["full_name", "gender", "birth_date", "birth_place", "id_number", "id_issue_date", "id_issue_place",
                 "residence", "workplace", "phone_office", "phone_mobile", "fax", "title", "email",
                 "old_certificate_serial", "validity_years"]


def it_center() -> Unit:
    unit = Unit.objects.filter(code=IT_CENTER_CODE).first()
    if unit is None:
        raise NotFound("lifecycle.it_center.missing", _("The IT Center unit (%(code)s) is missing."), code=IT_CENTER_CODE)
    return unit


def managing_unit(unit: Unit) -> Unit:
    """The subscriber-managing unit: the nearest unit up the tree whose level manages subscribers."""
    u = unit
    while u is not None:
        if u.level.manages_subscribers:
            return u
        u = u.parent
    return unit


def _actor(user) -> str:
    return getattr(user, "username", "") or "system"


# ---------------------------------------------------------------- Form 01

def _subscriber_for(kind: str, person, unit: Unit) -> Subscriber:
    if kind == SubscriberKind.PERSON:
        sub = Subscriber.objects.filter(kind=kind, person=person).first()
        if sub is None:
            sub = Subscriber.objects.create(kind=kind, person=person, unit=person.unit,
                                            managing_unit=managing_unit(person.unit))
        return sub
    sub = Subscriber.objects.filter(kind=kind, unit=unit).first()
    if sub is None:
        sub = Subscriber.objects.create(kind=kind, unit=unit, managing_unit=managing_unit(unit))
    return sub


def _holds_valid(sub: Subscriber) -> bool:
    now = timezone.now()
    return sub.certificates.filter(status__in=[CertStatus.ISSUED, CertStatus.ACTIVE], not_after__gt=now).exists()


def file_request(user, *, kind: str, person=None, unit: Unit | None = None, data: dict | None = None,
                 seal_registration=None, title_confirmation=None, renewal_of: Certificate | None = None) -> IssuanceRequest:
    """Form 01, by the subscriber or for him by his managing unit."""
    data = dict(data or {})
    if kind not in SubscriberKind.values:
        raise InvalidInput("lifecycle.request.kind", _("The kind must be person or organization."))
    if kind == SubscriberKind.PERSON:
        if person is None:
            raise InvalidInput("lifecycle.request.person_missing", _("Name the person the certificate is for."))
        unit = person.unit
    elif unit is None:
        raise InvalidInput("lifecycle.request.unit_missing", _("Name the unit the certificate is for."))
    _require_acts_for(user, person if kind == SubscriberKind.PERSON else None, unit)
    if kind == SubscriberKind.ORGANIZATION and not unit.has_own_seal:
        raise InvalidInput("lifecycle.request.no_seal",
                           _("%(unit)s has no seal of its own: an organisation certificate is only issued to a unit "
                             "with its own seal (letter 26/CNTT-HTA)."), unit=unit.name)
    years = int(data.get("validity_years") or 5)
    if not 1 <= years <= 5:
        raise InvalidInput("lifecycle.request.validity", _("The validity asked is 1 to 5 years (Form 01)."),
                           fields={"validity_years": ("range", _("1 to 5 years."))})
    sub = _subscriber_for(kind, person, unit)
    open_states = [s for s in R.values if s not in (R.ACTIVATED, R.REFUSED)]
    if sub.requests.filter(state__in=open_states).exists():
        raise Conflict("lifecycle.request.duplicate", _("%(name)s already has a request in progress."), name=sub.name)
    if _holds_valid(sub) and renewal_of is None:
        raise Conflict("lifecycle.request.holds_valid",
                       _("%(name)s already holds a valid certificate of this kind; file a renewal or revoke it first."),
                       name=sub.name)
    is_seal_holder = bool(data.pop("is_seal_holder", False))
    if kind == SubscriberKind.PERSON:
        defaults = {"full_name": person.full_name, "gender": person.get_gender_display(), "birth_date": person.birth_date,
                    "birth_place": person.birth_place, "id_number": person.id_number,
                    "id_issue_date": person.id_issue_date, "id_issue_place": person.id_issue_place,
                    "residence": person.residence, "workplace": unit.name, "phone_office": person.phone_office,
                    "phone_mobile": person.phone_mobile, "fax": person.fax, "title": person.title, "email": person.email}
    else:
        defaults = {"full_name": unit.name, "workplace": unit.name, "email": f"vanthu@{unit.email_domain or 'vss.gov.vn'}",
                    "phone_office": unit.phone}
    if renewal_of is not None:
        defaults["old_certificate_serial"] = renewal_of.serial
    fields = {**defaults, **{k: v for k, v in data.items() if k in FORM01_FIELDS and v not in (None, "")}}
    fields["validity_years"] = years
    if is_seal_holder and (seal_registration is None or title_confirmation is None):
        raise InvalidInput("lifecycle.request.attachments",
                           _("A competent person under the seal rules attaches copies of the seal registration and "
                             "of the title confirmation (Art. 4.2.1)."))
    with audit.action("lifecycle.request.file"):
        req = IssuanceRequest.objects.create(subscriber=sub, kind=kind, unit=unit, created_by=_user(user),
                                             is_seal_holder=is_seal_holder, seal_registration=seal_registration,
                                             title_confirmation=title_confirmation, submitted_on=today(), **fields)
    _archive_form01(req)
    _tell_unit(req.subscriber.managing_unit, f"Đề nghị cấp chứng thư số mới (Mẫu 01) của {req.full_name} chờ xác nhận.")
    return req


def _require_acts_for(user, person, unit: Unit) -> None:
    """A subscriber acts for himself only (Form 01, Form 05); his managing unit and the IT Center act for
    anyone in their scope."""
    scope.require(user, LC_REQUEST, unit)
    officer = scope.can(user, LC_CONFIRM, managing_unit(unit)) or scope.can(user, LC_REVIEW)
    if not officer and (person is None or getattr(user, "person_id", None) != person.pk):
        raise Forbidden("lifecycle.request.only_own",
                        _("A subscriber acts only for himself; the managing unit acts for others."))


def _tell_unit(unit: Unit, text: str) -> None:
    """Tell a unit that something arrived for it (its official mailbox, through the outbox)."""
    from kyso.notify.services import notify

    if unit.email_domain:
        notify("email", f"vanthu@{unit.email_domain}", text, subject="Kyso — việc mới", topic="lifecycle.arrival")


def _user(user):
    return user if getattr(user, "pk", None) else None


def edit_request(user, req: IssuanceRequest, data: dict) -> IssuanceRequest:
    """Completing a returned request or correcting one: a change cancels earlier confirmations/approvals."""
    _require_acts_for(user, req.subscriber.person, req.unit)
    if req.state in (R.APPROVED, R.SENT_TO_CA, R.ISSUED, R.HANDED_TO_UNIT, R.HANDED_TO_SUBSCRIBER, R.ACTIVATED,
                     R.REFUSED):
        raise InvalidState("lifecycle.request.locked", _("The request can no longer be changed."))
    changed = False
    for key, value in data.items():
        if key in FORM01_FIELDS and getattr(req, key) != value:
            setattr(req, key, value)
            changed = True
    if not changed:
        return req
    with audit.action("lifecycle.request.edit"):
        req.version += 1
        req.confirmed_by = None
        req.approved_by = None
        if req.state != R.SUBMITTED:
            req.state = R.SUBMITTED        # every earlier confirmation/approval is void
        req.approval_list = None
        req.save()
    return req


def confirm_request(user, req: IssuanceRequest) -> IssuanceRequest:
    scope.require(user, LC_CONFIRM, req.subscriber.managing_unit)
    _not_on_hold(req, user)
    with audit.action("lifecycle.request.confirm"):
        move("request", req, R.CONFIRMED)
        req.confirmed_by = _user(user)
        req.save()
    return req


def hold(user, req: IssuanceRequest, reason: str) -> IssuanceRequest:
    """Put a request on hold with a reason (or release it with an empty reason) so colleagues don't collide:
    while it is held, only the officer who holds it acts on it; he or the IT Center releases it."""
    if not (scope.can(user, LC_CONFIRM, req.subscriber.managing_unit) or scope.can(user, LC_REVIEW)):
        raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
    reason = (reason or "").strip()[:300]
    if req.on_hold and req.held_by_id not in (None, getattr(user, "pk", None)) and not scope.can(user, LC_REVIEW):
        raise Forbidden("lifecycle.request.held_by_other", _("%(who)s holds this request: %(reason)s"),
                        who=req.held_by.username, reason=req.on_hold)
    with audit.action("lifecycle.request.hold" if reason else "lifecycle.request.release"):
        req.on_hold = reason
        req.held_by = _user(user) if reason else None
        req.save(update_fields=["on_hold", "held_by", "updated_at"])
    return req


def _not_on_hold(req, user=None):
    if req.on_hold and (req.held_by_id is None or req.held_by_id != getattr(user, "pk", None)):
        raise InvalidState("lifecycle.request.on_hold", _("The request is on hold (%(who)s): %(reason)s"),
                           reason=req.on_hold, who=req.held_by.username if req.held_by_id else "—")


# ---------------------------------------------------------------- Form 02 lists up the hierarchy

def _list_number(unit: Unit, approval: bool) -> str:
    n = RequestList.objects.filter(unit=unit).count() + 1
    return f"{n:02d}/{today():%Y}/{'DSPD' if approval else 'DS'}-{unit.code}"


def _next_up(unit: Unit) -> Unit:
    """District → its province office; province offices and HQ units → the IT Center."""
    parent = unit.parent
    while parent is not None and not parent.level.manages_subscribers:
        parent = parent.parent
    if parent is None or parent.parent is None:   # the parent is HQ itself
        return it_center()
    return parent


def compile_list(user, unit: Unit, request_ids=None, child_list_ids=None) -> RequestList:
    """A managing unit compiles its confirmed requests and the lists its lower units sent it."""
    scope.require(user, LC_CONFIRM, unit)
    reqs = IssuanceRequest.objects.filter(subscriber__managing_unit=unit, state=R.CONFIRMED, on_hold="")
    if request_ids:
        reqs = reqs.filter(pk__in=request_ids)
    children = RequestList.objects.filter(sent_to=unit, state=ListState.SENT, parent__isnull=True)
    if child_list_ids is not None:
        children = children.filter(pk__in=child_list_ids)
    reqs, children = list(reqs), list(children)
    if not reqs and not children:
        raise InvalidState("lifecycle.list.empty", _("There is nothing confirmed to compile."))
    with audit.action("lifecycle.list.compile"):
        lst = RequestList.objects.create(unit=unit, number=_list_number(unit, False), created_by=_user(user),
                                         created_on=today())
        for req in reqs:
            move("request", req, R.LISTED)
            req.unit_list = lst
            req.save()
        for child in children:
            move("list", child, ListState.RECEIVED)
            child.parent = lst
            child.save()
    return lst


def send_list(user, lst: RequestList) -> RequestList:
    scope.require(user, LC_CONFIRM, lst.unit)
    with audit.action("lifecycle.list.send"):
        move("list", lst, ListState.SENT)
        lst.sent_to = _next_up(lst.unit)
        lst.sent_on = today()
        lst.save()
    _archive_form02(lst)
    _tell_unit(lst.sent_to, f"Danh sách đề nghị cấp chứng thư số {lst.number} của {lst.unit.name} đã được gửi đến.")
    return lst


def requests_in(lst: RequestList) -> list[IssuanceRequest]:
    out = list(lst.requests.all()) + list(lst.approval_requests.all())
    for child in lst.children.all():
        out += requests_in(child)
    return out


def receive_list(user, lst: RequestList) -> RequestList:
    """The IT Center receives a list: its review of every request is due within 3 working days."""
    scope.require(user, LC_REVIEW)
    if lst.sent_to_id != it_center().pk:
        raise InvalidState("lifecycle.list.not_for_it_center", _("This list was not sent to the IT Center."))
    with audit.action("lifecycle.list.receive"):
        move("list", lst, ListState.RECEIVED)
        lst.save()
        for req in requests_in(lst):
            move("request", req, R.RECEIVED)
            req.save()
            deadlines.open_step("request", req.pk, "it_review", it_center())
    return lst


def review(user, req: IssuanceRequest, *, valid: bool, guidance: str = "") -> IssuanceRequest:
    scope.require(user, LC_REVIEW)
    _not_on_hold(req, user)
    if not valid and not guidance.strip():
        raise InvalidInput("lifecycle.review.guidance", _("An invalid request goes back with guidance."),
                           fields={"guidance": ("required", _("This field is required."))})
    with audit.action("lifecycle.request.review"):
        move("request", req, R.VALID if valid else R.RETURNED)
        req.guidance = guidance.strip()
        req.save()
        deadlines.close_steps("request", req.pk, "it_review")
        if not valid:
            step = deadlines.open_step("request", req.pk, "return_guidance", it_center())
            _notice(req, "return_guidance", str(_("Guidance to complete the request: %(g)s")) % {"g": req.guidance})
            deadlines.close_steps("request", req.pk, "return_guidance")
            del step
    return req


def resubmit(user, req: IssuanceRequest) -> IssuanceRequest:
    """A returned request, completed and confirmed again by the unit, goes straight back to the IT Center."""
    scope.require(user, LC_CONFIRM, req.subscriber.managing_unit)
    with audit.action("lifecycle.request.resubmit"):
        if req.state == R.RETURNED:
            move("request", req, R.SUBMITTED)
        move("request", req, R.CONFIRMED)
        move("request", req, R.LISTED)
        move("request", req, R.RECEIVED)
        req.confirmed_by = _user(user)
        req.save()
        deadlines.open_step("request", req.pk, "it_review", it_center())
    return req


def compile_approval_list(user, request_ids=None) -> RequestList:
    scope.require(user, LC_REVIEW)
    reqs = IssuanceRequest.objects.filter(state=R.VALID, on_hold="")
    if request_ids:
        reqs = reqs.filter(pk__in=request_ids)
    reqs = list(reqs)
    if not reqs:
        raise InvalidState("lifecycle.list.empty", _("There is nothing confirmed to compile."))
    with audit.action("lifecycle.list.compile_approval"):
        lst = RequestList.objects.create(unit=it_center(), is_approval_list=True, created_by=_user(user),
                                         number=_list_number(it_center(), True), created_on=today())
        move("list", lst, ListState.SUBMITTED)
        lst.save()
        for req in reqs:
            move("request", req, R.IN_APPROVAL)
            req.approval_list = lst
            req.save()
    _archive_form02(lst)
    _tell_leaders(f"Danh sách {lst.number} ({len(reqs)} đề nghị cấp chứng thư số) chờ lãnh đạo phê duyệt.")
    return lst


def _tell_leaders(text: str) -> None:
    from kyso.accounts.models import RoleAssignment
    from kyso.accounts.roles import Role
    from kyso.notify.services import notify_person

    for ra in RoleAssignment.objects.filter(role=Role.LEADER).select_related("user__person"):
        person = getattr(ra.user, "person", None)
        if person is not None:
            notify_person(person, text, subject="Kyso — chờ phê duyệt", topic="lifecycle.arrival")


def approve_list(user, lst: RequestList) -> RequestList:
    """The leadership approves; four eyes: nobody approves a list he compiled or a request he filed."""
    scope.require(user, LC_APPROVE)
    if lst.created_by_id == getattr(user, "pk", None) or \
            lst.approval_requests.filter(created_by_id=getattr(user, "pk", -1)).exists():
        raise Forbidden("lifecycle.approve.four_eyes",
                        _("Nobody approves a list he compiled or a request he filed (four eyes)."))
    with audit.action("lifecycle.list.approve"):
        move("list", lst, ListState.APPROVED)
        lst.approved_by = _user(user)
        lst.save()
        for req in lst.approval_requests.all():
            move("request", req, R.APPROVED)
            req.approved_by = _user(user)
            req.save()
    return lst


def send_to_ca(user, lst: RequestList, ca: exchange.CaExchange | None = None) -> list[exchange.Issued]:
    """Through the RA intake agency to the CA; the embedded CA issues at once onto a SoftHSM token."""
    scope.require(user, LC_REVIEW)
    ca = ca or exchange.for_name(None)
    reqs = list(lst.approval_requests.all())
    with audit.action("lifecycle.list.send_to_ca"):
        move("list", lst, ListState.SENT_TO_CA)
        lst.sent_on = today()
        lst.save()
        for req in reqs:
            move("request", req, R.SENT_TO_CA)
            req.save()
        issued = ca.submit(reqs)
        for item in issued:
            req = next(r for r in reqs if r.pk == item.request_id)
            record_issued(req, item.certificate, token_label=item.token_label, source=Source.EMBEDDED)
    return issued


def record_issued(req: IssuanceRequest, cert: x509.Certificate, *, token_label: str = "",
                  source: str = Source.EMBEDDED) -> Certificate:
    """The CA issued: record the certificate and its device; the handover to the unit is due in 2 working days."""
    move("request", req, R.ISSUED)
    req.save()
    device = None
    if token_label:
        device = KeyDevice.objects.create(serial=token_label.upper(), unit=it_center(), token_label=token_label)
    serial = format(cert.serial_number, "x")
    ours = None
    if source == Source.EMBEDDED:
        from kyso.pki.models import IssuedCertificate

        ours = IssuedCertificate.objects.filter(serial=serial).first()
    lc = Certificate.objects.create(
        issued=ours, serial=serial, issuer=cert.issuer.rfc4514_string()[:300],
        subject=cert.subject.rfc4514_string()[:500], not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc, kind=req.kind, subscriber=req.subscriber, device=device, source=source,
        der=cert.public_bytes(serialization.Encoding.DER), request=req)
    deadlines.open_step("request", req.pk, "handover_unit", it_center())
    return lc


def import_issued(user, data: bytes) -> list[Certificate]:
    """External CA: the issued certificates come back (PEM, DER, PKCS#7) and are matched to requests by e-mail."""
    scope.require(user, LC_REVIEW)
    certs = exchange.load_issued(data)
    out = []
    with audit.action("lifecycle.ca.import"):
        for cert in certs:
            req = exchange.match_by_public_key(cert, IssuanceRequest.objects.filter(state=R.SENT_TO_CA).exclude(csr_pem=""))
            email = exchange.email_of(cert)
            if req is None and email:
                req = IssuanceRequest.objects.filter(state=R.SENT_TO_CA, email__iexact=email).first()
            if req is None:
                cn = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
                name = cn[0].value if cn else ""
                req = IssuanceRequest.objects.filter(state=R.SENT_TO_CA, kind="organization", full_name=name).first()
            if req is None:
                raise InvalidInput("lifecycle.import.unmatched",
                                   _("Certificate %(subject)s matches no request sent to the CA."),
                                   subject=cert.subject.rfc4514_string())
            out.append(record_issued(req, cert, source=Source.IMPORTED))
    return out


def ca_outcome(user, req: IssuanceRequest, outcome: str, reason: str = "") -> IssuanceRequest:
    """The CA refused or asked for a supplement: the unit is told in writing within 2 working days."""
    scope.require(user, LC_REVIEW)
    if outcome not in ("refused", "supplement"):
        raise InvalidInput("lifecycle.ca.outcome", _("The outcome is refused or supplement."))
    if not reason.strip():
        raise InvalidInput("lifecycle.ca.reason", _("State the CA's reason."),
                           fields={"reason": ("required", _("This field is required."))})
    with audit.action(f"lifecycle.request.ca_{outcome}"):
        move("request", req, R.REFUSED if outcome == "refused" else R.SUPPLEMENT)
        req.guidance = reason.strip()
        req.save()
        deadlines.open_step("request", req.pk, "refusal_notice" if outcome == "refused" else "supplement_notice",
                            it_center())
    return req


def notify_unit_of_outcome(user, req: IssuanceRequest) -> IssuanceRequest:
    scope.require(user, LC_REVIEW)
    name = "refusal_notice" if req.state == R.REFUSED else "supplement_notice"
    if req.state not in (R.REFUSED, R.SUPPLEMENT):
        raise InvalidState("lifecycle.request.out_of_order", _("There is no CA outcome to notify."))
    from .models import Step

    if not Step.objects.filter(subject_type="request", subject_id=req.pk, name=name, done_on__isnull=True).exists():
        raise InvalidState("lifecycle.request.already_notified", _("The unit has already been notified."))
    with audit.action(f"lifecycle.request.{name}"):
        deadlines.close_steps("request", req.pk, name)
        _notice(req, name, req.guidance)
        until = None
        if req.state == R.SUPPLEMENT:
            until = deadlines.open_step("request", req.pk, "supplement_complete", req.subscriber.managing_unit).due_on
        _archive_outcome_notice(req, until)
    return req


def supplement_done(user, req: IssuanceRequest, data: dict | None = None) -> IssuanceRequest:
    scope.require(user, LC_CONFIRM, req.subscriber.managing_unit)
    with audit.action("lifecycle.request.supplement_done"):
        for key, value in (data or {}).items():
            if key in FORM01_FIELDS:
                setattr(req, key, value)
        move("request", req, R.SENT_TO_CA)
        req.save()
        deadlines.close_steps("request", req.pk, "supplement_complete")
    return req


# ---------------------------------------------------------------- handover and activation

def handover_to_unit(user, req: IssuanceRequest, *, by_post: bool = False) -> Record:
    """Form 03 "Cấp mới": IT Center → managing unit (for remote units by confidential post; the signed
    record coming back is attached with `attach_signed_record`)."""
    scope.require(user, LC_REVIEW)
    with audit.action("lifecycle.request.handover_unit"):
        move("request", req, R.HANDED_TO_UNIT)
        req.save()
        cert = req.certificates.order_by("-id").first()
        if cert and cert.device:
            _device_move(user, cert.device, DeviceState.ISSUED, holder=req.subscriber,
                         unit=req.subscriber.managing_unit, note="Bàn giao cho đơn vị quản lý thuê bao"
                         + (" qua đường công văn tối mật" if by_post else ""))
        deadlines.close_steps("request", req.pk, "handover_unit")
        deadlines.open_step("request", req.pk, "handover_subscriber", req.subscriber.managing_unit)
        _tell_unit(req.subscriber.managing_unit,
                   f"Trung tâm CNTT đã bàn giao chứng thư số của {req.full_name} (Mẫu 03); đề nghị chuyển giao cho "
                   f"thuê bao trong 02 ngày làm việc.")
        return _archive_form03(req, "Cấp mới", giver=it_center(), receiver=req.subscriber.managing_unit)


def attach_signed_record(user, req: IssuanceRequest, data: bytes) -> Record:
    """Handover by confidential post: the Form 03 signed by the managing unit comes back and is archived
    next to the one we sent (PDF only: it is a scan or a signed PDF)."""
    scope.require(user, LC_REVIEW)
    if req.state not in (R.HANDED_TO_UNIT, R.HANDED_TO_SUBSCRIBER, R.ACTIVATED):
        raise InvalidState("lifecycle.request.not_handed_over", _("The certificate has not been handed over yet."))
    if not data.startswith(b"%PDF-"):
        raise InvalidInput("lifecycle.record.not_pdf", _("The signed record must be a PDF file."))
    with audit.action("lifecycle.request.signed_record"):
        return _store_record("03", "Biên bản giao nhận chứng thư số (bản đã ký gửi lại)", "", "request", req.pk,
                             req.subscriber.managing_unit, data)


def handover_to_subscriber(user, req: IssuanceRequest) -> IssuanceRequest:
    """Managing unit → subscriber, reported back; the activation notice is then due in 1 working day."""
    scope.require(user, LC_CONFIRM, req.subscriber.managing_unit)
    with audit.action("lifecycle.request.handover_subscriber"):
        move("request", req, R.HANDED_TO_SUBSCRIBER)
        req.save()
        deadlines.close_steps("request", req.pk, "handover_subscriber")
        deadlines.open_step("request", req.pk, "activation_notice", it_center())
        _archive_form03(req, "Cấp mới", giver=req.subscriber.managing_unit, receiver=req.unit,
                        receiver_rep=req.subscriber.person)
    return req


def activate(user, req: IssuanceRequest) -> Certificate:
    """Form 04 to the CA; the certificate is effective from the CA's publication (ours publishes at once)."""
    scope.require(user, LC_REVIEW)
    with audit.action("lifecycle.request.activate"):
        move("request", req, R.ACTIVATED)
        req.save()
        cert = req.certificates.order_by("-id").first()
        cert.status = CertStatus.ACTIVE
        cert.effective_at = timezone.now()
        cert.save()
        deadlines.close_steps("request", req.pk, "activation_notice")
        _archive_form04(req, cert)
    if req.subscriber.person_id:
        from kyso.notify.services import notify_person

        notify_person(req.subscriber.person, f"Chứng thư số {cert.serial} của bạn đã có hiệu lực.",
                      subject="Kyso — chứng thư số có hiệu lực", topic="lifecycle.activated", obj=cert, sms=True)
    return cert


# ---------------------------------------------------------------- revocation (Art. 6)

IMMEDIATE = {"c", "e"}


def request_revocation(user, cert: Certificate, *, reason: str, detail: str = "", phone_notice: str = "",
                       device_explanation: str = "") -> RevocationRequest:
    if reason not in RevocationReason.values:
        raise InvalidInput("lifecycle.revocation.reason", _("Unknown revocation reason %(reason)s (a, b, c, d, dd, e)."),
                           reason=reason)
    _require_acts_for(user, cert.subscriber.person, cert.subscriber.unit)
    if cert.status == CertStatus.REVOKED:
        raise InvalidState("lifecycle.revocation.already_revoked", _("The certificate is already revoked."))
    if cert.revocations.exclude(state=V.DEVICE_RETURNED).exists():
        raise Conflict("lifecycle.revocation.in_progress", _("A revocation of this certificate is already in progress."))
    if reason in IMMEDIATE and not phone_notice.strip():
        raise InvalidInput("lifecycle.revocation.phone_notice",
                           _("Reasons c and e are notified at once by phone to the IT Center: record the call."),
                           fields={"phone_notice": ("required", _("This field is required."))})
    with audit.action("lifecycle.revocation.request"):
        rev = RevocationRequest.objects.create(certificate=cert, reason=reason, detail=detail, phone_notice=phone_notice,
                                               device_lost_explanation=device_explanation, requested_on=today(),
                                               created_by=_user(user))
        by_unit_officer = scope.can(user, LC_CONFIRM, cert.subscriber.managing_unit)
        if reason != "b" or by_unit_officer:
            # Only reason b is the subscriber's own Form 05 needing the unit's confirmation.
            _confirm_revocation(rev)
        if reason in IMMEDIATE and cert.device and cert.device.state == DeviceState.ISSUED:
            _device_move(user, cert.device, DeviceState.RECOVERED, holder=None, unit=cert.subscriber.managing_unit,
                         note="Biên bản thu hồi thiết bị lập ngay (điểm c, e khoản 1 Điều 6)")
            # the device-recovery record, at once: the subscriber hands the device to his managing unit
            _archive_form03(None, "Thu hồi", giver=cert.subscriber.unit, receiver=cert.subscriber.managing_unit,
                            certificate=cert, receiver_rep=None,
                            note=f"Thu hồi ngay theo điểm {reason} khoản 1 Điều 6; {phone_notice.strip()}"[:200])
    _archive_form05(rev)
    return rev


def _confirm_revocation(rev: RevocationRequest) -> None:
    move("revocation", rev, V.CONFIRMED)
    rev.save()
    deadlines.open_step("revocation", rev.pk, "revoke_now" if rev.reason in IMMEDIATE else "revoke_1wd", it_center())


def confirm_revocation(user, rev: RevocationRequest) -> RevocationRequest:
    scope.require(user, LC_CONFIRM, rev.certificate.subscriber.managing_unit)
    with audit.action("lifecycle.revocation.confirm"):
        _confirm_revocation(rev)
    return rev


def send_revocation(user, rev: RevocationRequest, ca: exchange.CaExchange | None = None) -> RevocationRequest:
    scope.require(user, LC_REVIEW)
    ca = ca or exchange.for_name(None)
    with audit.action("lifecycle.revocation.send"):
        move("revocation", rev, V.SENT_TO_CA)
        rev.save()
        deadlines.close_steps("revocation", rev.pk, "revoke_now", "revoke_1wd")
        if ca.revoke(rev.certificate, rev.reason):
            _revoked(rev)
    return rev


def ca_confirmed_revocation(user, rev: RevocationRequest) -> RevocationRequest:
    """External CA: its written confirmation arrived."""
    scope.require(user, LC_REVIEW)
    with audit.action("lifecycle.revocation.ca_confirmed"):
        _revoked(rev)
    return rev


def _revoked(rev: RevocationRequest) -> None:
    move("revocation", rev, V.REVOKED)
    rev.save()
    cert = rev.certificate
    cert.status = CertStatus.REVOKED
    cert.revoked_at = timezone.now()
    cert.revocation_reason = rev.reason
    cert.save()
    deadlines.open_step("revocation", rev.pk, "revocation_notice", it_center())


def notify_unit_to_recover(user, rev: RevocationRequest) -> RevocationRequest:
    scope.require(user, LC_REVIEW)
    with audit.action("lifecycle.revocation.notify_unit"):
        move("revocation", rev, V.UNIT_NOTIFIED)
        rev.save()
        deadlines.close_steps("revocation", rev.pk, "revocation_notice")
        _notice_unit(rev.certificate.subscriber.managing_unit, rev.certificate.subscriber,
                     "Thông báo thu hồi thiết bị lưu khóa bí mật của %s (chứng thư số %s)"
                     % (rev.certificate.subscriber.name, rev.certificate.serial))
    return rev


def return_device(user, rev: RevocationRequest, *, lost_or_damaged: str = "", explanation: str = "") -> Record:
    """The unit recovers, seals and returns the device (Form 03 "Thu hồi"); a lost or damaged device
    needs a written explanation confirmed by the unit."""
    scope.require(user, LC_CONFIRM, rev.certificate.subscriber.managing_unit)
    device = rev.certificate.device
    with audit.action("lifecycle.revocation.return_device"):
        move("revocation", rev, V.DEVICE_RETURNED)
        if lost_or_damaged:
            if lost_or_damaged not in ("lost", "damaged"):
                raise InvalidInput("lifecycle.device.condition", _("The device is either lost or damaged."))
            if not explanation.strip():
                raise InvalidInput("lifecycle.device.explanation",
                                   _("A lost or damaged device needs a written explanation confirmed by the unit."),
                                   fields={"explanation": ("required", _("This field is required."))})
            rev.device_lost_explanation = explanation.strip()
        rev.save()
        if device is not None:
            if lost_or_damaged == "lost":
                if device.state != DeviceState.LOST:
                    _device_move(user, device, DeviceState.LOST, note=explanation)
            else:
                if lost_or_damaged == "damaged" and device.state == DeviceState.ISSUED:
                    _device_move(user, device, DeviceState.DAMAGED, note=explanation)
                if device.state in (DeviceState.ISSUED, DeviceState.DAMAGED):
                    _device_move(user, device, DeviceState.RECOVERED, holder=None, note="Thu hồi thiết bị")
                _device_move(user, device, DeviceState.SEALED, note="Niêm phong thiết bị")
                _device_move(user, device, DeviceState.RETURNED, unit=it_center(),
                             note="Bàn giao về cơ quan chủ quản để trả tổ chức chứng thực")
        req = rev.certificate.request
        return _archive_form03(req, "Thu hồi", giver=rev.certificate.subscriber.managing_unit, receiver=it_center(),
                               certificate=rev.certificate, note=rev.device_lost_explanation)


# ---------------------------------------------------------------- key devices

_KEEP = object()

def register_device(user, *, serial: str, unit: Unit, model: str = "") -> KeyDevice:
    scope.require(user, LC_DEVICE, unit)
    serial = (serial or "").strip().upper()
    if not serial:
        raise InvalidInput("lifecycle.device.serial", _("The device serial number is required."))
    if KeyDevice.objects.filter(serial=serial).exists():
        raise Conflict("lifecycle.device.duplicate", _("A device with serial %(serial)s exists already."), serial=serial)
    with audit.action("lifecycle.device.register"):
        return KeyDevice.objects.create(serial=serial, unit=unit, model=model or "USB token")


def change_device(user, device: KeyDevice, to: str, *, note: str = "", holder=_KEEP) -> KeyDevice:
    scope.require(user, LC_DEVICE, device.unit)
    if to not in DeviceState.values:
        raise InvalidInput("lifecycle.device.state", _("Unknown device state %(state)s."), state=to)
    if to == DeviceState.ISSUED and not isinstance(holder, Subscriber):
        raise InvalidInput("lifecycle.device.holder", _("A device is issued to a subscriber: name the holder."))
    if to == DeviceState.RECOVERED and holder is _KEEP:
        holder = None
    if to in (DeviceState.LOST, DeviceState.DAMAGED) and not note.strip():
        raise InvalidInput("lifecycle.device.explanation",
                           _("A lost or damaged device needs a written explanation confirmed by the unit."))
    with audit.action("lifecycle.device.change"):
        _device_move(user, device, to, holder=holder, note=note)
    return device


def search_devices(user, *, q: str = "", unit: str = "", state: str = ""):
    """Key devices in the user's scope, by serial, holder's name or unit code."""
    qs = scope.filter_by_scope(KeyDevice.objects.select_related("unit", "holder__person", "holder__unit"), user,
                               LC_VIEW, "unit__path").order_by("serial")
    if q:
        qs = qs.filter(Q(serial__icontains=q.strip()) | Q(holder__person__full_name__icontains=q.strip())
                       | Q(holder__unit__name__icontains=q.strip()))
    if unit:
        qs = qs.filter(unit__code=unit.strip())
    if state:
        qs = qs.filter(state=state)
    return qs


def device_by_serial(user, serial: str) -> KeyDevice:
    device = search_devices(user).filter(serial=(serial or "").strip().upper()).first()
    if device is None:
        raise NotFound("lifecycle.device.not_found", _("No key device %(serial)s in your scope."), serial=serial)
    return device


def _device_move(user, device: KeyDevice, to: str, *, holder=_KEEP, unit=None, note: str = "") -> None:
    before = device.state
    move("device", device, to)
    if holder is not _KEEP:
        device.holder = holder
    if unit is not None:
        device.unit = unit
    device.save()
    DeviceEvent.objects.create(device=device, from_state=before, to_state=to, holder=device.holder, unit=device.unit,
                               note=note, actor=_actor(user))


# ---------------------------------------------------------------- queues, expiry, seal campaign

def visible_requests(user):
    return scope.filter_by_scope(IssuanceRequest.objects.select_related("unit", "subscriber"), user, LC_VIEW,
                                 "unit__path")


def visible_certificates(user):
    return scope.filter_by_scope(Certificate.objects.select_related("subscriber", "subscriber__unit"), user, LC_VIEW,
                                 "subscriber__unit__path")


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


def my_steps(user):
    from .models import Step

    paths = scope.scope_paths(user, LC_CONFIRM) + scope.scope_paths(user, LC_REVIEW)
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(unit__path__startswith=p)
    return Step.objects.filter(q, done_on__isnull=True).select_related("unit")


def expiry_buckets(user, on: dt.date | None = None) -> dict:
    now = timezone.now() if on is None else timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    qs = visible_certificates(user).filter(status__in=[CertStatus.ISSUED, CertStatus.ACTIVE])
    return {
        "expired": qs.filter(not_after__lte=now).count()
        + visible_certificates(user).filter(status=CertStatus.EXPIRED).count(),
        "within_30": qs.filter(not_after__gt=now, not_after__lte=now + dt.timedelta(days=30)).count(),
        "within_60": qs.filter(not_after__gt=now + dt.timedelta(days=30), not_after__lte=now + dt.timedelta(days=60)).count(),
        "within_90": qs.filter(not_after__gt=now + dt.timedelta(days=60), not_after__lte=now + dt.timedelta(days=90)).count(),
    }


def seal_campaign(user) -> dict:
    """Letter 26: organisation certificates of units without a seal (to revoke); units with a seal and no
    organisation certificate, such as Offices (to request)."""
    certs = visible_certificates(user).filter(kind="organization", status__in=[CertStatus.ISSUED, CertStatus.ACTIVE])
    to_revoke = [c for c in certs if not c.subscriber.unit.has_own_seal]
    holders = set(certs.values_list("subscriber__unit_id", flat=True))
    units = scope.filter_by_scope(Unit.objects.filter(has_own_seal=True, is_active=True), user, LC_VIEW, "path")
    to_request = [u for u in units if u.pk not in holders]
    return {"to_revoke": to_revoke, "to_request": to_request}


def renewal(user, cert: Certificate) -> IssuanceRequest:
    """A renewal request pre-filled from the old certificate (letter 26)."""
    sub = cert.subscriber
    return file_request(user, kind=sub.kind, person=sub.person, unit=sub.unit if sub.kind == "organization" else None,
                        data={"old_certificate_serial": cert.serial}, renewal_of=cert)


# ---------------------------------------------------------------- documents and notices

def _store_record(form: str, title: str, number: str, subject_type: str, subject_id: int, unit: Unit,
                  pdf: bytes) -> Record:
    from kyso.files.storage import store

    stored = store(pdf, name=f"mau-{form}-{subject_type}-{subject_id}.pdf", media_type="application/pdf",
                   purpose=f"lifecycle.form{form}", unit_path=unit.path)
    return Record.objects.create(form=form, title=title, number=number, subject_type=subject_type,
                                 subject_id=subject_id, unit=unit, pdf=stored, created_on=today())


def _archive_form01(req):
    from .documents import form01_pdf

    _store_record("01", "Giấy đề nghị cấp chứng thư số", "", "request", req.pk, req.unit, form01_pdf(req))


def _archive_form02(lst):
    from .documents import form02_pdf

    _store_record("02", "Danh sách đề nghị cấp chứng thư số", lst.number, "list", lst.pk, lst.unit, form02_pdf(lst))


def _archive_form03(req, kind, *, giver, receiver, certificate=None, note="", receiver_rep=None):
    from .documents import form03_pdf

    cert = certificate or (req.certificates.order_by("-id").first() if req else None)
    return _store_record("03", f"Biên bản giao nhận chứng thư số ({kind})", "", "request" if req else "certificate",
                         req.pk if req else cert.pk, giver,
                         form03_pdf(kind, giver=giver, receiver=receiver, certificate=cert, note=note,
                                    receiver_rep=receiver_rep))


def _archive_form04(req, cert):
    from kyso.core.documents import render_pdf

    from .documents import form04_for_request

    _store_record("04", "Đề nghị thời điểm có hiệu lực của chứng thư số", "", "request", req.pk, it_center(),
                  render_pdf(form04_for_request(req)))


def _archive_outcome_notice(req, until):
    """The owning authority's written notice to the unit: the CA refused (with its reason) or asks for a
    supplement (to complete by `until`)."""
    from kyso.core.documents import render_pdf

    from .documents import outcome_notice

    refused = req.state == R.REFUSED
    _store_record("notice", "Thông báo từ chối cấp chứng thư số" if refused else "Thông báo bổ sung hồ sơ", "",
                  "request", req.pk, it_center(), render_pdf(outcome_notice(req, until)))


def _archive_form05(rev):
    from .documents import form05_pdf

    _store_record("05", "Giấy đề nghị thu hồi chứng thư số", "", "revocation", rev.pk,
                  rev.certificate.subscriber.unit, form05_pdf(rev))


def _notice(req, kind: str, text: str) -> None:
    _notice_unit(req.subscriber.managing_unit, req.subscriber, text)


def _notice_unit(unit: Unit, subscriber: Subscriber, text: str) -> None:
    from kyso.notify.services import notify, notify_person

    if unit.email_domain:
        notify("email", f"vanthu@{unit.email_domain}", text, subject="Kyso — chứng thư số", topic="lifecycle.notice")
    if subscriber.person_id:
        notify_person(subscriber.person, text, subject="Kyso — chứng thư số", topic="lifecycle.notice")
