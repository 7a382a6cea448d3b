"""Vietnamese working days: weekends, public holidays (lunar Tết, Hùng Kings' day...),
substitute days off, make-up working Saturdays, and the administrator's override table.

Public holidays and the government's day swaps come from the pinned `holidays` package;
it lists substitute days off but not the Saturdays worked in exchange, which we read from
its table of swaps. Anything decided later goes into `DayOverride`, which wins.

Convention: `add_working_days(d, n)` is the n-th working day after d (a deadline "within
n working days from d"); `working_days_between(a, b)` counts working days in (a, b], so
`working_days_between(d, add_working_days(d, n)) == n`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyso.core import dates
from kyso.core.errors import InvalidInput

from .models import DayOverride

MAX_SPAN_DAYS = 366 * 20
MAX_WORKING_DAYS = 5000


@lru_cache(maxsize=64)
def _public_holidays(year: int, language: str = "vi") -> dict:
    return dict(holidays.country_holidays("VN", years=year, language=language))


@lru_cache(maxsize=1)
def _make_up_saturdays() -> dict:
    """Working Saturdays given in exchange for substitute days off, from `holidays`' swap table."""
    from holidays.countries.vietnam import VietnamStaticHolidays

    days = {}
    for year, entries in VietnamStaticHolidays.special_public_holidays.items():
        if entries and isinstance(entries[0], int):
            entries = (entries,)
        for entry in entries:
            if len(entry) < 4:
                continue
            off_month, off_day, work_month, work_day = entry[:4]
            work_year = entry[4] if len(entry) > 4 else year
            off = dt.date(year, off_month, off_day)
            days[dt.date(work_year, work_month, work_day)] = off
    return days


def _overrides(start: dt.date, end: dt.date) -> dict:
    return {o.date: o for o in DayOverride.objects.filter(date__gte=start, date__lte=end)}


class Calendar:
    """A view of the calendar over a date range, with the overrides loaded once."""

    def __init__(self, start: dt.date, end: dt.date):
        self.start, self.end = start, end
        self.overrides = _overrides(start, end)

    def is_working_day(self, day: dt.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override.kind == "working"
        if day in _make_up_saturdays():
            return True
        if day.weekday() >= 5:
            return False
        return day not in _public_holidays(day.year, "en_US")

    def reason(self, day: dt.date) -> str:
        """Why a day is (not) a working day, in the active language."""
        lang = "vi" if (get_language() or "vi").startswith("vi") else "en_US"
        override = self.overrides.get(day)
        if override is not None:
            return override.name
        if day in _make_up_saturdays():
            off = _make_up_saturdays()[day]
            return _("Make-up working day for %(date)s") % {"date": f"{off:%d/%m/%Y}"}
        name = _public_holidays(day.year, lang).get(day)
        if name:
            return name
        if day.weekday() >= 5:
            return _("Weekend")
        return ""


def as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:                                           # dd/mm/yyyy as people type it, ISO as machines send it
        return dates.parse(value, required=True)
    except InvalidInput as exc:
        raise InvalidInput("workdays.bad_date", exc.message, value=value) from None


def is_working_day(day) -> bool:
    day = as_date(day)
    return Calendar(day, day).is_working_day(day)


YEARS = (1900, 2199)      # the years a deadline can fall in; 9999-12-31 + a few days overflowed into a 500


def _in_range(day: dt.date) -> dt.date:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise InvalidInput("workdays.out_of_range", gettext_lazy("Working days are counted for dates from %(first)s to "
                                                                "%(last)s."), first=f"01/01/{YEARS[0]}",
                           last=f"31/12/{YEARS[1]}")
    return day


def add_working_days(start, n: int) -> dt.date:
    """The n-th working day after `start` (n >= 0; n == 0 gives `start` itself)."""
    start = _in_range(as_date(start))
    if n < 0:
        raise InvalidInput("workdays.negative", gettext_lazy("The number of working days cannot be negative."))
    if n > MAX_WORKING_DAYS:
        raise InvalidInput("workdays.too_many", gettext_lazy("At most %(max)s working days can be added."), max=MAX_WORKING_DAYS)
    if n == 0:
        return start
    span = n * 3 + 40
    cal = Calendar(start, start + dt.timedelta(days=span))
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day > cal.end:
            cal = Calendar(day, day + dt.timedelta(days=span))
        if cal.is_working_day(day):
            counted += 1
    return day


def working_days_between(start, end) -> int:
    """Working days in (start, end]; negative when end is before start."""
    start, end = _in_range(as_date(start)), _in_range(as_date(end))
    if end < start:
        return -working_days_between(end, start)
    if (end - start).days > MAX_SPAN_DAYS:
        raise InvalidInput("workdays.span", gettext_lazy("The period is too long (at most 20 years)."))
    cal = Calendar(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            count += 1
    return count


def next_working_day(day, include_today: bool = False) -> dt.date:
    day = as_date(day)
    if include_today and is_working_day(day):
        return day
    return add_working_days(day, 1)


def days_off(year: int) -> list[tuple[dt.date, str]]:
    """Every weekday off and every working weekend day of a year, with the reason."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cal = Calendar(start, end)
    out = []
    day = start
    while day <= end:
        working = cal.is_working_day(day)
        if (day.weekday() < 5 and not working) or (day.weekday() >= 5 and working) or day in cal.overrides:
            out.append((day, working, cal.reason(day)))
        day += dt.timedelta(days=1)
    return out


def today() -> dt.date:
    return timezone.localdate()
