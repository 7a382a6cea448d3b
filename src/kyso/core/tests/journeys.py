"""The five journeys of an officer's day moved through every state on top of the demo (issue 17): what the
every-page crawl reads afterwards includes the pages of records at their last steps, refused and returned ones —
states the demo alone never reaches. Each step goes through the domain functions (the step runner), as the
person whose step it is."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kyso.accounts.models import User
from kyso.core.context import acting_as
from kyso.eoffice import services as eoffice
from kyso.eoffice.models import IncomingDocument, OutgoingDocument
from kyso.lifecycle import services as lifecycle
from kyso.lifecycle.models import IssuanceRequest
from kyso.org.models import Unit
from kyso.portal import processing
from kyso.portal.demo import LEADER_LOGIN, LEADER_PIN
from kyso.portal.result_signature import token_certificates
from kyso.portal.models import Dossier, Status
from kyso.sims import months


def _user(login: str) -> User:
    return User.objects.select_related("person__unit").get(username=login)


def _as(login: str):
    user = _user(login)

    class _Step:
        def __enter__(self):
            self._ctx = acting_as(user, channel="web")
            self._ctx.__enter__()
            self._tx = transaction.atomic()
            self._tx.__enter__()
            return user

        def __exit__(self, *exc):
            self._tx.__exit__(*exc)
            return self._ctx.__exit__(*exc)

    return _Step()


def certificate_from_form01_to_activation() -> IssuanceRequest:
    """Form 01 filed by the subscriber, up the hierarchy, approved, issued, handed over (Form 03), activated
    (Form 04); a second request of Ba Đình is returned with guidance."""
    with _as("thuebao") as thuebao:
        req = lifecycle.file_request(thuebao, kind="person", person=thuebao.person)
    with _as("badinh") as badinh:
        other = lifecycle.file_request(badinh, kind="organization", unit=Unit.objects.get(code="HN.BD"))
        for r in (req, other):
            lifecycle.confirm_request(badinh, r)
        lifecycle.send_list(badinh, lifecycle.compile_list(badinh, Unit.objects.get(code="HN.BD"),
                                                           request_ids=[req.pk, other.pk]))
    with _as("hanoi") as hanoi:
        province = lifecycle.compile_list(hanoi, Unit.objects.get(code="HN"))
        lifecycle.send_list(hanoi, province)
    with _as("cntt") as cntt:
        lifecycle.receive_list(cntt, province)
        lifecycle.review(cntt, IssuanceRequest.objects.get(pk=req.pk), valid=True)
        lifecycle.review(cntt, IssuanceRequest.objects.get(pk=other.pk), valid=False,
                         guidance="Bổ sung quyết định thành lập đơn vị")
        approval = lifecycle.compile_approval_list(cntt, [req.pk])
    with _as("lanhdao") as leader:
        lifecycle.approve_list(leader, approval)
    with _as("cntt") as cntt:
        lifecycle.send_to_ca(cntt, approval)
        lifecycle.handover_to_unit(cntt, IssuanceRequest.objects.get(pk=req.pk))
    with _as("badinh") as badinh:
        lifecycle.handover_to_subscriber(badinh, IssuanceRequest.objects.get(pk=req.pk))
    with _as("cntt") as cntt:
        lifecycle.activate(cntt, IssuanceRequest.objects.get(pk=req.pk))
    return IssuanceRequest.objects.get(pk=req.pk)


def revocation_to_the_returned_device(req: IssuanceRequest) -> None:
    """Form 05 of the certificate just activated: confirmed, revoked, the device recovered and returned."""
    cert = req.certificates.get() if hasattr(req, "certificates") else None
    if cert is None:
        from kyso.lifecycle.models import Certificate
        cert = Certificate.objects.filter(request=req).get()
    with _as("thuebao") as thuebao:
        rev = lifecycle.request_revocation(thuebao, cert, reason="b", detail="Nghi lộ khóa bí mật")
    with _as("badinh") as badinh:
        lifecycle.confirm_revocation(badinh, rev)
    with _as("cntt") as cntt:
        rev = lifecycle.send_revocation(cntt, rev)
        lifecycle.notify_unit_to_recover(cntt, rev)
    with _as("badinh") as badinh:
        lifecycle.return_device(badinh, rev)


def dossiers_refused_and_returned() -> None:
    """The demo's dossier waiting for a supplement gets it refused; its fresh one is taken to the signed result."""
    waiting = Dossier.objects.filter(status=Status.SUPPLEMENT).first()
    if waiting is not None:
        with _as("badinh") as badinh:
            processing.refuse(badinh, waiting, ["Hồ sơ không bổ sung đúng hạn", "Thiếu tờ khai TK1-TS"])
    fresh = Dossier.objects.filter(status=Status.IN_PROGRESS, unit__code="HN.BD", assignee__isnull=True).order_by("pk").first()
    with _as("badinh") as badinh:
        processing.advance(badinh, fresh, "assign", assignee="motcua.bd", note="Giao xử lý")
    with _as("motcua.bd") as desk:
        processing.advance(desk, fresh, "process", note="Đủ thành phần")
    with _as("badinh") as badinh:
        processing.advance(badinh, fresh, "approve", note="Đồng ý")
    with _as(LEADER_LOGIN) as leader:      # Ba Đình's director, with his USB token (the demo's PIN)
        processing.advance(leader, fresh, "sign", note="Đồng ý", certificate=token_certificates(leader).first().serial,
                           pin=LEADER_PIN)
    with _as("motcua.bd") as desk:
        processing.advance(desk, fresh, "return")


def letter_from_draft_to_the_book() -> None:
    """The demo's letter waiting for the director's signature is signed, sealed, dispatched; at Ba Đình both letters
    are assigned and one handled; a third draft is sent back by its reviewer; a letter from outside is booked."""
    from kyso.mobile import simulator
    from kyso.mobile.demo import DEMO_PIN
    from kyso.mobile.models import Credential

    waiting = OutgoingDocument.objects.filter(state="to_sign").first()
    if waiting is not None:
        with _as("giamdoc.hn") as director:
            doc = eoffice.request_phone_signature(waiting, director, channel="sim")
            msisdn = Credential.objects.get(holder=director, channel="sim").msisdn
            prompt = simulator.pending_on_phone([msisdn]).first()
            simulator.phone_answer(msisdn, prompt.mssp_trans_id, pin=DEMO_PIN)
            doc = eoffice.collect_phone_signature(doc.pk)
        with _as("vanthu.hn") as clerk:
            eoffice.dispatch(eoffice.issue(doc, clerk), clerk)
    with _as("hanoi") as hanoi:
        back = eoffice.create_draft(hanoi, subject="V/v báo cáo tình hình sử dụng chữ ký số quý IV",
                                    signer=_user("giamdoc.hn"), signer_title="Giám đốc", recipients=["HN.BD"],
                                    body="Đề nghị các đơn vị báo cáo.\n\nTrân trọng.", urgency="urgent")
        eoffice.submit_for_review(back, hanoi, _user("giamdoc.hn"))
    with _as("giamdoc.hn") as director:
        eoffice.review(back, director, approve=False, note="Bổ sung thời hạn báo cáo")
    with _as("vanthu.bd") as clerk:
        for incoming in IncomingDocument.objects.filter(unit__code="HN.BD", assignee__isnull=True):
            eoffice.assign(incoming, clerk, _user("badinh"), days=3, instructions="Triển khai")
    with _as("badinh") as badinh:
        first = IncomingDocument.objects.filter(unit__code="HN.BD").order_by("pk").first()
        eoffice.complete(first, badinh, "Đã triển khai tới các phòng")


def sim_month_closed() -> None:
    """The SIM registry's last month closed (totals archived, each paying unit told)."""
    last = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    with _as("cntt") as cntt:
        months.close_month(cntt, last)


def every_journey() -> None:
    req = certificate_from_form01_to_activation()
    revocation_to_the_returned_device(req)
    dossiers_refused_and_returned()
    letter_from_draft_to_the_book()
    sim_month_closed()
