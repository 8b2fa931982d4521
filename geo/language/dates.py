"""How a record's date reads in Russian and Korean: Babel's CLDR patterns for the language, with
the precision the source allows said in words ("2018 (только год)", "2018년 10월 (월까지만)").

English keeps geo.evidence.dates' own wording, which the built layers carry ("5 Oct 2018",
"Oct 2018 (month only)"); the shapes below follow it case by case.
"""
from __future__ import annotations

import calendar
import datetime as dt

from babel.dates import format_interval, format_skeleton

from geo.language import _, locale


def _day(d: dt.date) -> str:
    return format_skeleton("yMMMd", d, locale=locale())


def _month(d: dt.date) -> str:
    return format_skeleton("yMMM", d, locale=locale())


def _year(d: dt.date) -> str:
    return format_skeleton("y", d, locale=locale())


def bound_label(end: dt.date, precision: str) -> str:
    if precision == "day":
        return _day(end)
    if precision == "month":
        return _month(end)
    return _year(end)


def period_label(start: dt.date, end: dt.date | None, precision: str) -> str:
    first = bound_label(start, precision)
    if end is None:
        return _("since {date}").format(date=first)
    last = bound_label(end, precision)
    return first if last == first else f"{first} – {last}"


def date_label(start: dt.date | None, end: dt.date, precision: str, qualifier: str | None = None) -> str:
    if qualifier == "on_or_before" or start is None:
        return _("{date} or earlier").format(date=bound_label(end, precision))
    if precision == "day" and start == end:
        return _day(start)
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if whole_months and (start.month, end.month) == (1, 12):
        if start.year == end.year:
            return _("{date} (year only)").format(date=_year(start))
        span = format_interval(start, end, "y", locale=locale())
    elif whole_months:
        if (start.year, start.month) == (end.year, end.month):
            return _("{date} (month only)").format(date=_month(start))
        span = format_interval(start, end, "yMMM", locale=locale())
    else:
        span = format_interval(start, end, "yMMMd", locale=locale())
    return (_("{dates} (season)") if precision == "season" else _("{dates} (range)")).format(dates=span)
