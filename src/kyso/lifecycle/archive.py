"""What the lifecycle keeps and sends along the way: every form (01–05) and written notice archived as a
PDF `Record` (never deleted, Art. 9.4, 10.7), and the messages that tell a unit, a subscriber or the
leadership that something arrived for them (through the outbox, after commit)."""

from __future__ import annotations

from kyso.accounts.models import RoleAssignment
from kyso.accounts.roles import Role
from kyso.core.documents import render_pdf
from kyso.files.storage import store
from kyso.notify.services import notify, notify_person
from kyso.org.models import Unit
from kyso.workdays.calendar import today

from . import documents
from .models import Record, RequestState, Subscriber
from .units import it_center


def store_record(form: str, title: str, number: str, subject_type: str, subject_id: int, unit: Unit,
                 pdf: bytes) -> Record:
    stored = store(pdf, name=f"mau-{form}-{subject_type}-{subject_id}.pdf", media_type="application/pdf",
                   purpose=f"lifecycle.form{form}", unit_path=unit.path)
    return Record.objects.create(form=form, title=title, number=number, subject_type=subject_type,
                                 subject_id=subject_id, unit=unit, pdf=stored, created_on=today())


def form01(req) -> Record:
    return store_record("01", "Giấy đề nghị cấp chứng thư số", "", "request", req.pk, req.unit,
                        documents.form01_pdf(req))


def form02(lst) -> Record:
    return store_record("02", "Danh sách đề nghị cấp chứng thư số", lst.number, "list", lst.pk, lst.unit,
                        documents.form02_pdf(lst))


def form03(req, kind, *, giver, receiver, certificate=None, note="", receiver_rep=None) -> Record:
    cert = certificate or (req.certificates.order_by("-id").first() if req else None)
    return store_record("03", f"Biên bản giao nhận chứng thư số ({kind})", "", "request" if req else "certificate",
                        req.pk if req else cert.pk, giver,
                        documents.form03_pdf(kind, giver=giver, receiver=receiver, certificate=cert, note=note,
                                             receiver_rep=receiver_rep))


def form04(req) -> Record:
    return store_record("04", "Đề nghị thời điểm có hiệu lực của chứng thư số", "", "request", req.pk, it_center(),
                        render_pdf(documents.form04_for_request(req)))


def form05(rev) -> Record:
    return store_record("05", "Giấy đề nghị thu hồi chứng thư số", "", "revocation", rev.pk,
                        rev.certificate.subscriber.unit, documents.form05_pdf(rev))


def outcome_notice(req, until) -> Record:
    """The owning authority's written notice to the unit: the CA refused (with its reason) or asks for a
    supplement (to complete by `until`)."""
    refused = req.state == RequestState.REFUSED
    return store_record("notice", "Thông báo từ chối cấp chứng thư số" if refused else "Thông báo bổ sung hồ sơ", "",
                        "request", req.pk, it_center(), render_pdf(documents.outcome_notice(req, until)))


# ---------------------------------------------------------------- messages

def tell_unit(unit: Unit, text: str) -> None:
    """Tell a unit that something arrived for it (its official mailbox)."""
    if unit.email_domain:
        notify("email", f"vanthu@{unit.email_domain}", text, subject="Kyso — việc mới", topic="lifecycle.arrival")


def tell_unit_and_subscriber(unit: Unit, subscriber: Subscriber, text: str) -> None:
    if unit.email_domain:
        notify("email", f"vanthu@{unit.email_domain}", text, subject="Kyso — chứng thư số", topic="lifecycle.notice")
    if subscriber.person_id:
        notify_person(subscriber.person, text, subject="Kyso — chứng thư số", topic="lifecycle.notice")


def tell_leaders(text: str) -> None:
    for ra in RoleAssignment.objects.filter(role=Role.LEADER, is_active=True).select_related("user__person"):
        person = getattr(ra.user, "person", None)
        if person is not None:
            notify_person(person, text, subject="Kyso — chờ phê duyệt", topic="lifecycle.arrival")


def tell_subscriber(subscriber: Subscriber, text: str, *, subject: str, topic: str, obj=None, sms=False) -> None:
    if subscriber.person_id:
        notify_person(subscriber.person, text, subject=subject, topic=topic, obj=obj, sms=sms)
