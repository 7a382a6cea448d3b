"""Whole documents signed with a remote key (CSC signDoc, POST /api/v1/sign): the formats and levels accepted
and the signature itself, made by the signing app with the holder's unlocked key."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kyso.core.errors import InvalidInput
from kyso.signing.pdf import sign_pdf
from kyso.signing.xml import sign_xml

from .models import Credential, SignatureRequest

MEDIA = {"P": "application/pdf", "X": "application/xml"}
LEVELS = {"Ades-B-B": "B-B", "Ades-B-T": "B-T", "Ades-B-LT": "B-LT", "AdES-B-B": "B-B", "AdES-B-T": "B-T",
          "AdES-B-LT": "B-LT", "B-B": "B-B", "B-T": "B-T", "B-LT": "B-LT", "": "B-T"}
MAX_DOCUMENT = 20 * 1024 * 1024


def check_document(data: bytes, fmt: str, level: str) -> tuple[bytes, str, str]:
    if fmt not in MEDIA:
        raise InvalidInput("mobile.document.format", _("signature_format must be P (PDF) or X (XML)."))
    lvl = LEVELS.get(str(level or ""))
    if lvl is None or (fmt == "X" and lvl == "B-LT"):
        raise InvalidInput("mobile.document.level", _("Unsupported conformance level %(level)s."), level=level)
    if not data:
        raise InvalidInput("mobile.document.empty", _("The document is empty."))
    if len(data) > MAX_DOCUMENT:
        raise InvalidInput("mobile.document.too_large", _("The document is larger than 20 MB."))
    return data, fmt, lvl


def sign_document(cred: Credential, key, data: bytes, fmt: str, level: str) -> bytes:
    """Sign the whole document with the holder's unlocked key (PAdES or XAdES, through the signing app)."""
    cert = cred.certificate.certificate
    chain = SignatureRequest(credential=cred).chain_certificates()
    if fmt == "P":
        return sign_pdf(data, key, cert, chain=chain, level=level)
    return sign_xml(data, key, cert, chain=chain, level=level)
