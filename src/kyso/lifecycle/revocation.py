"""Revocation (Art. 6): Form 05 by the subscriber (reason b, confirmed by his unit) or the unit's /
authorities' request (a, c, d, đ, e, confirmed as filed); reasons c and e are immediate — the phone call to
the IT Center recorded, the device recovered at once (Form 03 "Thu hồi") and the CA asked the same day —,
the others within 1 working day; the IT Center tells the unit within 1 working day of the CA's revocation,
and the unit recovers, seals and returns the device (a lost or damaged one with a written explanation)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import Conflict, InvalidInput, InvalidState
from kyso.workdays.calendar import today

from . import archive, deadlines, devices, exchange
from .flows import REVOCATION
from .models import (CertStatus, Certificate, DeviceState, Record, RevocationReason, RevocationRequest,
                     RevocationState as V)
from .officers import is_managing_officer, recorded, require_acts_for
from .permissions import LC_REQUEST
from .units import it_center

IMMEDIATE = {"c", "e"}
REQUEST = steps.step("lifecycle.revocation.request", perm=LC_REQUEST, label=_("Request revocation (Form 05)"))


def check_reason(reason: str) -> None:
    if reason not in RevocationReason.values:
        raise InvalidInput("lifecycle.revocation.reason", _("Unknown revocation reason %(reason)s (a, b, c, d, dd, e)."),
                           reason=reason)


def check_revocable(cert: Certificate) -> None:
    if cert.status == CertStatus.REVOKED:
        raise InvalidState("lifecycle.revocation.already_revoked", _("The certificate is already revoked."))
    if cert.revocations.exclude(state=V.DEVICE_RETURNED).exists():
        raise Conflict("lifecycle.revocation.in_progress", _("A revocation of this certificate is already in progress."))


def request_revocation(user, cert: Certificate, *, reason: str, detail: str = "", phone_notice: str = "",
                       device_explanation: str = "") -> RevocationRequest:
    sub = cert.subscriber

    def body(attempt):
        check_reason(reason)
        require_acts_for(user, sub.person, sub.unit)
        check_revocable(cert)
        if reason in IMMEDIATE and not phone_notice.strip():
            raise InvalidInput("lifecycle.revocation.phone_notice",
                               _("Reasons c and e are notified at once by phone to the IT Center: record the call."),
                               fields={"phone_notice": ("required", _("This field is required."))})
        rev = RevocationRequest.objects.create(certificate=cert, reason=reason, detail=detail,
                                               phone_notice=phone_notice, device_lost_explanation=device_explanation,
                                               requested_on=today(), created_by=recorded(user))
        own = bool(sub.person_id) and getattr(user, "person_id", None) == sub.person_id
        if reason != "b" or (is_managing_officer(user, sub.managing_unit) and not own):
            # Only reason b is the subscriber's own Form 05 needing the unit's confirmation: the others are
            # confirmed as they are filed (by the unit or the authorities), so the rule confirms them. An officer
            # of the managing unit filing b for his own certificate waits, like anyone, for another officer.
            REVOCATION.perform("confirm", rev, actor=None, body=lambda a: _confirmed(rev))
        if reason in IMMEDIATE and cert.device and cert.device.state == DeviceState.ISSUED:
            devices.move(cert.device, DeviceState.RECOVERED, by=user, holder=None, unit=sub.managing_unit,
                         note="Biên bản thu hồi thiết bị lập ngay (điểm c, e khoản 1 Điều 6)")
            # the device-recovery record, at once: the subscriber hands the device to his managing unit
            archive.form03(None, "Thu hồi", giver=sub.unit, receiver=sub.managing_unit, certificate=cert,
                           note=f"Thu hồi ngay theo điểm {reason} khoản 1 Điều 6; {phone_notice.strip()}"[:200])
        archive.form05(rev)
        return rev

    return steps.run(REQUEST, body, actor=user, unit=sub.unit)


def _confirmed(rev: RevocationRequest) -> None:
    deadlines.open_step("revocation", rev.pk, "revoke_now" if rev.reason in IMMEDIATE else "revoke_1wd", it_center())


def confirm_revocation(user, rev: RevocationRequest) -> RevocationRequest:
    return REVOCATION.perform("confirm", rev, actor=user, body=lambda a: _confirmed(rev))


def send_revocation(user, rev: RevocationRequest, ca: exchange.CaExchange | None = None) -> RevocationRequest:
    """The IT Center asks the CA; ours revokes at once (and that is recorded as the CA's confirmation)."""
    ca = ca or exchange.for_name(None)
    revoked_now = []

    def body(attempt):
        deadlines.close_steps("revocation", rev.pk, "revoke_now", "revoke_1wd")
        revoked_now.append(ca.revoke(rev.certificate, rev.reason))

    with transaction.atomic():
        REVOCATION.perform("send", rev, actor=user, body=body)
        if revoked_now[0]:
            ca_confirmed_revocation(user, rev)
    return rev


def ca_confirmed_revocation(user, rev: RevocationRequest) -> RevocationRequest:
    """The CA's confirmation arrived (an external CA's letter, or ours at once)."""
    def body(attempt):
        cert = rev.certificate
        cert.status = CertStatus.REVOKED
        cert.revoked_at = timezone.now()
        cert.revocation_reason = rev.reason
        cert.save()
        deadlines.open_step("revocation", rev.pk, "revocation_notice", it_center())

    return REVOCATION.perform("ca_confirmed", rev, actor=user, body=body)


def notify_unit_to_recover(user, rev: RevocationRequest) -> RevocationRequest:
    def body(attempt):
        deadlines.close_steps("revocation", rev.pk, "revocation_notice")
        sub = rev.certificate.subscriber
        archive.tell_unit_and_subscriber(sub.managing_unit, sub, "Thông báo thu hồi thiết bị lưu khóa bí mật của %s "
                                         "(chứng thư số %s)" % (sub.name, rev.certificate.serial))

    return REVOCATION.perform("notify_unit", rev, actor=user, body=body)


def return_device(user, rev: RevocationRequest, *, lost_or_damaged: str = "", explanation: str = "") -> Record:
    """The unit recovers, seals and returns the device (Form 03 "Thu hồi"); a lost or damaged device
    needs a written explanation confirmed by the unit. All of it, or nothing."""
    def body(attempt):
        if lost_or_damaged not in ("", "lost", "damaged"):
            raise InvalidInput("lifecycle.device.condition", _("The device is either lost or damaged."))
        if lost_or_damaged and not explanation.strip():
            raise InvalidInput("lifecycle.device.explanation",
                               _("A lost or damaged device needs a written explanation confirmed by the unit."),
                               fields={"explanation": ("required", _("This field is required."))})
        if lost_or_damaged:
            rev.device_lost_explanation = explanation.strip()
        cert, managing = rev.certificate, rev.certificate.subscriber.managing_unit
        device = cert.device
        if device is not None:
            _return(device, user, lost_or_damaged, explanation)
        return archive.form03(cert.request, "Thu hồi", giver=managing, receiver=it_center(), certificate=cert,
                              note=rev.device_lost_explanation)

    return REVOCATION.perform("return_device", rev, actor=user, body=body)


def _return(device, user, condition: str, explanation: str) -> None:
    if condition == "lost":
        if device.state != DeviceState.LOST:
            devices.move(device, DeviceState.LOST, by=user, note=explanation)
        return
    if condition == "damaged" and device.state == DeviceState.ISSUED:
        devices.move(device, DeviceState.DAMAGED, by=user, note=explanation)
    if device.state in (DeviceState.ISSUED, DeviceState.DAMAGED):
        devices.move(device, DeviceState.RECOVERED, by=user, holder=None, note="Thu hồi thiết bị")
    devices.move(device, DeviceState.SEALED, by=user, note="Niêm phong thiết bị")
    devices.move(device, DeviceState.RETURNED, by=user, unit=it_center(),
                 note="Bàn giao về cơ quan chủ quản để trả tổ chức chứng thực")
