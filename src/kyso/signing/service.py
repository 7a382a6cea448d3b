"""Signing on behalf of a logged-in user (API): with his own certificate whose key sits on his device
(PKCS#11 token, unlocked by his PIN), or — for a clerk (Art. 8.1) — with his unit's seal certificate.
Nobody signs with a certificate that is not his.

A key held remotely (the HSM partition of remote signing, a PKI SIM) is never unlocked by a PIN alone:
the app that owns those keys (`kyso.mobile`) registers a `RemoteSigner`, which asks for the holder's sole
control as the CSC API and letter 346 describe — a SAD bound to the document's hash (PIN + one-time
code), or a confirmation on his phone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable

from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput, NotFound
from kyso.pki import pins
from kyso.pki.ca import chain
from kyso.pki.models import CertStatus, IssuedCertificate

from .images import seal_image_of, signature_image_of
from .pdf import Appearance, sign_pdf
from .permissions import SIGN_SEAL
from .seal import unit_seal
from .verify import detect
from .xml import sign_xml

SIGN = steps.step("signing.document.sign")


@dataclass
class Pending:
    """The document waits for the holder's confirmation on his phone; poll `poll_url`."""

    request_id: str
    poll_url: str


# Registered by the apps that hold keys remotely: fn(user, issued, data, fmt, level, sad, confirm, pin, attempt)
# returns the signed bytes or a `Pending`, raises when sole control is not shown (a PIN sent along is still checked
# and a wrong one counted for that credential), or None when the key is not theirs.
RemoteSigner = Callable[..., "bytes | Pending | None"]
_REMOTE: list[RemoteSigner] = []


def register_remote_signer(fn: RemoteSigner) -> None:
    if fn not in _REMOTE:
        _REMOTE.append(fn)


def _own_certificate(user, serial: str) -> IssuedCertificate:
    cert = IssuedCertificate.objects.filter(serial=(serial or "").lower()).first()
    if cert is None:
        raise NotFound("signing.certificate.not_found", _("No certificate with serial %(serial)s."), serial=serial)
    person = getattr(user, "person", None)
    if person is None or not cert.email or cert.email.lower() != person.email.lower():
        raise Forbidden("signing.certificate.not_yours", _("You may only sign with your own certificate."))
    if cert.status != CertStatus.GOOD:
        raise InvalidInput("signing.certificate.not_good", _("The certificate is revoked or suspended."))
    return cert


def _token_key(cert: IssuedCertificate, pin: str, attempt: steps.Attempt):
    """The key on the holder's device, after his token accepted the PIN (wrong PINs counted per token)."""
    if not cert.key_location.startswith("pkcs11:"):
        raise InvalidInput("signing.certificate.no_device", _("The key of this certificate is not on a device."))
    fields = dict(part.split("=", 1) for part in cert.key_location.removeprefix("pkcs11:").split(";"))
    try:
        return pins.unlock(fields["token"], pin, attempt, wrong_code="signing.device.locked").get(fields["object"])
    except NotFound:
        raise Forbidden("signing.device.locked", _("The device could not be unlocked (missing token).")) from None


def sign_for(user, data: bytes, *, certificate: str = "", pin: str = "", seal: bool = False, level: str = "",
             appearance: Appearance | None = None, sad: str = "", confirm: str = "") -> bytes | Pending:
    """Sign `data` (PDF or XML) as `user`; a remote key answers with the signed bytes (SAD) or `Pending`."""
    fmt = detect(data)
    if fmt == "cms":
        raise InvalidInput("signing.format.unsupported", _("Only PDF and XML documents are signed here."))

    def body(attempt):
        if seal:
            unit = next((a.unit for a in user.role_assignments.select_related("unit") if a.role == "clerk"), None)
            if unit is None or not scope.can(user, SIGN_SEAL, unit):
                raise Forbidden("signing.seal.not_clerk", _("Only the unit's clerk signs with its seal certificate."))
            issued, key = unit_seal(unit)
            if appearance is not None and appearance.kind == "organization":
                appearance.organization = appearance.organization or unit.name
                appearance.seal_image = appearance.seal_image or seal_image_of(unit)
        else:
            issued = _own_certificate(user, certificate)
            for remote in _REMOTE:
                outcome = remote(user, issued, data, fmt=fmt, level=level or "B-T", sad=sad, confirm=confirm,
                                 pin=pin, attempt=attempt)
                if outcome is not None:
                    return outcome
            key = _token_key(issued, pin, attempt)
            if appearance is not None and appearance.kind == "leader" and not appearance.signature_image:
                appearance.signature_image = signature_image_of(getattr(user, "person", None))
        ca_chain = chain()[:-1]
        if fmt == "xml":
            out = sign_xml(data, key, issued.certificate, chain=ca_chain, level=level or "B-T")
        else:
            out = sign_pdf(data, key, issued.certificate, chain=ca_chain, level=level or "B-T", appearance=appearance)
        # Who used which certificate on what (by hash): the trail of every signature made through Kyso.
        audit.record("signing.document.signed", issued, after={"format": fmt, "seal": seal,
                                                               "sha256_in": hashlib.sha256(data).hexdigest(),
                                                               "sha256_out": hashlib.sha256(out).hexdigest()})
        return out

    return steps.run(SIGN, body, actor=user)
