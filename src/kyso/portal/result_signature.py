"""The result of a dossier signed by the competent person (Decision 508, Art. 8.2 and 8.5; Decree 30, Art. 32):
the office's leader signs it at his desk with his own certificate, the key on his USB token unlocked by his PIN
(`kyso.signing.service.sign_for`: his certificate only, a wrong PIN counted by the token and kept though the
step fails); his visible stamp shows his title — "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" for a deputy —, his signature
image and his name. The office's seal goes over it in the step itself (`documents.issue_signed`)."""

from __future__ import annotations

from cryptography import x509
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput
from kyso.pki.models import CertStatus, IssuedCertificate
from kyso.signing.decree30 import leader_appearance
from kyso.signing.service import sign_for

from . import documents, sealing


def token_certificates(user):
    """The certificates whose key is on `user`'s own USB token (what the sign form offers)."""
    person = getattr(user, "person", None)
    if person is None or not person.email:
        return IssuedCertificate.objects.none()
    return IssuedCertificate.objects.filter(email__iexact=person.email, status=CertStatus.GOOD,
                                            key_location__startswith="pkcs11:").order_by("-not_after")


def _required(certificate: str, pin: str) -> None:
    fields = {}
    if not certificate.strip():
        fields["certificate"] = ("required", _("Choose the certificate on your USB token."))
    if not pin:
        fields["pin"] = ("required", _("Type the PIN of your USB token."))
    if fields:
        raise InvalidInput("portal.sign.device_required",
                           _("The leader signs the result with his own certificate: choose it and type its PIN."),
                           fields=fields)


def _title_of(certificate: str, person) -> str:
    """The title the certificate is bound to (Art. 8.2), else the person's."""
    cert = IssuedCertificate.objects.filter(serial=certificate.strip().lower()).first()
    if cert is not None:
        found = cert.certificate.subject.get_attributes_for_oid(x509.NameOID.TITLE)
        if found and found[0].value:
            return str(found[0].value)
    return getattr(person, "title", "") or ""


def signed_result(user, dossier, note: str, *, certificate: str, pin: str) -> bytes:
    """The result of `dossier` rendered and signed by `user` with his own certificate (not yet sealed)."""
    _required(certificate, pin)
    person = getattr(user, "person", None)
    pdf, page, box = sealing.render_for_leader(documents.result(dossier, note))
    appearance = leader_appearance(person, title=_title_of(certificate, person),
                                   name=person.full_name if person else user.get_username(), page=page, box=box)
    signed = sign_for(user, pdf, certificate=certificate.strip(), pin=pin, level="B-T", appearance=appearance)
    if not isinstance(signed, bytes):     # a remote key answered "confirm on the phone": not this form's device
        raise InvalidInput("portal.sign.token_only",
                           _("This certificate's key is not on a USB token: choose the certificate of your token."))
    return signed
