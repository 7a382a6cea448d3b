"""Changes of the e-mail or mobile phone that receive a person's one-time codes (issue 16, finding 1).

Whoever controls those channels controls the person's remote-signing second factor, so a change is never
applied at once: it waits as a `ContactChange` until the person confirms it with a code sent to the OLD
channel, or a second officer — never the one who asked — approves it. Every step is audited; the old and
the new channel are both told.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.workflow import Transition, Workflow
from kyso.core.errors import Conflict, Forbidden, InvalidInput, InvalidState
from kyso.notify.models import Channel
from kyso.notify.services import notify

from . import permissions as perms
from . import validators as v
from .models import ContactChange, ContactChangeState, Person

SENSITIVE = ("email", "phone_mobile")
CODE_TTL = dt.timedelta(days=2)
MAX_ATTEMPTS = 5

REQUEST = steps.step("org.contact.request", perm=perms.ORG_MANAGE_PERSON)
REQUEST_OWN = steps.step("org.contact.request_own")
P, A, C = ContactChangeState.PENDING, ContactChangeState.APPLIED, ContactChangeState.CANCELLED

FLOW = Workflow(
    "org.contact", "org.ContactChange", label=_("contact change"),
    url=lambda c: f"/org/contact-changes/{c.pk}/",
    state_labels=lambda: dict(ContactChangeState.choices),
    due=lambda c: timezone.localtime(c.expires_at).date(),
    transitions=[
        Transition("confirm", source=[P], target=A, label=_("Confirm with the code")),
        Transition("approve", source=[P], target=A, perm=perms.ORG_MANAGE_PERSON, at="person__unit__path",
                   separate_from=("request", "request_own"), label=_("Approve as second officer"),
                   queue=_("Contact changes to approve")),
        Transition("cancel", source=[P], target=C, label=_("Cancel")),
    ])

FIELD_LABELS = {"email": _("government e-mail"), "phone_mobile": _("mobile phone")}


def _hash(change_pk: int, code: str) -> str:
    return hashlib.sha256(f"{change_pk}:{code}".encode()).hexdigest()


def check_value(person: Person, field: str, value: str) -> str:
    """The new value, normalised, or InvalidInput/Conflict."""
    value = (value or "").strip()
    if field == "email":
        value = value.lower()
        if (e := v.government_email_error(value)):
            raise InvalidInput("org.contact.invalid", _("The new value is not valid."), fields={field: e})
        if Person.objects.filter(email__iexact=value).exclude(pk=person.pk).exists():
            raise Conflict("org.person.email_taken", _("E-mail %(email)s is already in use."), email=value)
    elif field == "phone_mobile":
        if not value:
            raise InvalidInput("org.contact.empty", _("The new mobile phone number is missing."))
        if (e := v.phone_error(value)):
            raise InvalidInput("org.contact.invalid", _("The new value is not valid."), fields={field: e})
    else:
        raise InvalidInput("org.contact.field", _("Only the e-mail and the mobile phone need confirmation."))
    return value


def pending_changes(person: Person):
    return person.contact_changes.filter(state=ContactChangeState.PENDING, expires_at__gt=timezone.now())


def request_change(person: Person, field: str, new_value: str, *, actor) -> ContactChange | None:
    """Ask for `person.<field>` to become `new_value`; None when nothing changes.

    An officer asks within his scope; a person may ask for his own. The code goes to the old channel."""
    own = actor is not None and getattr(actor, "person_id", None) == person.pk
    spec = REQUEST_OWN if own else REQUEST

    def body(attempt):
        value = check_value(person, field, new_value)
        if value == (getattr(person, field) or ""):
            return None
        for old in pending_changes(person).filter(field=field):
            old.state, old.decided_at, old.method = ContactChangeState.CANCELLED, timezone.now(), "superseded"
            old.save()
        change = ContactChange.objects.create(person=person, field=field, old_value=getattr(person, field) or "",
                                              new_value=value, requested_by=actor,
                                              expires_at=timezone.now() + CODE_TTL)
        _send_code(change)
        return change

    return steps.run(spec, body, actor=actor, obj=person, unit=person.unit)


def _send_code(change: ContactChange) -> None:
    label = FIELD_LABELS[change.field]
    if change.old_value:
        code = f"{secrets.randbelow(10**6):06d}"
        change.code_hash = _hash(change.pk, code)
        change.save(update_fields=["code_hash"])
        body = _("Kyso: a change of your %(what)s to %(new)s was requested. If you agree, enter the code %(code)s "
                 "in Kyso within 2 days; if not, do nothing and tell the IT Center.") % {
            "what": label, "new": change.new_value, "code": code}
        channel = Channel.SMS if change.field == "phone_mobile" else Channel.EMAIL
        notify(channel, change.old_value, str(body), subject=str(_("Confirm the change of your contact")),
               topic="org.contact.code", obj=change)
    # The new channel learns that it is being registered, and for whom (no code: it proves nothing).
    channel = Channel.SMS if change.field == "phone_mobile" else Channel.EMAIL
    notify(channel, change.new_value, str(_("Kyso: this %(what)s is being registered for %(name)s; it is used only "
                                            "after confirmation.") % {"what": label, "name": change.person.full_name}),
           subject=str(_("Contact change requested")), topic="org.contact.new", obj=change)


def _open(change: ContactChange) -> ContactChange:
    """The change, fresh from the database, still waiting (an expired one is closed as such)."""
    change = ContactChange.objects.select_related("person__unit").get(pk=change.pk)
    if change.state != ContactChangeState.PENDING:
        raise InvalidState("org.contact.closed", _("This change is no longer waiting."))
    if change.expires_at <= timezone.now():
        with transaction.atomic(), steps.audit_action("org.contact.expire"):
            change.state, change.decided_at = ContactChangeState.EXPIRED, timezone.now()
            change.save()
        exc = InvalidState("org.contact.expired", _("This change has expired: ask for it again."))
        exc.rolled_back = True  # the expiry itself is kept
        raise exc
    return change


def _apply(change: ContactChange, actor, method: str) -> ContactChange:
    person = Person.objects.select_for_update().get(pk=change.person_id)
    check_value(person, change.field, change.new_value)
    setattr(person, change.field, change.new_value)
    person.save()
    change.decided_by, change.decided_at, change.method = actor, timezone.now(), method
    label = FIELD_LABELS[change.field]
    for target in filter(None, {change.old_value, change.new_value}):
        channel = Channel.SMS if change.field == "phone_mobile" else Channel.EMAIL
        notify(channel, target, str(_("Kyso: the %(what)s of %(name)s is now %(new)s.") % {
            "what": label, "name": person.full_name, "new": change.new_value}),
            subject=str(_("Contact changed")), topic="org.contact.applied", obj=change)
    return change


def confirm_with_code(change: ContactChange, code: str, *, actor) -> ContactChange:
    """The person himself, logged in, enters the code that reached his old channel."""
    if actor is None or getattr(actor, "person_id", None) != change.person_id:
        raise Forbidden("org.contact.not_yours", _("Only the person concerned confirms with the code."))
    current = _open(change)

    def body(attempt):
        if not current.code_hash:
            raise InvalidState("org.contact.no_code", _("There was no old channel: a second officer must approve."))
        if not hmac.compare_digest(current.code_hash, _hash(current.pk, str(code or "").strip())):
            attempt.after_failure(lambda: _count_wrong_code(current.pk))
            raise Forbidden("org.contact.wrong_code", _("The code is wrong."))
        return _apply(current, actor, "code")

    return FLOW.perform("confirm", current, actor=actor, body=body)


def _count_wrong_code(pk: int) -> None:
    change = ContactChange.objects.select_for_update().get(pk=pk)
    change.attempts += 1
    if change.attempts >= MAX_ATTEMPTS:
        change.state, change.decided_at, change.method = ContactChangeState.CANCELLED, timezone.now(), "attempts"
    change.save()


def approve(change: ContactChange, *, actor) -> ContactChange:
    """A second officer with the right over the person's unit approves; never the one who asked — not even
    under a four-eyes exception: the person can always confirm on his old channel instead."""
    current = _open(change)
    if actor is not None and current.requested_by_id == actor.pk:
        raise Forbidden("steps.four_eyes", _("You asked for this change: another officer must approve it."))
    if actor is not None and getattr(actor, "person_id", None) == current.person_id:
        # the person concerned is no second officer of his own change: he confirms it with the code on his old
        # channel (what he has), not with his log-in alone
        raise Forbidden("org.contact.own", _("A change of your own contact is confirmed with the code sent to your "
                                             "old channel, not approved by you as an officer."))
    return FLOW.perform("approve", current, actor=actor, body=lambda attempt: _apply(current, actor, "officer"))


def cancel(change: ContactChange, *, actor) -> ContactChange:
    """The person, the officer who asked, or any officer over the person's unit withdraws the change."""
    current = _open(change)

    def body(attempt):
        if actor is not None and actor.pk != current.requested_by_id and actor.person_id != current.person_id:
            steps.authorize(actor, perms.ORG_MANAGE_PERSON, current.person.unit)
        current.decided_by, current.decided_at, current.method = actor, timezone.now(), "cancelled"
        return current

    return FLOW.perform("cancel", current, actor=actor, body=body)
