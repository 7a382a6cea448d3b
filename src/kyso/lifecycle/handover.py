"""Handover and activation (Art. 4.2.4, 5): the IT Center hands the certificate and its key device to the
managing unit within 2 working days (Form 03 "Cấp mới"; by confidential post for remote units, the signed
record coming back), the unit hands it to the subscriber within 2 and reports back, and the IT Center —
the owner of Form 04 — asks the CA for the effective date within 1 working day."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import InvalidInput, InvalidState

from . import archive, deadlines, devices
from .flows import REQUEST
from .models import CertStatus, Certificate, DeviceState, IssuanceRequest, Record, RequestState as R
from .permissions import LC_REVIEW
from .units import it_center

SIGNED_RECORD = steps.step("lifecycle.request.signed_record", perm=LC_REVIEW,
                           label=_("Attach the signed handover record (Form 03)"))


def handover_to_unit(user, req: IssuanceRequest, *, by_post: bool = False) -> Record:
    """Form 03 "Cấp mới": IT Center → managing unit (for remote units by confidential post; the signed
    record coming back is attached with `attach_signed_record`)."""
    def body(attempt):
        managing = req.subscriber.managing_unit
        cert = req.certificates.order_by("-id").first()
        if cert and cert.device:
            devices.move(cert.device, DeviceState.ISSUED, by=user, holder=req.subscriber, unit=managing,
                         note="Bàn giao cho đơn vị quản lý thuê bao" + (" qua đường công văn tối mật" if by_post else ""))
        deadlines.close_steps("request", req.pk, "handover_unit")
        deadlines.open_step("request", req.pk, "handover_subscriber", managing)
        archive.tell_unit(managing, f"Trung tâm CNTT đã bàn giao chứng thư số của {req.full_name} (Mẫu 03); đề nghị "
                                    f"chuyển giao cho thuê bao trong 02 ngày làm việc.")
        return archive.form03(req, "Cấp mới", giver=it_center(), receiver=managing)

    return REQUEST.perform("handover_unit", req, actor=user, body=body)


def attach_signed_record(user, req: IssuanceRequest, data: bytes) -> Record:
    """Handover by confidential post: the Form 03 signed by the managing unit comes back and is archived
    next to the one we sent (PDF only: it is a scan or a signed PDF)."""
    def body(attempt):
        if req.state not in (R.HANDED_TO_UNIT, R.HANDED_TO_SUBSCRIBER, R.ACTIVATED):
            raise InvalidState("lifecycle.request.not_handed_over", _("The certificate has not been handed over yet."))
        if not data.startswith(b"%PDF-"):
            raise InvalidInput("lifecycle.record.not_pdf", _("The signed record must be a PDF file."))
        return archive.store_record("03", "Biên bản giao nhận chứng thư số (bản đã ký gửi lại)", "", "request", req.pk,
                                    req.subscriber.managing_unit, data)

    return steps.run(SIGNED_RECORD, body, actor=user, obj=req)


def handover_to_subscriber(user, req: IssuanceRequest) -> IssuanceRequest:
    """Managing unit → subscriber, reported back; the activation notice is then due in 1 working day."""
    def body(attempt):
        deadlines.close_steps("request", req.pk, "handover_subscriber")
        deadlines.open_step("request", req.pk, "activation_notice", it_center())
        archive.form03(req, "Cấp mới", giver=req.subscriber.managing_unit, receiver=req.unit,
                       receiver_rep=req.subscriber.person)

    return REQUEST.perform("handover_subscriber", req, actor=user, body=body)


def activate(user, req: IssuanceRequest) -> Certificate:
    """Form 04 to the CA; the certificate is effective from the CA's publication (ours publishes at once)."""
    def body(attempt):
        cert = req.certificates.order_by("-id").first()
        if cert is None:
            raise InvalidState("lifecycle.request.not_issued", _("No certificate has been issued for this request yet."))
        cert.status = CertStatus.ACTIVE
        cert.effective_at = timezone.now()
        cert.save()
        deadlines.close_steps("request", req.pk, "activation_notice")
        archive.form04(req)
        archive.tell_subscriber(req.subscriber, f"Chứng thư số {cert.serial} của bạn đã có hiệu lực.",
                                subject="Kyso — chứng thư số có hiệu lực", topic="lifecycle.activated", obj=cert,
                                sms=True)
        return cert

    return REQUEST.perform("activate", req, actor=user, body=body)
