"""Changes to units and people. Views, API, import and CLI all call these.

`actor=None` means the system itself (CLI, demo loader): no scope check. Every change
runs in the caller's transaction and is audited by the model registry.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kyso.core import authz as scope
from kyso.core import steps
from kyso.core.errors import Conflict, Forbidden, InvalidInput, NotFound

from . import contacts
from . import permissions as perms
from .models import Gender, IdType, Person, Unit, UnitFunction, UnitLevel

UNIT_FIELDS = ("code", "name", "short_name", "function", "has_own_seal", "address", "email_domain", "phone",
               "gov_code", "province_name", "is_active")
PERSON_FIELDS = ("full_name", "gender", "birth_date", "birth_place", "nationality", "id_type", "id_number",
                 "id_issue_date", "id_issue_place", "residence", "title", "email", "phone_office", "phone_home",
                 "phone_mobile", "fax", "is_active")


def get_unit(code: str) -> Unit:
    unit = Unit.objects.select_related("level").filter(code=code).first()
    if unit is None:
        raise NotFound("org.unit.not_found", _("No unit with code %(code)s."), code=code)
    return unit


def get_level(code: str) -> UnitLevel:
    level = UnitLevel.objects.filter(code=code).first()
    if level is None:
        raise InvalidInput("org.level.not_found", _("No unit level with code %(code)s."), code=code)
    return level


def _unit_errors(unit: Unit) -> dict:
    errors = {}
    if not (unit.code or "").strip():
        errors["code"] = ("org.unit.code_missing", _("The unit code is required."))
    elif not all(c.isalnum() or c in "._-" for c in unit.code):
        errors["code"] = ("org.unit.code_format", _("A unit code has letters, digits, '.', '_' or '-' only."))
    if not (unit.name or "").strip():
        errors["name"] = ("org.unit.name_missing", _("The unit name is required."))
    if unit.function not in UnitFunction.values:
        errors["function"] = ("org.unit.function", _("Unknown unit function."))
    if unit.email_domain and ("@" in unit.email_domain or "." not in unit.email_domain):
        errors["email_domain"] = ("org.unit.email_domain", _("The e-mail domain is not valid (e.g. hanoi.vss.gov.vn)."))
    return errors


def save_unit(unit: Unit, *, actor=None, action: str) -> Unit:
    errors = _unit_errors(unit)
    if errors:
        raise InvalidInput("org.unit.invalid", _("The unit data is not valid."), fields=errors)
    if Unit.objects.filter(code=unit.code).exclude(pk=unit.pk).exists():
        raise Conflict("org.unit.code_taken", _("Unit code %(code)s is already in use."), code=unit.code)
    if actor is not None:
        if unit.parent_id:
            scope.require(actor, perms.ORG_MANAGE_UNIT, unit.parent)
        elif not scope.has_role(actor, perms.Role.SYSADMIN):
            raise Forbidden("forbidden", _("Only a system administrator can create a top-level unit."))
    try:
        with steps.audit_action(action):
            unit.save()
    except ValidationError as exc:
        raise InvalidInput("org.unit.cycle", _("A unit cannot be placed under itself or its own sub-unit.")) from exc
    return unit


def create_unit(data: dict, *, actor=None) -> Unit:
    unit = Unit(level=data["level"] if isinstance(data.get("level"), UnitLevel) else get_level(data.get("level", "")))
    parent = data.get("parent")
    if isinstance(parent, str):
        parent = get_unit(parent) if parent else None
    unit.parent = parent
    for f in UNIT_FIELDS:
        if f in data and data[f] is not None:
            setattr(unit, f, data[f])
    return save_unit(unit, actor=actor, action="org.unit.create")


def update_unit(unit: Unit, data: dict, *, actor=None) -> Unit:
    if actor is not None:
        scope.require(actor, perms.ORG_MANAGE_UNIT, unit)
    if "level" in data:
        unit.level = data["level"] if isinstance(data["level"], UnitLevel) else get_level(data["level"])
    if "parent" in data:
        parent = data["parent"]
        if isinstance(parent, str):
            parent = get_unit(parent) if parent else None
        if parent is not None and parent.is_in_subtree_of(unit):
            raise InvalidInput("org.unit.cycle", _("A unit cannot be placed under itself or its own sub-unit."))
        unit.parent = parent
    for f in UNIT_FIELDS:
        if f in data and data[f] is not None:
            setattr(unit, f, data[f])
    return save_unit(unit, actor=actor, action="org.unit.update")


# ----------------------------------------------------------------------------- people


def _clean_person(person: Person, actor=None) -> None:
    errors = person.validation_errors()
    if errors:
        raise InvalidInput("org.person.invalid", _("The staff record is not valid."), fields=errors)
    dup = Person.objects.filter(id_type=person.id_type, id_number=person.id_number).exclude(pk=person.pk).first()
    if dup is not None:
        if actor is not None and not scope.can(actor, perms.ORG_VIEW_PERSON, dup.unit):
            # never name whom a typed number belongs to outside the officer's scope (a lookup of anyone by CCCD)
            raise Conflict("org.person.id_taken", _("This identity number already belongs to a staff record of "
                                                    "another unit."))
        raise Conflict("org.person.id_taken", _("Identity number %(number)s already belongs to %(name)s."),
                       number=person.id_number, name=dup.full_name)
    if Person.objects.filter(email__iexact=person.email).exclude(pk=person.pk).exists():
        raise Conflict("org.person.email_taken", _("E-mail %(email)s is already in use."), email=person.email)


def _apply_person(person: Person, data: dict) -> None:
    for f in PERSON_FIELDS:
        if f in data and data[f] is not None:
            value = data[f]
            if isinstance(value, str):
                value = value.strip()
            setattr(person, f, value)
    if person.id_number:
        person.id_number = person.id_number.replace(" ", "").upper()
    if person.email:
        person.email = person.email.lower()
    unit = data.get("unit")
    if isinstance(unit, str):
        unit = get_unit(unit)
    if unit is not None:
        person.unit = unit


def create_person(data: dict, *, actor=None) -> Person:
    person = Person()
    _apply_person(person, data)
    if not person.unit_id:
        raise InvalidInput("org.person.unit_missing", _("The unit is required."), fields={"unit": ("org.person.unit_missing", _("The unit is required."))})
    if actor is not None:
        scope.require(actor, perms.ORG_MANAGE_PERSON, person.unit)
    _clean_person(person, actor)
    with steps.audit_action("org.person.create"):
        person.save()
    return person


def update_person(person: Person, data: dict, *, actor=None) -> Person:
    """Change a staff record. A new e-mail or mobile phone (the channels of one-time codes) is not applied
    at once when an officer asks: it waits for confirmation (`contacts`); `person.pending_changes` lists them."""
    if actor is not None:
        scope.require(actor, perms.ORG_MANAGE_PERSON, person.unit)
    data = dict(data)
    sensitive = {}
    if actor is not None:
        sensitive = {f: data.pop(f) for f in contacts.SENSITIVE if data.get(f) is not None}
    _apply_person(person, data)
    if actor is not None:
        scope.require(actor, perms.ORG_MANAGE_PERSON, person.unit)  # also for a move to another unit
    _clean_person(person, actor)
    with steps.audit_action("org.person.update"):
        person.save()
    changes = [contacts.request_change(person, f, value, actor=actor) for f, value in sensitive.items()]
    person.pending_changes = [c for c in changes if c is not None]
    return person


def parse_date(value) -> dt.date | None:
    """Dates as people type them: 2025-01-24, 24/01/2025, 24-01-2025, or a spreadsheet date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


GENDER_WORDS = {"nam": Gender.MALE, "male": Gender.MALE, "m": Gender.MALE, "nữ": Gender.FEMALE, "nu": Gender.FEMALE,
                "female": Gender.FEMALE, "f": Gender.FEMALE}
ID_TYPE_WORDS = {"cccd": IdType.CCCD, "căn cước": IdType.CCCD, "can cuoc": IdType.CCCD, "cmnd": IdType.CMND,
                 "cmtnd": IdType.CMND, "hộ chiếu": IdType.PASSPORT, "ho chieu": IdType.PASSPORT, "passport": IdType.PASSPORT}
