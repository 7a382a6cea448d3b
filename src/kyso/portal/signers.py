"""Whose certificate signed an e-dossier (issue 16, finding 5).

Vietnamese public CAs put the holder's identifier in the certificate subject: an organisation's tax code
(mã số thuế, MST) as `UID=MST:0101234567` — some CAs in `serialNumber` or in `organizationIdentifier`
(`VNVAT-0101234567`, `NTRVN-…`) —, a person's identity number as `UID=CCCD:001090001234` (`CMND:`, `HC:`
for a passport). A signed dossier of an employer is accepted only when every file is signed with the
employer's own certificate (its tax code) or with the certificate of a person the employer has authorised
(an `SignerAuthorisation` in force); an I-VAN provider submits only for employers registered with it
(`IvanRegistration`, kept by the officers).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import Forbidden, InvalidInput

from .models import IvanRegistration, SignerAuthorisation

# the subject attributes where Vietnamese CAs put the holder's identifier
ID_OIDS = (NameOID.USER_ID, NameOID.SERIAL_NUMBER, x509.ObjectIdentifier("2.5.4.97"))
TAX_RE = re.compile(r"^(?:MST|TIN|VATVN|VNVAT|NTRVN)\s*[:\-]\s*([0-9]{10}(?:-[0-9]{3})?)$", re.IGNORECASE)
PERSON_RE = re.compile(r"^(?:CCCD|CMND|HC|PASSPORT|PID)\s*[:\-]\s*([0-9A-Z]{6,20})$", re.IGNORECASE)


@dataclass
class Holder:
    """The identifiers a certificate carries."""

    tax_codes: set[str] = field(default_factory=set)
    person_ids: set[str] = field(default_factory=set)


def holder_of(cert: x509.Certificate | None) -> Holder:
    out = Holder()
    if cert is None:
        return out
    for oid in ID_OIDS:
        for attr in cert.subject.get_attributes_for_oid(oid):
            value = str(attr.value).strip()
            if m := TAX_RE.match(value):
                out.tax_codes.add(m.group(1))
            elif m := PERSON_RE.match(value):
                out.person_ids.add(m.group(1).upper())
    return out


def in_force(qs, on: dt.date):
    return qs.filter(ended_at__isnull=True, valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def kept_over(qs, unit):
    """The records of `qs` kept at `unit` or at a unit above it: an office's officers vouch (a registration, an
    authorisation) only for the dossiers filed with their own office or the offices below it — before, an officer
    of any district could let anyone sign, or any I-VAN submit, for an employer of any province."""
    paths = [unit.path[:i + 1] for i, ch in enumerate(unit.path) if ch == "/"]
    return qs.filter(unit__path__in=paths)


def authorised_people(tax_code: str, on: dt.date, unit) -> set[str]:
    """Identity numbers of the people the employer has authorised to sign its dossiers filed at `unit`, on `on`."""
    qs = kept_over(in_force(SignerAuthorisation.objects.filter(employer_tax_code=tax_code), on), unit)
    return {p.upper() for p in qs.values_list("person_id", flat=True)}


def signs_for(cert, tax_code: str, on: dt.date, unit) -> bool:
    holder = holder_of(cert)
    if tax_code in holder.tax_codes:
        return True
    return bool(holder.person_ids & authorised_people(tax_code, on, unit))


def require_signed_by_employer(checked, tax_code: str, on: dt.date, unit) -> None:
    """Every signed file carries the employer's signature (its own certificate or the certificate of a person an
    authorisation kept over `unit`, the office the dossier is filed with, names)."""
    problems = {}
    for c in checked:
        if not signs_for(c.certificate, tax_code, on, unit):
            label = c.upload.name or "?"
            problems[label] = ("portal.intake.signer_not_employer",
                               _("%(file)s is signed by %(signer)s, whose certificate belongs neither to the employer "
                                 "with tax code %(tax)s nor to a person it has authorised.")
                               % {"file": label, "signer": c.signer or "—", "tax": tax_code})
    if problems:
        raise InvalidInput("portal.intake.signer_not_employer",
                           _("The dossier is refused: %(n)s file(s) are not signed by the employer %(tax)s."),
                           n=len(problems), tax=tax_code, fields=problems)


def require_registered(ivan, tax_code: str, on: dt.date, unit) -> IvanRegistration:
    """An I-VAN provider submits only for an employer registered with it, to the office that registered it (or one
    below)."""
    reg = kept_over(in_force(IvanRegistration.objects.filter(ivan=ivan, employer_tax_code=tax_code), on), unit).first()
    if reg is None:
        raise Forbidden("portal.ivan.not_registered",
                        _("The employer with tax code %(tax)s is not registered with your I-VAN service."), tax=tax_code)
    return reg
