"""The identifiers of a SIM PKI line: the SIM serial (ICCID, ITU-T E.118, Luhn check digit), the carrier, the
phone number."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput
from kyso.core.tables import fold
from kyso.mobile.services import normalize_msisdn as mobile_msisdn

from .models import Carrier


def _luhn_sum(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total


def luhn_complete(prefix: str) -> str:
    """`prefix` with its Luhn check digit appended (how an ICCID's last digit is made)."""
    return prefix + str((10 - _luhn_sum(prefix + "0") % 10) % 10)


def normalize_iccid(value) -> str:
    """The SIM serial printed on the card (ITU-T E.118): 19–20 digits starting 89 (telecom), Luhn check digit."""
    raw = re.sub(r"[\s.\-]", "", str(value or ""))
    if not re.fullmatch(r"89\d{17,18}", raw):
        raise InvalidInput("sims.iccid.invalid", _("The SIM serial (ICCID) must be 19 or 20 digits starting with 89."))
    if _luhn_sum(raw) % 10:
        raise InvalidInput("sims.iccid.checksum", _("The SIM serial (ICCID) %(value)s has a wrong check digit."),
                           value=raw)
    return raw


def normalize_carrier(value) -> str:
    key = fold(value).replace(" ", "")
    for choice in Carrier:
        if key and (key == choice.value or key == fold(choice.label).replace(" ", "") or
                    (choice == Carrier.VINAPHONE and key in ("vnpt", "vinaphonevnpt", "vina"))
                    or (choice == Carrier.MOBIFONE and key == "mobi")):
            return choice.value
    raise InvalidInput("sims.carrier.unknown", _("The carrier must be Viettel, VinaPhone or MobiFone."))


def normalize_msisdn(value) -> str:
    """+84… as the mobile service keeps numbers."""
    return mobile_msisdn(value)
