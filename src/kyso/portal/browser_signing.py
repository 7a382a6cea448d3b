"""Signing a dossier in the submitter's own browser, with the USB token on his own computer (issue 17, point 8).

Vietnamese public-service portals let an employer sign with the token his CA gave him through a small signing
helper on his computer that the page talks to on 127.0.0.1 (`kyso_signer`). Kyso never sees the key: it prepares
the XAdES B-B signature of each form with the certificate the token holds (`prepare`: everything but the
signature value), the helper signs the SHA-256 of its canonical SignedInfo on the token, and Kyso puts the value
in and checks it against the certificate (`complete`) before the files go through the same intake as an
uploaded signed file (the signature, the schema, the employer rule are all checked there).

What waits between the two halves is the submitter's own working state, kept in his session (server side,
shared by every node), for ten minutes at most.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import time

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree

from kyso.core.errors import Forbidden, InvalidInput, NotFound
from kyso.signing.xml import DS, parse, unsigned_xades_bb

from .models import Submitter

SESSION_KEY = "portal.browser_signing"
TTL_SECONDS = 600
MAX_WAITING = 10
MAX_BYTES = 5 * 1024 * 1024


def _submitter(user) -> Submitter:
    sub = Submitter.objects.filter(user=user, is_active=True).first() if user.is_authenticated else None
    if sub is None:
        raise Forbidden("portal.submitter.required",
                        _("Only registered employers, citizens and I-VAN providers submit dossiers."))
    return sub


def _certificate(certificate_b64: str) -> x509.Certificate:
    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(certificate_b64 or "", validate=True))
    except (ValueError, binascii.Error):
        raise InvalidInput("portal.sign.certificate", _("The signing device gave no readable certificate.")) from None
    now = timezone.now()
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise InvalidInput("portal.sign.certificate_expired",
                           _("The certificate on the signing device is not valid today (valid %(start)s to %(end)s)."),
                           start=timezone.localtime(cert.not_valid_before_utc).strftime("%d/%m/%Y"),
                           end=timezone.localtime(cert.not_valid_after_utc).strftime("%d/%m/%Y"))
    key = cert.public_key()
    if not (isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048
            or isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in ("secp256r1", "secp384r1")):
        raise InvalidInput("portal.sign.key", _("The key on the signing device is of a kind Kyso does not accept."))
    return cert


def prepare(session, user, *, name: str, data: bytes, certificate_b64: str) -> dict:
    """Prepare the signature of one form for the certificate on the submitter's device; what the device signs is
    the SHA-256 digest returned (`digest`), with RSA PKCS#1 v1.5 or ECDSA by the key's kind."""
    _submitter(user)
    if len(data) > MAX_BYTES:
        raise InvalidInput("portal.sign.too_large", _("The file is larger than the allowed %(mb)s MB."),
                           mb=MAX_BYTES // (1024 * 1024))
    cert = _certificate(certificate_b64)
    root = parse(data)
    if root.find(f".//{{{DS}}}Signature") is not None:
        raise InvalidInput("signing.xml.already_signed", _("The XML document is already signed."))
    ec_key = isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    sig, octets = unsigned_xades_bb(root, [cert], ec_key=ec_key)
    root.append(sig)
    waiting = {k: v for k, v in session.get(SESSION_KEY, {}).items() if v["until"] > time.time()}
    if len(waiting) >= MAX_WAITING:
        raise InvalidInput("portal.sign.too_many", _("Too many forms wait for their signature: finish or reload."))
    token = secrets.token_urlsafe(16)
    waiting[token] = {"name": name[:200], "until": time.time() + TTL_SECONDS,
                      "xml": base64.b64encode(etree.tostring(root, xml_declaration=True, encoding="UTF-8")).decode(),
                      "octets": base64.b64encode(octets).decode(),
                      "certificate": certificate_b64}
    session[SESSION_KEY] = waiting
    return {"id": token, "digest": base64.b64encode(hashlib.sha256(octets).digest()).decode(),
            "algorithm": "sha256", "key": "ec" if ec_key else "rsa"}


def _raw_ecdsa(signature: bytes, key: ec.EllipticCurvePublicKey) -> tuple[bytes, bytes]:
    """(DER, raw r‖s) of an ECDSA signature a device gives in either form."""
    size = (key.curve.key_size + 7) // 8
    if len(signature) == 2 * size:
        r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
    else:
        try:
            r, s = decode_dss_signature(signature)
        except ValueError:
            raise InvalidInput("portal.sign.bad_signature", _("The signing device's answer is not a signature of "
                                                              "this form with its certificate.")) from None
    if not (0 < r < 2 ** (8 * size) and 0 < s < 2 ** (8 * size)):   # a DER integer of any size decodes
        raise InvalidInput("portal.sign.bad_signature", _("The signing device's answer is not a signature of this "
                                                          "form with its certificate."))
    return encode_dss_signature(r, s), r.to_bytes(size, "big") + s.to_bytes(size, "big")


def complete(session, user, *, token: str, signature_b64: str) -> tuple[str, bytes]:
    """(file name, signed XML): the device's signature put into the prepared form, once it is checked to be the
    certificate's signature of exactly what was prepared. A wrong answer leaves the prepared form waiting."""
    _submitter(user)
    waiting = session.get(SESSION_KEY, {})
    entry = waiting.get(token or "")
    if entry is None or entry["until"] <= time.time():
        raise NotFound("portal.sign.expired", _("The prepared signature has expired or is unknown: sign again."))
    try:
        signature = base64.b64decode(signature_b64 or "", validate=True)
    except (ValueError, binascii.Error):
        signature = b""
    cert = x509.load_der_x509_certificate(base64.b64decode(entry["certificate"]))
    octets, key = base64.b64decode(entry["octets"]), cert.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            der, value = _raw_ecdsa(signature, key)
            key.verify(der, octets, ec.ECDSA(hashes.SHA256()))
        else:
            value = signature
            key.verify(signature, octets, PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        raise InvalidInput("portal.sign.bad_signature", _("The signing device's answer is not a signature of this "
                                                          "form with its certificate.")) from None
    root = parse(base64.b64decode(entry["xml"]))
    root.find(f"{{{DS}}}Signature/{{{DS}}}SignatureValue").text = base64.b64encode(value).decode()
    del waiting[token]
    session[SESSION_KEY] = waiting
    return entry["name"], etree.tostring(root, xml_declaration=True, encoding="UTF-8")
