"""Validation of personal identifiers and contact data, as Form 01 needs them.

CCCD (citizen identity card, 12 digits, Circular 07/2016/TT-BCA and 59/2021/TT-BCA):
3 digits of the birth province, 1 digit of century and gender, 2 digits of the birth
year, 6 random digits. CMND: 9 digits. Passport: a Vietnamese passport is one letter and
7 digits; foreign passports 6 to 9 letters and digits.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext_lazy as _

# Province codes of the CCCD (Circular 07/2016/TT-BCA, appendix).
CCCD_PROVINCES = {
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
}
CCCD_IN_FORCE = dt.date(2016, 1, 1)  # Law on Citizen Identity 2014 took effect

ID_CCCD = "cccd"
ID_CMND = "cmnd"
ID_PASSPORT = "passport"

_PHONE_RE = re.compile(r"^(?:\+84|84|0)(\d{9,10})$")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")


def cccd_century_digit(birth_date: dt.date, gender: str) -> str:
    century_index = (birth_date.year // 100) - 19  # 1900s -> 0, 2000s -> 1 ...
    return str(century_index * 2 + (1 if gender == "female" else 0))


def make_cccd(province: str, birth_date: dt.date, gender: str, serial: int) -> str:
    """A well-formed CCCD for the given birth data (demo data and tests)."""
    return f"{province}{cccd_century_digit(birth_date, gender)}{birth_date.year % 100:02d}{serial % 1_000_000:06d}"


def id_errors(id_type: str, number: str, *, birth_date: dt.date | None = None, gender: str | None = None,
              issue_date: dt.date | None = None, issue_place: str | None = None, today: dt.date | None = None) -> dict:
    """Return {field: (code, message)} for every problem found; empty when valid."""
    errors: dict = {}
    number = (number or "").strip()
    today = today or dt.date.today()
    if id_type == ID_CCCD:
        if not re.fullmatch(r"\d{12}", number):
            errors["id_number"] = ("org.id.cccd_format", _("A citizen identity card number (CCCD) has exactly 12 digits."))
        else:
            if number[:3] not in CCCD_PROVINCES:
                errors["id_number"] = ("org.id.cccd_province", _("The first three digits of the CCCD are not a province code."))
            elif birth_date and gender:
                if number[3] != cccd_century_digit(birth_date, gender) or number[4:6] != f"{birth_date.year % 100:02d}":
                    errors["id_number"] = (
                        "org.id.cccd_mismatch",
                        _("The CCCD does not match the birth year and gender (digits 4 to 6)."),
                    )
        if issue_date and issue_date < CCCD_IN_FORCE:
            errors["id_issue_date"] = ("org.id.cccd_issue_date", _("CCCD cards have been issued since 01/01/2016."))
    elif id_type == ID_CMND:
        if not re.fullmatch(r"\d{9}", number):
            errors["id_number"] = ("org.id.cmnd_format", _("An identity card number (CMND) has exactly 9 digits."))
    elif id_type == ID_PASSPORT:
        if not (re.fullmatch(r"[A-Z]\d{7}", number) or re.fullmatch(r"[A-Z0-9]{6,9}", number)):
            errors["id_number"] = ("org.id.passport_format", _("A passport number has 6 to 9 capital letters and digits."))
    else:
        errors["id_type"] = ("org.id.type", _("The identity document must be CCCD, CMND or passport."))
    if issue_date:
        if issue_date > today:
            errors["id_issue_date"] = ("org.id.issue_future", _("The issue date is in the future."))
        elif birth_date and issue_date < birth_date:
            errors["id_issue_date"] = ("org.id.issue_before_birth", _("The issue date is before the date of birth."))
    else:
        errors["id_issue_date"] = ("org.id.issue_missing", _("The issue date of the identity document is required."))
    if not (issue_place or "").strip():
        errors["id_issue_place"] = ("org.id.place_missing", _("The place of issue of the identity document is required."))
    return errors


def normalize_phone(value: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", value or "")
    return digits


def phone_error(value: str):
    if not value:
        return None
    if not _PHONE_RE.fullmatch(normalize_phone(value)):
        return ("org.phone_format", _("A Vietnamese phone number has 10 or 11 digits, starting with 0 or +84."))
    return None


def government_email_error(value: str):
    """Form 01, note 2: certificates only for addresses of agencies of the political system."""
    value = (value or "").strip()
    if not _EMAIL_RE.fullmatch(value):
        return ("org.email_format", _("The e-mail address is not valid."))
    if not value.lower().endswith(".gov.vn"):
        return ("org.email_not_government", _("The e-mail address must be a government address (ending in .gov.vn)."))
    return None


def birth_date_error(value: dt.date | None, today: dt.date | None = None):
    today = today or dt.date.today()
    if value is None:
        return ("org.birth_date_missing", _("The date of birth is required."))
    if value > today or value.year < 1900:
        return ("org.birth_date_range", _("The date of birth is not plausible."))
    if (today - value).days < 15 * 365:
        return ("org.birth_date_too_young", _("A staff member must be at least 15 years old."))
    return None
