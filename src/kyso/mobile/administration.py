"""The IT Center's administration of remote-signing credentials: enrolment for a holder in its scope (the
initial PIN to the holder alone), enabling and disabling, unlocking a PIN locked after too many wrong tries."""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import InvalidInput
from kyso.notify.models import Channel as NotifyChannel
from kyso.notify.services import notify
from kyso.org.models import Unit
from kyso.pki import pins

from .models import Credential
from .permissions import MOBILE_MANAGE
from .services import enrol_credential, normalize_msisdn


def holder_unit(holder) -> Unit | None:
    """The unit whose scope covers `holder`: his staff record's unit. A holder without one (an account unlinked from
    its staff record) belongs to no unit — only the agency-wide roles (held at the root) act for him; "no unit" never
    means "anywhere" (issue 16)."""
    person = getattr(holder, "person", None)
    if person is not None:
        return person.unit
    return Unit.objects.filter(parent__isnull=True).order_by("path").first()


def enrol_for(officer, holder, *, channel: str, msisdn: str = "", key_spec: str = "rsa2048") -> Credential:
    """An IT officer enrols a credential for a holder in his scope; the initial PIN goes to the holder
    alone, by SMS, and he is told to change it (`change_pin`)."""
    person = getattr(holder, "person", None)
    scope.require(officer, MOBILE_MANAGE, holder_unit(holder))
    phone = msisdn or (person.phone_mobile if person else "")
    if not phone:
        raise InvalidInput("mobile.holder.no_phone", _("The holder has no mobile phone number for the initial PIN."))
    pin = f"{secrets.randbelow(10**6):06d}"
    cred = enrol_credential(holder, channel=channel, pin=pin, msisdn=msisdn, key_spec=key_spec)
    notify(NotifyChannel.SMS, normalize_msisdn(phone), _("Kyso: your signing PIN is %(pin)s. Change it on first use.")
           % {"pin": pin}, topic="mobile.initial_pin", obj=cred)
    return cred


ENABLE = steps.step("mobile.credential.enable", perm=MOBILE_MANAGE, label=gettext_lazy("Enable a signing credential"))
DISABLE = steps.step("mobile.credential.disable", perm=MOBILE_MANAGE, label=gettext_lazy("Disable a signing credential"))


def set_enabled(officer, cred: Credential, enabled: bool) -> Credential:
    def body(attempt):
        cred.enabled = enabled
        cred.save(update_fields=["enabled"])
        return cred

    return steps.run(ENABLE if enabled else DISABLE, body, actor=officer, obj=cred, unit=holder_unit(cred.holder))


def unlock_pin(officer, cred: Credential) -> Credential:
    """The IT Center unlocks a credential locked after too many wrong PINs (audited)."""
    scope.require(officer, MOBILE_MANAGE, holder_unit(cred.holder))
    pins.reset(cred.token_label, actor=officer, unit=holder_unit(cred.holder))
    return cred
