"""Kyso in English still reads and writes Vietnamese dates (dd/mm/yyyy): the records are Vietnamese."""

from kyso.formats.vi.formats import (DATE_FORMAT, DATE_INPUT_FORMATS, DATETIME_FORMAT,  # noqa: F401
                                     DATETIME_INPUT_FORMATS, FIRST_DAY_OF_WEEK, MONTH_DAY_FORMAT, SHORT_DATE_FORMAT,
                                     SHORT_DATETIME_FORMAT, TIME_FORMAT, YEAR_MONTH_FORMAT)
