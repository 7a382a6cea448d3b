"""Dates typed by people: dd/mm/yyyy, never month-first; an impossible date is a clear error, not a guess.

One parser for forms, pages that read raw fields and imports (`parse`), one form field (`DateField`) and one
widget (`DateInput`: a text box with a calendar that writes dd/mm/yyyy, `core/static/kyso/datepicker.js`)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput

_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
FORMAT = "%d/%m/%Y"


def parse(value, *, field: str = "date", required: bool = False) -> dt.date | None:
    """`05/03/2025` → 5 March 2025; ISO `2025-03-05` (what a browser or a machine sends) too; anything else,
    or a day that does not exist (31/02/2025), raises InvalidInput naming the field."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            raise InvalidInput("date.required", _("The date is required."),
                               fields={field: ("date.required", _("The date is required."))})
        return None
    m = _DMY.match(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
    elif (m := _ISO.match(text)):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise InvalidInput("date.format", _("%(value)s is not a date: write it as dd/mm/yyyy."), value=text,
                           fields={field: ("date.format", _("Write the date as dd/mm/yyyy."))})
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidInput("date.impossible", _("%(value)s is not a real date."), value=text,
                           fields={field: ("date.impossible", _("This day does not exist."))}) from None


_TIME = re.compile(r"^(?P<day>.+?)\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*$")


def parse_moment(value, *, field: str = "moment") -> dt.datetime | None:
    """`05/03/2025 14:30` (or just the day, from 00:00) in Vietnam's local time → an aware moment; ISO 8601 as a
    machine writes it too. What an operator types when he says when something happened (a key was compromised)."""
    text = str(value or "").strip()
    if not text:
        return None
    if re.match(r"\d{4}-", text):                 # ISO 8601, as a machine writes it
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput("date.format", _("%(value)s is not a date: write it as dd/mm/yyyy."), value=text,
                               fields={field: ("date.format", _("Write the date as dd/mm/yyyy."))}) from None
        return moment if moment.tzinfo else timezone.make_aware(moment)
    m = _TIME.match(text)
    day = parse(m.group("day") if m else text, field=field)
    hour, minute = (int(m.group("hour")), int(m.group("minute"))) if m else (0, 0)
    if hour > 23 or minute > 59:
        raise InvalidInput("date.time", _("%(value)s is not a time of day: write it as dd/mm/yyyy hh:mm."),
                           value=text, fields={field: ("date.time", _("Write the time as hh:mm."))})
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def format_date(value: dt.date | None) -> str:
    return value.strftime(FORMAT) if value else ""


class DateInput(forms.TextInput):
    """A text box for dd/mm/yyyy with a calendar (progressive enhancement: typing always works)."""

    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                "pattern": r"\d{1,2}/\d{1,2}/\d{4}", "data-datepicker": "1", "size": "10", "maxlength": "10"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return format_date(value)
        return value


class DateField(forms.DateField):
    """A form field that reads dd/mm/yyyy only (and ISO), with Vietnamese errors."""

    widget = DateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse(value)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
