"""Personal data of the staff records (issue 16: personal data only to roles that need it, every read audited).

A staff record carries, beyond a person's name, title, unit, government e-mail and office phone, his identity
document (number, issue date and place), date and place of birth, permanent residence and personal phones — the
mobile phone being where his one-time codes arrive (`PERSONAL_FIELDS`). They are shown in full only to the person
himself and to whom keeps the records of his unit (`ORG_PERSONAL_DATA`: the unit officer, the IT Center); a leader,
a clerk or the auditor, who may see the staff of their units, sees each such value masked but for its last 3
characters. Every record shown in full — the staff page, its edit form, the API's list or detail — writes one audit
record "org.personal_data.read" on the person, saying through what (never one per field). A search by identity
number finds only the people whose number the searcher may see (else the search is an oracle of the number).
"""

from __future__ import annotations

from django.db.models import Q

from kyso.core import audited, authz

from .models import Person
from .permissions import ORG_PERSONAL_DATA

READ = "org.personal_data.read"
PERSONAL_FIELDS = ("birth_date", "birth_place", "id_number", "id_issue_date", "id_issue_place", "residence",
                   "phone_mobile", "phone_home")
SHOWN = 3   # the last characters a masked value still shows (as the audit trail and the SIM registry)


def entitled(user, person: Person) -> bool:
    """Whether `user` may see `person`'s personal data (his own, or the records he keeps)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return getattr(user, "person_id", None) == person.pk or authz.can(user, ORG_PERSONAL_DATA, person.unit)


def reveal(user, people, via: str) -> set[int]:
    """The people (pks) whose personal data `user` is shown in full, each read written once to the audit trail."""
    shown: set[int] = set()
    for person in people:
        if person.pk not in shown and entitled(user, person):
            audited.record(READ, person, after={"via": via})
            shown.add(person.pk)
    return shown


def mask_value(value):
    if value in (None, ""):
        return value
    text = _text(value)
    return "•" * len(text) if len(text) <= SHOWN else "•" * (len(text) - SHOWN) + text[-SHOWN:]


def _text(value) -> str:
    if value in (None, ""):
        return ""
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)


def fields_for_page(person: Person, full: bool) -> dict:
    """The personal fields of a staff page as text: in full, or masked."""
    return {f: _text(getattr(person, f)) if full else mask_value(getattr(person, f)) for f in PERSONAL_FIELDS}


def masked(data: dict) -> dict:
    """A person's fields (as the API or a page gives them) with the personal ones masked."""
    return {k: mask_value(v) if k in PERSONAL_FIELDS else v for k, v in data.items()}


def search_q(user, text: str) -> Q:
    """People matching a typed search: name, e-mail, title — and the identity number only where it may be seen."""
    q = Q(full_name__icontains=text) | Q(email__icontains=text) | Q(title__icontains=text)
    by_id = Q(id_number=text.replace(" ", "").upper())
    own = Q(pk=user.person_id) if getattr(user, "person_id", None) else Q(pk__in=[])
    return q | (by_id & (authz.scope_q(user, ORG_PERSONAL_DATA, "unit__path") | own))
