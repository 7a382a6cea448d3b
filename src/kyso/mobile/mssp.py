"""Adapter for a carrier's mobile signature service (MSSP) per ETSI TS 102 204 v1.1.2: SOAP messages
MSS_SignatureReq (asynchronous client-server mode) and MSS_StatusReq, with the standard status codes.

`KYSO_MSSP_URL` names the carrier's endpoint; `local` (the default) hands the same SOAP bytes to the
built-in simulator (`simulator.handle`) in-process, for development, demos and tests.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from kyso.core.errors import InvalidInput, KysoError

NS = "http://uri.etsi.org/TS102204/v1.1.2#"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
PROFILE_DIGEST = "http://kyso.vss.gov.vn/mssp/profile/digest-pkcs1-ecdsa"
MAX_MESSAGE = 256 * 1024

STATUS_NAMES = {
    100: "REQUEST_OK", 101: "WRONG_PARAM", 102: "MISSING_PARAM", 103: "WRONG_DATA_LENGTH", 104: "UNAUTHORIZED_ACCESS",
    105: "UNKNOWN_CLIENT", 107: "INAPPROPRIATE_DATA", 108: "INCOMPATIBLE_INTERFACE", 109: "UNSUPPORTED_PROFILE",
    208: "EXPIRED_TRANSACTION", 209: "OTA_ERROR", 401: "USER_CANCEL", 402: "PIN_BLOCKED", 403: "CARD_BLOCKED",
    404: "NO_KEY_FOUND", 406: "PB_SIGNATURE_PROCESS", 422: "NO_CERT_FOUND", 500: "SIGNATURE",
    501: "REVOKED_CERTIFICATE", 502: "VALID_SIGNATURE", 503: "INVALID_SIGNATURE", 504: "OUTSTANDING_TRANSACTION",
    900: "INTERNAL_ERROR",
}


class MsspError(KysoError):
    http_status = 502
    default_code = "mobile.mssp.unreachable"


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def parse(data: bytes):
    """Parse a SOAP message defensively: no DTD, no entities, no network, bounded size."""
    if not data or len(data) > MAX_MESSAGE:
        raise InvalidInput("mobile.mssp.size", _("The MSSP message is empty or too large."))
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise InvalidInput("mobile.mssp.dtd", _("The MSSP message may not contain a DTD."))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise InvalidInput("mobile.mssp.malformed", _("The MSSP message is not well-formed XML.")) from None
    body = root.find(f"{{{SOAP}}}Body")
    if root.tag != f"{{{SOAP}}}Envelope" or body is None or len(body) != 1:
        raise InvalidInput("mobile.mssp.not_soap", _("The MSSP message is not a SOAP envelope with one body element."))
    return body[0]


def envelope(payload) -> bytes:
    env = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soapenv": SOAP, "mss": NS})
    etree.SubElement(env, f"{{{SOAP}}}Body").append(payload)
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def instant() -> str:
    return timezone.localtime().replace(microsecond=0).isoformat()


def info_elements(parent, *, ap_id: str, ap_trans_id: str, ap_pwd: str, mssp_id: str) -> None:
    etree.SubElement(parent, q("AP_Info"), AP_ID=ap_id, AP_TransID=ap_trans_id, AP_PWD=ap_pwd, Instant=instant())
    uri = etree.SubElement(etree.SubElement(etree.SubElement(parent, q("MSSP_Info")), q("MSSP_ID")), q("URI"))
    uri.text = mssp_id


def status_element(parent, code: int, message: str = "") -> None:
    st = etree.SubElement(parent, q("Status"))
    etree.SubElement(st, q("StatusCode"), Value=str(code))
    etree.SubElement(st, q("StatusMessage")).text = message or STATUS_NAMES.get(code, "")


@dataclass
class MsspAnswer:
    status_code: int
    message: str = ""
    mssp_trans_id: str = ""
    signature: bytes | None = None

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status_code, str(self.status_code))

    @property
    def ok(self) -> bool:
        return self.status_code in (100, 500, 502, 504)


def read_answer(data: bytes) -> MsspAnswer:
    el = parse(data)
    if el.tag == f"{{{SOAP}}}Fault":
        code = (el.findtext("faultcode") or "").rsplit("_", 1)[-1]
        return MsspAnswer(int(code) if code.isdigit() else 900, el.findtext("faultstring") or "")
    st = el.find(q("Status"))
    code_el = st.find(q("StatusCode")) if st is not None else None
    if code_el is None or not (code_el.get("Value") or "").isdigit():
        raise InvalidInput("mobile.mssp.no_status", _("The MSSP answer has no status code."))
    sig = el.findtext(f"{q('MSS_Signature')}/{q('Base64Signature')}")
    return MsspAnswer(int(code_el.get("Value")), st.findtext(q("StatusMessage")) or "", el.get("MSSP_TransID", ""),
                      base64.b64decode(sig) if sig else None)


class MsspClient:
    """The application provider (AP) side: Kyso asking the carrier for a SIM signature."""

    def __init__(self, url: str, ap_id: str, ap_pwd: str, mssp_id: str, timeout: float = 15.0):
        self.url, self.ap_id, self.ap_pwd, self.mssp_id, self.timeout = url, ap_id, ap_pwd, mssp_id, timeout

    def _info(self, parent, ap_trans_id: str) -> None:
        info_elements(parent, ap_id=self.ap_id, ap_trans_id=ap_trans_id, ap_pwd=self.ap_pwd, mssp_id=self.mssp_id)

    def signature_request(self, *, msisdn: str, ap_trans_id: str, data_to_be_signed: bytes, data_to_be_displayed: str,
                          timeout: int = 180, profile: str = PROFILE_DIGEST) -> MsspAnswer:
        req = etree.Element(q("MSS_SignatureReq"), MajorVersion="1", MinorVersion="1",
                            MessagingMode="asynchClientServer", TimeOut=str(int(timeout)))
        self._info(req, ap_trans_id)
        etree.SubElement(etree.SubElement(req, q("MobileUser")), q("MSISDN")).text = msisdn
        etree.SubElement(req, q("DataToBeSigned"), MimeType="application/octet-stream",
                         Encoding="base64").text = base64.b64encode(data_to_be_signed).decode()
        etree.SubElement(req, q("DataToBeDisplayed"), MimeType="text/plain",
                         Encoding="UTF-8").text = data_to_be_displayed
        etree.SubElement(etree.SubElement(req, q("SignatureProfile")), q("mssURI")).text = profile
        return read_answer(self._post(envelope(req), "MSS_Signature"))

    def status(self, mssp_trans_id: str, *, ap_trans_id: str) -> MsspAnswer:
        req = etree.Element(q("MSS_StatusReq"), MajorVersion="1", MinorVersion="1", MSSP_TransID=mssp_trans_id)
        self._info(req, ap_trans_id)
        return read_answer(self._post(envelope(req), "MSS_Status"))

    def _post(self, data: bytes, action: str) -> bytes:
        if self.url == "local":
            return _LOCAL["handle"](data)
        http = urllib.request.Request(self.url, data=data, method="POST", headers={
            "Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"#{action}"'})
        try:
            with urllib.request.urlopen(http, timeout=self.timeout) as resp:  # noqa: S310 - configured carrier URL
                return resp.read(MAX_MESSAGE + 1)
        except urllib.error.HTTPError as exc:
            body = exc.read(MAX_MESSAGE + 1)
            if body:
                return body     # SOAP faults come with HTTP 500
            raise MsspError("mobile.mssp.unreachable", _("The mobile signature service answered HTTP %(code)s."),
                            code=exc.code) from None
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise MsspError("mobile.mssp.unreachable", _("The mobile signature service cannot be reached (%(e)s)."),
                            e=str(exc)[:100]) from None


def client() -> MsspClient:
    return MsspClient(getattr(settings, "KYSO_MSSP_URL", "local") or "local", ap_id(), ap_password(),
                      getattr(settings, "KYSO_MSSP_ID", "http://mssp.kyso.local"))


_LOCAL: dict = {}


def set_local_handler(fn) -> None:
    """The carrier stand-in (`simulator.handle`) registers itself for MSSP_URL=local (no import cycle)."""
    _LOCAL["handle"] = fn


def ap_id() -> str:
    return getattr(settings, "KYSO_MSSP_AP_ID", "") or "http://kyso.vss.gov.vn"


def ap_password() -> str:
    return settings.KYSO_MSSP_PASSWORD  # its own secret (KYSO_MSSP_PASSWORD), never derived from SECRET_KEY
