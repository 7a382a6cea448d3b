"""Whose certificate signed an e-dossier (issue 16, finding 5).

Vietnamese public CAs put the holder's identifier in the certificate subject: an organisation's tax code
(mã số thuế, MST) as `UID=MST:0101234567` — some CAs in `serialNumber` or in `organizationIdentifier`
(`VNVAT-0101234567`, `NTRVN-…`) —, a person's identity number as `UID=CCCD:001090001234` (`CMND:`, `HC:`
for a passport). A signed dossier of an employer is accepted only when every file is signed with the
employer's own certificate (its tax code) or with the certificate of a person the employer has authorised
(an `SignerAuthorisation` in force); an I-VAN provider submits only for employers registered with it
(`IvanRegistration`, kept by the officers).

The same holds for every kind of submitter (`require_submitters_own`): a commune People's Committee's files carry its
own tax code (or an authorised person's identity number), a citizen's files his own identity number — the one his
account records. A submitter whose account records no identifier cannot send a signed dossier: no signature could
be shown to be his. Before, only employers and I-VAN providers were checked, and a commune or a citizen could file
a dossier signed with any company's certificate as his own.

What a form declares is the submitter's too (`require_forms_name_the_party`): a form that names an employer by its
tax code (`<DonVi><MaSoThue>`: D02-TS, D01-TS, TK3-TS of Decision 595) is that employer's declaration, filed by it
or by an I-VAN provider for it — before, an employer could sign and file a declaration about another company's
workforce.
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

from .models import IvanRegistration, SignerAuthorisation, SubmitterKind

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


@dataclass(frozen=True)
class Party:
    """Whom a signed dossier is from: the kind of submitter it is filed as (an I-VAN provider files as the
    employer), the identifier his account records (an organisation's tax code, a citizen's identity number) and
    his name."""

    kind: str
    identifier: str
    name: str = ""

    @property
    def organisation(self) -> bool:
        return self.kind in ORGANISATIONS


# the kinds of submitter that sign as an organisation, with its tax code (or an authorised person)
ORGANISATIONS = (SubmitterKind.EMPLOYER, SubmitterKind.COMMUNE)


def party_of_dossier(dossier) -> Party | None:
    """The party of a received signed dossier (for its supplements): the employer an I-VAN filed for, else the
    submitter's account; None for a dossier received at the desk (no account)."""
    if dossier.channel == "ivan":
        return Party(SubmitterKind.EMPLOYER, dossier.submitter_tax_code, dossier.submitter_name)
    if dossier.submitter is None:
        return None
    return Party(dossier.submitter.kind, dossier.submitter_tax_code, dossier.submitter_name)


def require_identified(party: Party) -> None:
    """A signed dossier needs the submitter's identifier on his account: without it no signature is his."""
    if party.kind == SubmitterKind.CITIZEN and not party.identifier.strip():
        raise Forbidden("portal.intake.submitter_unidentified",
                        _("Your account does not record your identity number (CCCD, CMND or passport), so no signature "
                          "can be shown to be yours: ask your managing social-security office to record it before "
                          "sending a signed dossier."))
    if party.kind not in (*ORGANISATIONS, SubmitterKind.CITIZEN) or not party.identifier.strip():
        raise Forbidden("portal.intake.submitter_unidentified",
                        _("Your account does not record your tax code, so no signature can be shown to be yours: ask "
                          "your managing social-security office to record it before sending a signed dossier."))


def signed_by_citizen(cert, person_id: str) -> bool:
    return person_id.strip().upper() in holder_of(cert).person_ids


def require_signed_by_submitter(checked, party: Party, on: dt.date, unit) -> None:
    """Every signed file carries the party's own signature: an employer's (`require_signed_by_employer`), a
    commune committee's (its tax code, or a person it has authorised at `unit` or above), a citizen's (his
    identity number)."""
    require_identified(party)
    if party.kind == SubmitterKind.EMPLOYER:
        return require_signed_by_employer(checked, party.identifier, on, unit)
    problems = {}
    for c in checked:
        label = c.upload.name or "?"
        if party.organisation:
            if signs_for(c.certificate, party.identifier, on, unit):
                continue
            text = _("%(file)s is signed by %(signer)s, whose certificate belongs neither to %(name)s (tax code "
                     "%(id)s) nor to a person it has authorised.")
        else:
            if signed_by_citizen(c.certificate, party.identifier):
                continue
            text = _("%(file)s is signed by %(signer)s, whose certificate does not carry your identity number "
                     "%(id)s: a citizen signs his dossier with his own certificate.")
        problems[label] = ("portal.intake.signer_not_submitter",
                           text % {"file": label, "signer": c.signer or "—", "name": party.name, "id": party.identifier})
    if problems:
        raise InvalidInput("portal.intake.signer_not_submitter",
                           _("The dossier is refused: %(n)s file(s) are not signed by %(name)s."),
                           n=len(problems), name=party.name, fields=problems)


def declared_employers(root, namespace: str) -> list[str]:
    """The tax codes of the employers a form declares about: each `<DonVi><MaSoThue>` of the form's namespace,
    wherever it stands."""
    if root is None or not namespace:
        return []
    unit_tag = f"{{{namespace}}}DonVi"
    return [(e.text or "").strip() for e in root.iter(f"{{{namespace}}}MaSoThue")
            if e.getparent() is not None and e.getparent().tag == unit_tag]


def require_forms_name_the_party(checked, party: Party) -> None:
    """A form that names an employer is filed by that employer (an I-VAN provider filing for it counts as it); a
    citizen files no employer's declaration."""
    problems = {}
    for c in checked:
        others = sorted({tax for tax in declared_employers(c.root, c.form.namespace)
                         if not (party.organisation and tax == party.identifier)})
        if others:
            label = c.upload.name or "?"
            problems[label] = ("portal.intake.form_names_other_employer",
                               _("%(file)s is a declaration of the employer with tax code %(declared)s, not of "
                                 "%(name)s, for whom the dossier is submitted: only that employer, or an I-VAN provider it has "
                                 "registered, files its declarations.")
                               % {"file": label, "declared": ", ".join(others), "name": party.name})
    if problems:
        raise InvalidInput("portal.intake.form_names_other_employer",
                           _("The dossier is refused: %(n)s form(s) are declarations of another employer than %(name)s."),
                           n=len(problems), name=party.name, fields=problems)


def require_submitters_own(checked, party: Party, on: dt.date, unit) -> None:
    """A signed dossier (or its supplement) is the party's own: each file signed by it, each form about it."""
    require_signed_by_submitter(checked, party, on, unit)
    require_forms_name_the_party(checked, party)


def require_registered(ivan, tax_code: str, on: dt.date, unit) -> IvanRegistration:
    """An I-VAN provider submits only for an employer registered with it, to the office that registered it (or one
    below)."""
    reg = kept_over(in_force(IvanRegistration.objects.filter(ivan=ivan, employer_tax_code=tax_code), on), unit).first()
    if reg is None:
        raise Forbidden("portal.ivan.not_registered",
                        _("The employer with tax code %(tax)s is not registered with your I-VAN service."), tax=tax_code)
    return reg
