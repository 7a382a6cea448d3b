"""The IT Center's administration of remote-signing credentials: enrolment for a holder in its scope (the
initial PIN to the holder alone), enabling and disabling, unlocking a PIN locked after too many wrong tries."""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyso import audit
from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput
from kyso.notify.models import Channel as NotifyChannel
from kyso.notify.services import notify
from kyso.org.models import Unit
from kyso.pki import pins

from .models import Credential
from .permissions import MOBILE_MANAGE
from .services import enrol_credential, normalize_msisdn


def holder_unit(holder) -> Unit | None:
    """The unit whose scope covers `holder` (`scope.home_unit`: his staff record's, else the agency root)."""
    return scope.home_unit(holder)


PHONE_READ = "mobile.personal_data.read"


def masked(msisdn: str) -> str:
    """A phone number as those who need not know it see it: only its last three digits."""
    return "•" * max(len(msisdn) - 3, 0) + msisdn[-3:] if msisdn else ""


def phones_shown(user, credentials, via: str) -> set:
    """The credentials whose phone number (the one that receives the holder's one-time codes and PKI SIM
    prompts: personal data) `user` sees in full: his own, and those he administers (MOBILE_MANAGE over the
    holder's unit), each such read in the audit trail. Anyone else who may list them (the auditor) sees
    `masked` numbers (issue 16: personal data only to roles that need it, every read audited). `user=None` is
    the server's operator at the command line: he administers them all, and his reads are audited too."""
    shown = set()
    for cred in credentials:
        if user is not None and cred.holder_id == user.pk:
            shown.add(cred.pk)
        elif cred.msisdn and (user is None or scope.can(user, MOBILE_MANAGE, holder_unit(cred.holder))):
            audit.record(PHONE_READ, cred, after={"via": via})
            shown.add(cred.pk)
    return shown


ENROL = steps.step("mobile.credential.enrol", perm=MOBILE_MANAGE, label=gettext_lazy("Enrol a signing credential"))


def enrol_for(officer, holder, *, channel: str, msisdn: str = "", key_spec: str = "rsa2048") -> Credential:
    """An IT officer enrols a credential for a holder in his scope (a step of the runner: permission at the
    holder's unit, one transaction, audited); the initial PIN goes to the holder alone, by SMS, and he is told
    to change it (`change_pin`)."""
    person = getattr(holder, "person", None)

    def body(attempt):
        _not_his_own(officer, holder, _("You may not enrol a signing credential for yourself: another IT Center "
                                        "officer does."))
        # The PIN goes to the holder's confirmed mobile phone (his staff record's), never to the number the
        # officer types for a PKI SIM: whoever holds that SIM must still learn its PIN from the holder.
        phone = person.phone_mobile if person else ""
        if not phone:
            raise InvalidInput("mobile.holder.no_phone",
                               _("The holder has no mobile phone number for the initial PIN."))
        pin = f"{secrets.randbelow(10**6):06d}"
        cred = enrol_credential(holder, channel=channel, pin=pin, msisdn=msisdn, key_spec=key_spec)
        notify(NotifyChannel.SMS, normalize_msisdn(phone),
               _("Kyso: your signing PIN is %(pin)s. Change it on first use.") % {"pin": pin},
               topic="mobile.initial_pin", obj=cred)
        return cred

    return steps.run(ENROL, body, actor=officer, unit=holder_unit(holder))


ENABLE = steps.step("mobile.credential.enable", perm=MOBILE_MANAGE, label=gettext_lazy("Enable a signing credential"))
DISABLE = steps.step("mobile.credential.disable", perm=MOBILE_MANAGE, label=gettext_lazy("Disable a signing credential"))


def _not_his_own(officer, holder, message) -> None:
    """Four eyes on the IT Center's own keys (issue 16): an officer gives himself no credential and lifts no
    disabling of his own — he would be requester and approver at once (disabling his own is always allowed)."""
    if officer is not None and holder is not None and getattr(officer, "pk", None) == holder.pk:
        raise Forbidden("mobile.credential.own", message)


def set_enabled(officer, cred: Credential, enabled: bool) -> Credential:
    def body(attempt):
        if enabled:
            _not_his_own(officer, cred.holder, _("You may not enable your own signing credential again: another IT "
                                                 "Center officer does."))
        cred.enabled = enabled
        cred.save(update_fields=["enabled"])
        return cred

    return steps.run(ENABLE if enabled else DISABLE, body, actor=officer, obj=cred, unit=holder_unit(cred.holder))


def unlock_pin(officer, cred: Credential) -> Credential:
    """The IT Center unlocks a credential locked after too many wrong PINs (audited)."""
    scope.require(officer, MOBILE_MANAGE, holder_unit(cred.holder))
    pins.reset(cred.token_label, actor=officer, unit=holder_unit(cred.holder), holder=cred.holder)
    return cred
