"""The built-in carrier and phone: an MSSP that answers TS 102 204 SOAP requests, and the SIM that
signs when its owner types the PIN on the phone page. For development, demos and tests; a real
carrier replaces it by setting `KYSO_MSSP_URL`."""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from kyso import audit
from kyso.core.errors import Forbidden, InvalidInput, InvalidState, NotFound

from . import keys
from .mssp import (NS, PROFILE_DIGEST, SOAP, STATUS_NAMES, ap_id, ap_password, envelope, info_elements, parse, q,
                   set_local_handler, status_element)
from .models import MsspTransaction, SimCard, SimStatus

MSSP_ID = "http://mssp.kyso.local"
DIGEST_NAMES = {32: "sha256", 48: "sha384", 64: "sha512"}


def fault(code: int, detail: str = "") -> bytes:
    env = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soapenv": SOAP, "mss": NS})
    f = etree.SubElement(etree.SubElement(env, f"{{{SOAP}}}Body"), f"{{{SOAP}}}Fault")
    etree.SubElement(f, "faultcode").text = f"mss:_{code}"
    etree.SubElement(f, "faultstring").text = STATUS_NAMES.get(code, "INTERNAL_ERROR")
    if detail:
        etree.SubElement(etree.SubElement(f, "detail"), q("detail")).text = detail
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


class _Fault(Exception):
    def __init__(self, code: int, detail: str = ""):
        super().__init__(code)
        self.code, self.detail = code, detail


def _check_ap(el) -> tuple[str, str]:
    info = el.find(q("AP_Info"))
    if info is None or not info.get("AP_ID") or not info.get("AP_TransID"):
        raise _Fault(102, "AP_Info with AP_ID and AP_TransID is required")
    if info.get("AP_ID") != ap_id() or not hmac.compare_digest(info.get("AP_PWD", ""), ap_password()):
        raise _Fault(104)
    return info.get("AP_ID"), info.get("AP_TransID")[:100]


def handle(data: bytes) -> bytes:
    """One SOAP request in, one SOAP answer out (faults for bad requests, as TS 102 204 says)."""
    try:
        el = parse(data)
    except InvalidInput as exc:
        return fault(101, exc.code)
    try:
        with transaction.atomic(), audit.action("mobile.mssp.request"):
            if el.tag == q("MSS_SignatureReq"):
                return _signature_req(el)
            if el.tag == q("MSS_StatusReq"):
                return _status_req(el)
            raise _Fault(108, f"unsupported request {etree.QName(el).localname}")
    except _Fault as f:
        return fault(f.code, f.detail)


def _resp(tag: str, ap: tuple[str, str], txn: MsspTransaction | None, code: int, *, trans_id: str = "") -> bytes:
    r = etree.Element(q(tag), MajorVersion="1", MinorVersion="1")
    if trans_id:
        r.set("MSSP_TransID", trans_id)
    info_elements(r, ap_id=ap[0], ap_trans_id=ap[1], ap_pwd="", mssp_id=MSSP_ID)
    r.find(q("AP_Info")).attrib.pop("AP_PWD")
    if txn is not None:
        etree.SubElement(etree.SubElement(r, q("MobileUser")), q("MSISDN")).text = txn.msisdn
        if code == SimStatus.SIGNATURE and txn.signature:
            etree.SubElement(etree.SubElement(r, q("MSS_Signature")), q("Base64Signature")).text = txn.signature
    status_element(r, code)
    return envelope(r)


def _signature_req(el) -> bytes:
    ap = _check_ap(el)
    msisdn = (el.findtext(f"{q('MobileUser')}/{q('MSISDN')}") or "").strip()
    dtbs = el.find(q("DataToBeSigned"))
    dtbd = (el.findtext(q("DataToBeDisplayed")) or "").strip()
    profile = (el.findtext(f"{q('SignatureProfile')}/{q('mssURI')}") or "").strip()
    if el.get("MessagingMode") != "asynchClientServer":
        raise _Fault(101, "only MessagingMode asynchClientServer is offered")
    if not msisdn or dtbs is None or not dtbd:
        raise _Fault(102, "MSISDN, DataToBeSigned and DataToBeDisplayed are required")
    if profile != PROFILE_DIGEST:
        raise _Fault(109)
    try:
        digest = base64.b64decode(dtbs.text or "", validate=True)
    except ValueError:
        raise _Fault(101, "DataToBeSigned is not base64") from None
    if len(digest) not in DIGEST_NAMES:
        raise _Fault(103, "DataToBeSigned must be a SHA-256/384/512 digest")
    if len(dtbd) > 500:
        raise _Fault(103, "DataToBeDisplayed is too long")
    sim = SimCard.objects.filter(msisdn=msisdn).first()
    if sim is None:
        raise _Fault(105)
    if sim.pin_tries_left == 0:
        raise _Fault(402)
    if MsspTransaction.objects.filter(ap_id=ap[0], ap_trans_id=ap[1]).exists():
        raise _Fault(101, "AP_TransID already used")
    try:
        timeout = max(10, min(int(el.get("TimeOut") or 180), 600))
    except ValueError:
        raise _Fault(101, "TimeOut is not a number") from None
    txn = MsspTransaction.objects.create(
        mssp_trans_id=f"KYSO-{secrets.token_hex(8)}", ap_id=ap[0], ap_trans_id=ap[1], msisdn=msisdn,
        data_to_be_signed=base64.b64encode(digest).decode(), data_to_be_displayed=dtbd, signature_profile=profile,
        expires_at=timezone.now() + dt.timedelta(seconds=timeout))
    return _resp("MSS_SignatureResp", ap, txn, SimStatus.REQUEST_OK, trans_id=txn.mssp_trans_id)


def _status_req(el) -> bytes:
    ap = _check_ap(el)
    txn = MsspTransaction.objects.select_for_update().filter(mssp_trans_id=el.get("MSSP_TransID") or "",
                                                             ap_id=ap[0]).first()
    if txn is None:
        raise _Fault(101, "unknown MSSP_TransID")
    if txn.status == SimStatus.OUTSTANDING_TRANSACTION and txn.expires_at <= timezone.now():
        txn.status, txn.decided_at = SimStatus.EXPIRED_TRANSACTION, timezone.now()
        txn.save(update_fields=["status", "decided_at"])
    return _resp("MSS_StatusResp", ap, txn, txn.status)


# --------------------------------------------------------------------------- the phone

def pending_on_phone(msisdns):
    return MsspTransaction.objects.filter(msisdn__in=list(msisdns), status=SimStatus.OUTSTANDING_TRANSACTION,
                                          expires_at__gt=timezone.now()).order_by("-created_at")


def phone_answer(msisdn: str, mssp_trans_id: str, *, pin: str = "", cancel: bool = False) -> MsspTransaction:
    """What the SIM toolkit does when its owner answers the prompt: sign with the PIN, or cancel.
    Three wrong PINs block the SIM (PIN_BLOCKED)."""
    wrong_left = None
    with transaction.atomic(), audit.action("mobile.sim.answer"):
        txn = MsspTransaction.objects.select_for_update().filter(mssp_trans_id=mssp_trans_id, msisdn=msisdn).first()
        if txn is None:
            raise NotFound("mobile.sim.no_request", _("No such request on this phone."))
        if txn.status != SimStatus.OUTSTANDING_TRANSACTION or txn.expires_at <= timezone.now():
            raise InvalidState("mobile.sim.closed", _("The request on the phone is no longer open."))
        sim = SimCard.objects.select_for_update().get(msisdn=msisdn)
        if cancel:
            txn.status = SimStatus.USER_CANCEL
        elif sim.pin_tries_left == 0:
            txn.status = SimStatus.PIN_BLOCKED
        else:
            digest = base64.b64decode(txn.data_to_be_signed)
            try:
                sig = keys.sign_digests(sim.token_label, sim.key_label, pin, [digest], DIGEST_NAMES[len(digest)])[0]
            except Forbidden as exc:
                if exc.code != "mobile.pin.wrong":
                    txn.status = SimStatus.NO_KEY_FOUND
                else:
                    sim.pin_tries_left -= 1
                    sim.save(update_fields=["pin_tries_left"])
                    if sim.pin_tries_left == 0:
                        txn.status = SimStatus.PIN_BLOCKED
                    else:
                        wrong_left = sim.pin_tries_left    # the prompt stays open: the owner may try again
            else:
                sim.pin_tries_left = 3
                sim.save(update_fields=["pin_tries_left"])
                txn.status, txn.signature = SimStatus.SIGNATURE, base64.b64encode(sig).decode()
        if wrong_left is None:
            txn.decided_at = timezone.now()
            txn.save(update_fields=["status", "signature", "decided_at"])
    if wrong_left is not None:
        raise _WrongSimPin(wrong_left)
    return txn


class _WrongSimPin(Forbidden):
    def __init__(self, left: int):
        super().__init__("mobile.pin.wrong", _("The PIN is wrong; %(left)s tries left before the SIM is blocked."),
                         left=left)
        # The SIM counted the wrong PIN and that is kept on purpose, as a refused step keeps it (`steps.settle`):
        # before, the page that showed the error undid the count with everything else, so any number of wrong
        # PINs could be tried on the phone page and the right one still signed.
        self.rolled_back = True


set_local_handler(handle)
