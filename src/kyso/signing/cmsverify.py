"""Verification of CMS/PKCS#7 signatures with encapsulated content (e.g. `openssl cms -sign -nodetach`)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re

from asn1crypto import cms
from cryptography import x509
from django.utils.translation import gettext as _
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import async_validate_cms_signature, async_validate_detached_cms

from . import algorithms, cades, cmscounter
from . import report as r
from .embedded import cms_level
from .pyhanko_status import KEY_USAGE, fill
from .trust import TrustStore


def load(data: bytes) -> cms.SignedData:
    """The SignedData of a CMS file (DER or PEM), parsed in full (`cades.load`)."""
    return cades.load(data)["content"]


_SIGNED_DATA = bytes.fromhex("06092a864886f70d010702")     # OBJECT IDENTIFIER 1.2.840.113549.1.7.2
_PEM_HEAD = re.compile(rb"-----BEGIN (?:PKCS7|CMS)-----(.*?)(?:-----|\Z)", re.S)


def claims_signature(data: bytes) -> bool:
    """The outer ContentInfo says signedData (DER, or PEM, also when cut short)."""
    m = _PEM_HEAD.search(data[:1024])
    if m:
        b64 = re.sub(rb"[^A-Za-z0-9+/]", b"", m.group(1))[:64]
        data = base64.b64decode(b64[: len(b64) // 4 * 4])
    if len(data) < 2 or data[0] != 0x30:
        return False
    start = 2 + (data[1] & 0x7F if data[1] & 0x80 else 0)
    return data[start:start + len(_SIGNED_DATA)] == _SIGNED_DATA


def verify_cms(data: bytes, report: r.DocumentReport, trust: TrustStore, content: bytes | None = None) -> None:
    signed = load(data)
    if signed["encap_content_info"]["content_type"].native == "tst_info":
        if not _time_stamp_covers(signed, report, content):
            return
        content = None      # the token is then checked as what it is: the authority's signature over its TSTInfo
    if signed["encap_content_info"]["content"].native is None and content is None:
        report.fail_document("document.detached_content_missing", None,
                             _("The signature is detached: the signed content is not in the file."),
                             indication=r.INDETERMINATE, sub=r.SIGNED_DATA_NOT_FOUND)
        return
    encapsulated = signed["encap_content_info"]["content"]
    if encapsulated.native is not None and content is not None:
        # the file holds its content: that is what a reader takes from it and what is verified; content given
        # besides must be the same (else the verdict would be about other data than the file shows)
        if _octets(encapsulated) != content:
            report.fail_document("document.content_mismatch", False,
                                 _("The content given is not the content the signature holds."),
                                 indication=r.FAILED, sub=r.HASH_FAILURE)
        content = None
    for signer_info in signed["signer_infos"]:
        sig = r.SignatureReport(kind="CMS")
        report.signatures.append(sig)
        _verify_signer(_only(signed, signer_info), signer_info, sig, trust, content)
        cmscounter.verify(signed, signer_info, report, trust)


def _time_stamp_covers(signed: cms.SignedData, report: r.DocumentReport, content: bytes | None) -> bool:
    """An RFC 3161 time-stamp token (or the response that carries it) given as a signature: the authority signs
    the imprint of some data, nobody signs a document. Without that data it is no signature of anything
    (SIGNED_DATA_NOT_FOUND, never "every signature is valid"); with it, the imprint must be its digest."""
    if content is None:
        report.fail_document("document.timestamp_only", None,
                             _("The file is a time-stamp token (RFC 3161), not a signature: it proves that some data "
                               "existed at a time, and that data is not in the file."),
                             indication=r.INDETERMINATE, sub=r.SIGNED_DATA_NOT_FOUND)
        return False
    imprint = signed["encap_content_info"]["content"].parsed["message_imprint"]
    if hashlib.new(imprint["hash_algorithm"]["algorithm"].native, content).digest() != imprint["hashed_message"].native:
        report.fail_document("document.timestamp_imprint", False,
                             _("The content given is not the data the time-stamp token was made for."),
                             indication=r.FAILED, sub=r.HASH_FAILURE)
        return False
    return True


def _octets(encapsulated) -> bytes:
    native = encapsulated.native
    return native if isinstance(native, bytes) else encapsulated.parsed.dump()


def _only(signed: cms.SignedData, signer_info) -> cms.SignedData:
    """The SignedData with this one SignerInfo (pyHanko validates a SignedData of exactly one signer): every
    signer of a file is judged, and the document's indication is the worst of them."""
    if len(signed["signer_infos"]) == 1:
        return signed
    one = signed.untag().copy()
    one["signer_infos"] = cms.SignerInfos([cms.SignerInfo.load(signer_info.dump())])
    return one


def _verify_signer(signed: cms.SignedData, signer_info, sig: r.SignatureReport, trust: TrustStore,
                   content: bytes | None) -> None:
    if not signer_certificate_present(signed, signer_info):
        sig.check("certificate.missing", False, _("The signature does not carry its signer's certificate."),
                  indeterminate=r.NO_SIGNING_CERTIFICATE_FOUND)
        return
    # Archive time-stamps first: the signature's own time-stamp is judged at the time they prove.
    level, existed_at = cms_level(signed, sig, trust, content)
    try:
        raw = None
        if content is not None:
            raw = hashlib.new(signer_info["digest_algorithm"]["algorithm"].native, content).digest()
        if content is not None and signed["encap_content_info"]["content"].native is None:
            # detached (CAdES): pyHanko also checks the signature time-stamp
            status = asyncio.run(async_validate_detached_cms(
                content, signed, signer_validation_context=trust.validation_context(),
                ts_validation_context=trust.validation_context(at=existed_at), key_usage_settings=KEY_USAGE,
                algorithm_policy=algorithms.COMPUTE_ALL))
        else:
            status = asyncio.run(async_validate_cms_signature(signed, raw_digest=raw,
                                                              validation_context=trust.validation_context(),
                                                              key_usage_settings=KEY_USAGE,
                                                              algorithm_policy=algorithms.COMPUTE_ALL))
    except Exception as exc:  # noqa: BLE001
        if isinstance(exc, SignatureValidationError) and \
                exc.ades_subindication == AdESIndeterminate.NO_SIGNING_CERTIFICATE_FOUND:
            # EN 319 102-1, 5.2.3: the ESS signing-certificate(-v2) attribute names another certificate
            sig.check("certificate.binding", False, _("The signed attributes name a different signing "
                                                      "certificate."), indeterminate=r.NO_SIGNING_CERTIFICATE_FOUND)
            return
        sig.check("format.invalid", False, _("The signature is malformed."), detail=exc,
                  fail=r.FORMAT_FAILURE)
        return
    fill(sig, status, trust, other_certs=[x509.load_der_x509_certificate(c.chosen.dump())
                                          for c in (signed["certificates"] or []) if c.name == "certificate"],
         ts_at=existed_at, signer_info=signer_info)
    sig.signing_time = sig.signing_time or _signing_time(signer_info)
    sig.level = level
    algorithms.judge(sig, algorithms.signer_info_digests(signer_info))


def signer_certificate_present(signed: cms.SignedData, signer_info) -> bool:
    sid = signer_info["sid"]
    certs = [c.chosen for c in (signed["certificates"] or []) if c.name == "certificate"]
    if sid.name == "issuer_and_serial_number":
        want = sid.chosen
        return any(c.issuer == want["issuer"] and c.serial_number == want["serial_number"].native for c in certs)
    return any(c.key_identifier == sid.chosen.native for c in certs)


def _signing_time(signer_info):
    for attr in signer_info["signed_attrs"] or []:
        if attr["type"].native == "signing_time":
            return attr["values"][0].native
    return None
