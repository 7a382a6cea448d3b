"""Verification of CMS/PKCS#7 signatures with encapsulated content (e.g. `openssl cms -sign -nodetach`)."""

from __future__ import annotations

import asyncio
import base64
import re

from asn1crypto import cms
from django.utils.translation import gettext as _
from pyhanko.sign.validation.generic_cms import async_validate_cms_signature

from kyso.core.errors import InvalidInput

from . import report as r
from .pyhanko_status import KEY_USAGE, fill
from .trust import TrustStore

_PEM = re.compile(rb"-----BEGIN (?:PKCS7|CMS)-----(.*?)-----END (?:PKCS7|CMS)-----", re.S)


def load(data: bytes) -> cms.SignedData:
    m = _PEM.search(data)
    der = base64.b64decode(b"".join(m.group(1).split())) if m else data
    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed = info["content"]
        signed.native  # noqa: B018 - force a full parse now, not halfway through validation
        return signed
    except Exception as exc:  # noqa: BLE001
        raise InvalidInput("signing.input.cms_malformed", _("The CMS signature is malformed: %(detail)s") % {
            "detail": str(exc)[:200]}) from exc


def verify_cms(data: bytes, report: r.DocumentReport, trust: TrustStore, content: bytes | None = None) -> None:
    signed = load(data)
    if signed["encap_content_info"]["content"].native is None and content is None:
        report.fail_document("document.detached_content_missing", None,
                             _("The signature is detached: the signed content is not in the file."),
                             indication=r.INDETERMINATE, sub=r.SIGNED_DATA_NOT_FOUND)
        return
    for _i, _signer_info in enumerate(signed["signer_infos"]):
        sig = r.SignatureReport(kind="CMS")
        report.signatures.append(sig)
        try:
            raw = None
            if content is not None:
                import hashlib

                algo = _signer_info["digest_algorithm"]["algorithm"].native
                raw = hashlib.new(algo, content).digest()
            status = asyncio.run(async_validate_cms_signature(signed, raw_digest=raw,
                                                              validation_context=trust.validation_context(),
                                                              key_usage_settings=KEY_USAGE))
        except Exception as exc:  # noqa: BLE001
            sig.check("format.invalid", False, _("The signature is malformed: %(detail)s") % {"detail": str(exc)[:200]},
                      fail=r.FORMAT_FAILURE)
            continue
        fill(sig, status, trust)
        sig.level = "CMS"
        break  # pyHanko validates the first SignerInfo
