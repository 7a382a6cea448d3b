"""The SMS one-time code: SCAL2's second factor, the proof that the holder has his phone.

A password and a PIN are both things the holder knows; neither proves the phone. So every use of a remote key needs
a code sent to the holder's mobile: for a CSC authorisation the code is bound to the credential (`issue(cred)`), for
a request confirmed on the phone it is bound to that request and the SMS repeats what is to be signed
(`issue(cred, request=req)`), so a code cannot confirm anything else. Three wrong answers use a code up."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyso import audit
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput, InvalidState
from kyso.notify.models import Channel as NotifyChannel
from kyso.notify.services import notify

from .models import Credential, OtpChallenge, SignatureRequest

OTP_TTL = dt.timedelta(minutes=5)
TOPIC = "mobile.otp"


def _digest(cred: Credential, code: str) -> str:
    return hashlib.sha256(f"{cred.pk}:{code}".encode()).hexdigest()


def holder_phone(cred: Credential) -> str:
    """Where the code goes: the SIM's own number, else the mobile phone of the holder's staff record."""
    return cred.msisdn or getattr(getattr(cred.holder, "person", None), "phone_mobile", "") or ""


def issue(cred: Credential, *, request: SignatureRequest | None = None) -> None:
    """Send a fresh 6-digit code by SMS; an earlier unused code for the same purpose stops working."""
    phone = holder_phone(cred)
    if not phone:
        raise InvalidState("mobile.otp.no_phone", _("The holder has no mobile phone number for the one-time code."))
    code = f"{secrets.randbelow(10**6):06d}"
    expires = timezone.now() + OTP_TTL
    if request is None:
        text = _("Kyso: your one-time signing code is %(code)s (valid 5 minutes).") % {"code": code}
    else:
        expires = min(expires, request.expires_at)
        text = _("Kyso: code %(code)s to sign on your phone: %(text)s") % {"code": code,
                                                                          "text": request.display_text[:100]}
    with transaction.atomic(), audit.action("mobile.otp.send"):
        OtpChallenge.objects.filter(credential=cred, request=request, used=False).update(used=True)
        OtpChallenge.objects.create(credential=cred, request=request, code_hash=_digest(cred, code),
                                    expires_at=expires)
        notify(NotifyChannel.SMS, phone, text, topic=TOPIC)


def check(cred: Credential, code: str, attempt: steps.Attempt, *, step: str,
          request: SignatureRequest | None = None) -> None:
    """The code of this purpose (the credential's authorisation, or this request), used once; a wrong answer is
    counted even though the step fails and rolls back."""
    if not str(code or "").strip():
        raise InvalidInput("mobile.otp.required", _("Enter the one-time code sent to your phone by SMS."))
    ch = (OtpChallenge.objects.filter(credential=cred, request=request, used=False, expires_at__gt=timezone.now())
          .order_by("-pk").first())
    if ch is None:
        raise Forbidden("mobile.otp.missing", _("Ask for a one-time code first (it may have expired)."))
    if not hmac.compare_digest(ch.code_hash, _digest(cred, str(code or "").strip())):
        attempt.after_failure(lambda: _count_wrong(ch.pk))
        raise Forbidden("mobile.otp.wrong", _("The one-time code is wrong."))
    # used once, even by two answers racing with the same code (a conditional update, not a save)
    if not OtpChallenge.objects.filter(pk=ch.pk, used=False).update(used=True, attempts=ch.attempts + 1):
        raise Forbidden("mobile.otp.missing", _("Ask for a one-time code first (it may have expired)."))
    ch.credential = cred
    audit.record(step, ch, before={"used": False, "attempts": ch.attempts},
                 after={"used": True, "attempts": ch.attempts + 1})


def _count_wrong(pk: int) -> None:
    ch = OtpChallenge.objects.select_for_update().get(pk=pk)
    ch.attempts += 1
    ch.used = ch.attempts >= 3
    ch.save(update_fields=["attempts", "used"])
