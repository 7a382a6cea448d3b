"""The PIN of a holder's token, asked in one place: wrong PINs are counted per token and lock it.

Every path that unlocks a person's key with his PIN — `POST /api/v1/sign` with a USB device, the CSC
API's authorisation, a confirmation on the phone, a PIN change — calls `unlock()` inside a step of the
step runner. A wrong PIN is counted after the step's rollback (it survives the refusal); after
`max_failures()` the token is locked until the IT Center unlocks it (`reset`), audited.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput, NotFound

from . import keystore
from .models import TokenPin
from .permissions import PKI_UNLOCK_PIN

UNLOCK = steps.step("pki.token.pin_unlock", perm=PKI_UNLOCK_PIN)


def max_failures() -> int:
    return int(getattr(settings, "KYSO_PIN_MAX_FAILURES", 5))


def state(token_label: str) -> TokenPin | None:
    return TokenPin.objects.filter(token_label=token_label).first()


def is_locked(token_label: str) -> bool:
    return TokenPin.objects.filter(token_label=token_label, locked_at__isnull=False).exists()


def check_not_locked(token_label: str) -> None:
    if is_locked(token_label):
        raise Forbidden("pki.pin.locked", _("The key is locked after too many wrong PINs: ask the IT Center to "
                                            "unlock it."))


def _count_failure(token_label: str) -> None:
    row, _created = TokenPin.objects.select_for_update().get_or_create(token_label=token_label)
    row.failures += 1
    if row.failures >= max_failures() and row.locked_at is None:
        row.locked_at = timezone.now()
    row.save()


def _clear_failures(token_label: str) -> None:
    row = TokenPin.objects.filter(token_label=token_label, failures__gt=0).first()
    if row is not None and row.locked_at is None:
        row.failures = 0
        row.save()


def wrong_pin(token_label: str, attempt: steps.Attempt, code: str = "pki.pin.wrong") -> Forbidden:
    """Count a wrong PIN once the step has rolled back; the error to raise (`code`), with the tries left."""
    attempt.after_failure(lambda: _count_failure(token_label))
    row = state(token_label)
    left = max(0, max_failures() - (row.failures if row else 0) - 1)
    if left == 0:
        return Forbidden("pki.pin.locked", _("Wrong PIN: the key is now locked; ask the IT Center to unlock it."))
    return Forbidden(code, _("The PIN is wrong (%(left)s tries left)."), left=left)


def unlock(token_label: str, pin: str, attempt: steps.Attempt, *, wrong_code: str = "pki.pin.wrong"
           ) -> keystore.Pkcs11KeyStore:
    """The holder's token, logged in with `pin`, or Forbidden (wrong PIN counted under `wrong_code`, locked
    token refused)."""
    check_not_locked(token_label)
    keystore.ensure_softhsm_env()
    store = keystore.Pkcs11KeyStore(settings.KYSO_PKCS11_MODULE, token_label, str(pin or ""))
    try:
        with keystore._P11_LOCK:
            store.session()
    except InvalidInput as exc:
        if exc.code == "keystore.pin":
            raise wrong_pin(token_label, attempt, wrong_code) from None
        raise
    except NotFound:
        raise Forbidden("pki.token.unavailable", _("The key's token is not available.")) from None
    _clear_failures(token_label)
    return store


def reset(token_label: str, *, actor, unit=None, holder=None) -> TokenPin:
    """The IT Center unlocks a token (after checking the holder's identity): the counter starts again.

    Never the holder himself (`holder`: the account whose key it is), though he holds the right: unlocking his
    own key after every few wrong PINs would make the count no limit at all — whoever signed in as him could
    guess the PIN on and on. Another officer unlocks it (issue 16: nobody acts beyond their right)."""
    def body(attempt):
        if actor is not None and holder is not None and getattr(actor, "pk", None) == holder.pk:
            raise Forbidden("pki.pin.own_key", _("You may not unlock your own key: another IT Center officer does, "
                                                 "after checking your identity."))
        row, _created = TokenPin.objects.select_for_update().get_or_create(token_label=token_label)
        row.failures, row.locked_at, row.unlocked_by, row.unlocked_at = 0, None, actor, timezone.now()
        row.save()
        return row

    return steps.run(UNLOCK, body, actor=actor, obj=None, unit=unit)
