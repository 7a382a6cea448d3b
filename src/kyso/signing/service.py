"""Signing on behalf of a logged-in user (API): with his own certificate whose key sits on his device
(PKCS#11 token, unlocked by his PIN), or — for a clerk (Art. 8.1) — with his unit's seal certificate.
Nobody signs with a certificate that is not his."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core.errors import Forbidden, InvalidInput, NotFound

from .images import seal_image_of, signature_image_of
from .pdf import Appearance, sign_pdf
from .permissions import SIGN_SEAL
from .verify import detect
from .xml import sign_xml


def _own_certificate(user, serial: str):
    from kyso.pki.models import CertStatus, IssuedCertificate

    cert = IssuedCertificate.objects.filter(serial=(serial or "").lower()).first()
    if cert is None:
        raise NotFound("signing.certificate.not_found", _("No certificate with serial %(serial)s."), serial=serial)
    person = getattr(user, "person", None)
    if person is None or not cert.email or cert.email.lower() != person.email.lower():
        raise Forbidden("signing.certificate.not_yours", _("You may only sign with your own certificate."))
    if cert.status != CertStatus.GOOD:
        raise InvalidInput("signing.certificate.not_good", _("The certificate is revoked or suspended."))
    if not cert.key_location.startswith("pkcs11:"):
        raise InvalidInput("signing.certificate.no_device", _("The key of this certificate is not on a device."))
    return cert


def _token_key(cert, pin: str):
    from kyso.pki.keystore import Pkcs11KeyStore, ensure_softhsm_env

    fields = dict(part.split("=", 1) for part in cert.key_location.removeprefix("pkcs11:").split(";"))
    from django.conf import settings

    ensure_softhsm_env()
    try:
        return Pkcs11KeyStore(settings.KYSO_PKCS11_MODULE, fields["token"], pin).get(fields["object"])
    except Exception as exc:  # noqa: BLE001 - wrong PIN, missing token: one clear answer
        raise Forbidden("signing.device.locked", _("The device could not be unlocked (wrong PIN or missing token).")) \
            from exc


def sign_for(user, data: bytes, *, certificate: str = "", pin: str = "", seal: bool = False, level: str = "",
             appearance: Appearance | None = None) -> bytes:
    from kyso.pki.ca import chain

    fmt = detect(data)
    if fmt == "cms":
        raise InvalidInput("signing.format.unsupported", _("Only PDF and XML documents are signed here."))
    if seal:
        unit = next((a.unit for a in user.role_assignments.select_related("unit") if a.role == "clerk"), None)
        if unit is None or not scope.can(user, SIGN_SEAL, unit):
            raise Forbidden("signing.seal.not_clerk", _("Only the unit's clerk signs with its seal certificate."))
        from .seal import unit_seal

        issued, key = unit_seal(unit)
        if appearance is not None and appearance.kind == "organization":
            appearance.organization = appearance.organization or unit.name
            appearance.seal_image = appearance.seal_image or seal_image_of(unit)
    else:
        issued = _own_certificate(user, certificate)
        key = _token_key(issued, pin)
        if appearance is not None and appearance.kind == "leader" and not appearance.signature_image:
            appearance.signature_image = signature_image_of(getattr(user, "person", None))
    ca_chain = chain()[:-1]
    if fmt == "xml":
        out = sign_xml(data, key, issued.certificate, chain=ca_chain, level=level or "B-T")
    else:
        out = sign_pdf(data, key, issued.certificate, chain=ca_chain, level=level or "B-T", appearance=appearance)
    # Who used which certificate on what (by hash): the trail of every signature made through Kyso.
    import hashlib

    audit.record("signing.document.signed", issued, after={"format": fmt, "seal": seal,
                                                           "sha256_in": hashlib.sha256(data).hexdigest(),
                                                           "sha256_out": hashlib.sha256(out).hexdigest()})
    return out
