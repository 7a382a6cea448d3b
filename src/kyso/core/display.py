"""What a person reads instead of a code (issue 17, point 2): one vocabulary for every page, document and e-mail.

- signature validation results (ETSI TS 119 102-1): the indication as "Valid / Invalid / Indeterminate" and the
  sub-indication as its reason in words;
- revocation reasons (RFC 5280 §5.3.1, the names `openssl ca -crl_reason` uses) in words;
- distinguished names with each attribute named ("Chức danh: Giám đốc", not "2.5.4.12=Giám đốc");
- times as dd/mm/yyyy HH:MM in Vietnam's time zone, months as MM/YYYY — from datetimes or ISO text alike.

Template filters of the same names live in `core.templatetags.kyso` (a builtin: no `{% load %}` needed)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

PASSED, FAILED, INDETERMINATE = "TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"
INDICATIONS = {  # "Valid" in the sense of a signature (a certificate status is "certificate status" context)
    PASSED: _("Valid"),
    "PASSED": _("Valid"),
    FAILED: _("Invalid"),
    "FAILED": _("Invalid"),
    INDETERMINATE: _("Indeterminate"),
}
SUB_INDICATIONS = {
    "FORMAT_FAILURE": _("the file is not a well-formed signed document"),
    "HASH_FAILURE": _("the document was changed after it was signed"),
    "SIG_CRYPTO_FAILURE": _("the signature value does not match the signer's key"),
    "REVOKED": _("the signing certificate was revoked before the signing time"),
    "REVOKED_NO_POE": _("the signing certificate is revoked and nothing proves the signature was made before"),
    "REVOKED_CA_NO_POE": _("a certificate authority in the chain is revoked"),
    "NO_CERTIFICATE_CHAIN_FOUND": _("the signing certificate does not lead to an accepted root"),
    "NO_SIGNING_CERTIFICATE_FOUND": _("the signing certificate is missing"),
    "OUT_OF_BOUNDS_NO_POE": _("the signing certificate had expired and nothing proves an earlier signing time"),
    "OUT_OF_BOUNDS_NOT_REVOKED": _("the signing certificate has expired"),
    "NOT_YET_VALID": _("the signing certificate was not yet valid at the signing time"),
    "SIG_CONSTRAINTS_FAILURE": _("the signing certificate may not be used for this signature"),
    "CHAIN_CONSTRAINTS_FAILURE": _("the certificate chain does not meet the signature policy"),
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": _("the certificate chain could not be checked"),
    "CRYPTO_CONSTRAINTS_FAILURE": _("the signature uses an algorithm that is no longer accepted"),
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": _("the signature uses an algorithm that is no longer accepted"),
    "POLICY_PROCESSING_ERROR": _("the signature policy could not be applied"),
    "SIGNED_DATA_NOT_FOUND": _("the signed content is missing"),
    "TRY_LATER": _("revocation information is not available yet; try again later"),
    "TIMESTAMP_ORDER_FAILURE": _("the time-stamps are not in order"),
    "EXPIRED": _("the signature's validation material has expired"),
}
REVOCATION_REASONS = {
    "unspecified": pgettext_lazy("revocation reason", "unspecified"),
    "keyCompromise": _("the private key is exposed or suspected to be exposed"),
    "cACompromise": _("the certificate authority's key is compromised"),
    "affiliationChanged": _("the holder changed position or unit"),
    "superseded": _("replaced by a new certificate"),
    "cessationOfOperation": _("no longer used (the holder or the unit ceased to operate)"),
    "certificateHold": pgettext_lazy("revocation reason", "suspended"),
    "removeFromCRL": _("removed from the revocation list"),
    "privilegeWithdrawn": _("the right to use it was withdrawn"),
    "aACompromise": _("the attribute authority is compromised"),
}

# X.500 attribute types by the short names `rfc4514_string` writes, and their OIDs.
ATTRIBUTES = {
    "CN": pgettext_lazy("certificate attribute", "Name"),
    "SN": pgettext_lazy("certificate attribute", "Surname"),
    "GN": pgettext_lazy("certificate attribute", "Given name"),
    "serialNumber": pgettext_lazy("certificate attribute", "Serial number"),
    "C": pgettext_lazy("certificate attribute", "Country"),
    "L": pgettext_lazy("certificate attribute", "Locality"),
    "ST": pgettext_lazy("certificate attribute", "Province"),
    "STREET": pgettext_lazy("certificate attribute", "Street"),
    "O": pgettext_lazy("certificate attribute", "Organisation"),
    "OU": pgettext_lazy("certificate attribute", "Unit"),
    "title": pgettext_lazy("certificate attribute", "Title"),
    "organizationIdentifier": pgettext_lazy("certificate attribute", "Organisation identifier"),
    "emailAddress": pgettext_lazy("certificate attribute", "E-mail"),
    "UID": pgettext_lazy("certificate attribute", "User ID"),
    "DC": pgettext_lazy("certificate attribute", "Domain component"),
}
_OIDS = {"2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.42": "GN", "2.5.4.5": "serialNumber", "2.5.4.6": "C",
         "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "STREET", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.12": "title",
         "2.5.4.97": "organizationIdentifier", "1.2.840.113549.1.9.1": "emailAddress",
         "0.9.2342.19200300.100.1.1": "UID", "0.9.2342.19200300.100.1.25": "DC"}
ATTRIBUTES.update({oid: ATTRIBUTES[name] for oid, name in _OIDS.items()})


def indication(code) -> str:
    """TOTAL_PASSED → "Hợp lệ"; an unknown value is returned as it is (never hidden)."""
    if code in (None, ""):
        return ""
    return str(INDICATIONS.get(str(code), code))


def sub_indication(code) -> str:
    if code in (None, ""):
        return ""
    return str(SUB_INDICATIONS.get(str(code), code))


def verdict(code, sub=None) -> str:
    """The indication followed by its reason: "Không hợp lệ: tài liệu đã bị sửa sau khi ký"."""
    word, reason = indication(code), sub_indication(sub)
    return f"{word}: {reason}" if reason else word


def revocation_reason(code) -> str:
    if code in (None, ""):
        return ""
    return str(REVOCATION_REASONS.get(str(code), code))


_RDN = re.compile(r"((?:[A-Za-z]+|\d+(?:\.\d+)+))=((?:\\.|[^,+\\])*)")


def distinguished_name(value) -> str:
    """`CN=Nguyễn Văn A,2.5.4.12=Giám đốc,O=BHXH` (or an `x509.Name`) → "Tên: Nguyễn Văn A · Chức danh: Giám
    đốc · Cơ quan: BHXH". Values are unescaped (RFC 4514); a hex-encoded value (#0c…) is decoded when it is a
    string type."""
    if value in (None, ""):
        return ""
    if hasattr(value, "rdns"):
        parts = [(attr.oid.dotted_string, attr.value) for rdn in value.rdns for attr in rdn]
    else:
        parts = [(key, _unescape(val)) for key, val in _RDN.findall(str(value))]
        if not parts:
            return str(value)
    return " · ".join(f"{ATTRIBUTES.get(key, key)}: {val}" for key, val in parts)


def _unescape(text: str) -> str:
    text = text.strip()
    if text.startswith("#"):
        try:
            raw = bytes.fromhex(text[1:])
            return raw[2:].decode("utf-8") if len(raw) > 2 and raw[0] in (0x0C, 0x13, 0x16) else text
        except ValueError:
            return text
    return re.sub(r"\\(.)", r"\1", text)


def _as_datetime(value):
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return value


def when(value, seconds: bool = False) -> str:
    """A moment as people write it: 06/12/2026 14:05 (Vietnam time), from a datetime or ISO text; a date alone
    as dd/mm/yyyy. Text that is not a date is returned as it is."""
    moment = _as_datetime(value)
    if moment is None:
        return "" if value in (None, "") else str(value)
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(VIETNAM)
        return moment.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
    if isinstance(moment, dt.date):
        return moment.strftime("%d/%m/%Y")
    return str(value)


_YM = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def month(value) -> str:
    """2026-03 (text), a date or a (year, month) pair → 03/2026."""
    if value in (None, ""):
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%m/%Y")
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return f"{int(value[1]):02d}/{int(value[0])}"
    m = _YM.match(str(value))
    return f"{int(m.group(2)):02d}/{m.group(1)}" if m else str(value)


_CODE_TOKEN = re.compile(r"\b[A-Z]+(?:_[A-Z]+)*\b|\b[a-z]+(?:[A-Z][a-z]+)+\b")


def in_words(text) -> str:
    """A free note written by the system ("TOTAL_FAILED HASH_FAILURE") with each known code in words:
    "Không hợp lệ: văn bản đã bị thay đổi sau khi ký". Other text is left as it is."""
    if text in (None, ""):
        return ""
    text = str(text)
    parts = text.split()
    if parts and parts[0] in INDICATIONS:
        return verdict(parts[0], " ".join(parts[1:2])) + (" " + " ".join(parts[2:]) if len(parts) > 2 else "")

    def word(m):
        code = m.group(0)
        return str(INDICATIONS.get(code) or SUB_INDICATIONS.get(code) or REVOCATION_REASONS.get(code) or code)

    return _CODE_TOKEN.sub(word, text)
