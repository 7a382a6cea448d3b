"""Who may sign and submit for an employer (issue 16, finding 5): the employers registered with each I-VAN
provider and the people each employer has authorised to sign its e-dossiers, kept by the officers of the
employer's managing office, every change a step of the runner."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kyso.org.models import Unit

from .models import IvanRegistration, SignerAuthorisation, Submitter, SubmitterKind
from .permissions import PORTAL_REGISTER
from .signers import in_force

REGISTER = steps.step("portal.ivan_registration.create", perm=PORTAL_REGISTER, label=_("Register an employer with an I-VAN"))
END_REGISTRATION = steps.step("portal.ivan_registration.end", perm=PORTAL_REGISTER, label=_("End an I-VAN registration"))
AUTHORISE = steps.step("portal.signer_authorisation.create", perm=PORTAL_REGISTER, label=_("Register a signing authorisation"))
END_AUTHORISATION = steps.step("portal.signer_authorisation.end", perm=PORTAL_REGISTER,
                               label=_("End a signing authorisation"))


def registrations(user):
    return scope.filter_by_scope(IvanRegistration.objects.select_related("ivan", "unit"), user, PORTAL_REGISTER)


def authorisations(user):
    return scope.filter_by_scope(SignerAuthorisation.objects.select_related("unit"), user, PORTAL_REGISTER)


PERSONAL_DATA_READ = "portal.personal_data.read"


def reveal(records, via: str) -> None:
    """A signing authorisation carries the authorised person's identity number (CCCD): shown only to the officers
    who keep the register (`authorisations` is scoped to them), and every read is in the audit trail, one record
    per authorisation shown (issue 16: personal data only to roles that need it, every read audited)."""
    for record in records:
        audit.record(PERSONAL_DATA_READ, record, after={"via": via})


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise NotFound("portal.intake.unit_not_found", _("There is no active office with code %(code)s."), code=code)
    return unit


def _dates(valid_from: dt.date | None, valid_to: dt.date | None) -> tuple[dt.date, dt.date | None]:
    start = valid_from or timezone.localdate()
    if valid_to is not None and valid_to < start:
        raise InvalidInput("portal.registry.dates", _("The end date is before the start date."),
                           fields={"valid_to": ("before_start", _("The end date is before the start date."))})
    return start, valid_to


def register_ivan(user, *, ivan_login: str, tax_code: str, name: str, unit_code: str,
                  valid_from: dt.date | None = None, valid_to: dt.date | None = None) -> IvanRegistration:
    unit = _unit(unit_code)
    ivan = Submitter.objects.filter(user__username=ivan_login, kind=SubmitterKind.IVAN, is_active=True).first()
    if ivan is None:
        raise NotFound("portal.ivan.not_found", _("There is no I-VAN provider with login %(login)s."), login=ivan_login)
    start, end = _dates(valid_from, valid_to)

    def body(attempt):
        if in_force(IvanRegistration.objects.filter(ivan=ivan, employer_tax_code=tax_code), start).exists():
            raise Conflict("portal.ivan.already_registered",
                           _("The employer with tax code %(tax)s is already registered with this I-VAN provider."),
                           tax=tax_code)
        return IvanRegistration.objects.create(ivan=ivan, employer_tax_code=tax_code, employer_name=name.strip()[:300],
                                               unit=unit, valid_from=start, valid_to=end, registered_by=user)

    return steps.run(REGISTER, body, actor=user, unit=unit)


def authorise_signer(user, *, tax_code: str, employer_name: str, person_id: str, person_name: str, unit_code: str,
                     valid_from: dt.date | None = None, valid_to: dt.date | None = None) -> SignerAuthorisation:
    unit = _unit(unit_code)
    start, end = _dates(valid_from, valid_to)
    person_id = person_id.strip().upper()

    def body(attempt):
        own = (getattr(getattr(user, "person", None), "id_number", "") or "").strip().upper()
        if own and own == person_id:
            # four eyes (issue 16): the officer who keeps the register does not write himself into it — he would
            # then sign dossiers for the employer on his own word
            raise Forbidden("portal.authorisation.own", _("You may not register an authorisation for yourself: "
                                                          "another officer of the office does."))
        if in_force(SignerAuthorisation.objects.filter(employer_tax_code=tax_code, person_id=person_id), start).exists():
            raise Conflict("portal.authorisation.exists",
                           _("This person is already authorised to sign for the employer %(tax)s."), tax=tax_code)
        return SignerAuthorisation.objects.create(
            employer_tax_code=tax_code, employer_name=employer_name.strip()[:300], person_id=person_id,
            person_name=person_name.strip()[:200], unit=unit, valid_from=start, valid_to=end, registered_by=user)

    return steps.run(AUTHORISE, body, actor=user, unit=unit)


def _end(step, record, user):
    def body(attempt):
        if record.ended_at is not None:
            raise Conflict("portal.registry.ended", _("This record has already ended."))
        record.ended_at = timezone.now()
        record.save()
        return record

    return steps.run(step, body, actor=user, obj=record, unit=record.unit)


def end_registration(user, record: IvanRegistration) -> IvanRegistration:
    return _end(END_REGISTRATION, record, user)


def end_authorisation(user, record: SignerAuthorisation) -> SignerAuthorisation:
    return _end(END_AUTHORISATION, record, user)
