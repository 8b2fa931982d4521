"""How a record's date reads in Russian and Korean: Babel's CLDR patterns for the language, with
the precision the source allows said in words ("2018 (только год)", "2018년 10월 (월까지만)").

English keeps geo.evidence.dates' own wording, which the built layers carry ("5 Oct 2018",
"Oct 2018 (month only)"); the shapes below follow it case by case.

Babel formats a date in about half a millisecond: a dataset of 100,000 records would take a minute.
So each shape is formatted once per language and month(s) with placeholder numbers (a template),
and a record's date fills the template in; a test checks the templates give Babel's own text.
"""
from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from babel.dates import format_interval, format_skeleton

from geo.language import _, locale

# Placeholder years and days: numbers no real label can contain next to each other.
_Y1, _Y2, _D1, _D2 = 1111, 2222, 13, 27


@lru_cache(maxsize=4096)
def _template(lang_locale: str, kind: str, m1: int, m2: int = 0, two_years: bool = False) -> str:
    """A CLDR pattern with the placeholders named: {y1} {y2} {d1} {d2}."""
    y2 = _Y2 if two_years else _Y1
    if kind == "day":
        text = format_skeleton("yMMMd", dt.date(_Y1, m1, _D1), locale=lang_locale)
    elif kind == "month":
        text = format_skeleton("yMMM", dt.date(_Y1, m1, 1), locale=lang_locale)
    elif kind == "year":
        text = format_skeleton("y", dt.date(_Y1, 1, 1), locale=lang_locale)
    elif kind == "years":
        text = format_interval(dt.date(_Y1, 1, 1), dt.date(_Y2, 12, 31), "y", locale=lang_locale)
    elif kind == "months":
        text = format_interval(dt.date(_Y1, m1, 1), dt.date(y2, m2, 1), "yMMM", locale=lang_locale)
    else:   # days
        text = format_interval(dt.date(_Y1, m1, _D1), dt.date(y2, m2, _D2), "yMMMd", locale=lang_locale)
    text = text.replace("{", "{{").replace("}", "}}")
    for number, name in ((_Y2, "y2"), (_Y1, "y1"), (_D2, "d2"), (_D1, "d1")):
        text = text.replace(str(number), "{" + name + "}")
    return text


def _day(d: dt.date) -> str:
    return _template(locale(), "day", d.month).format(y1=d.year, d1=d.day)


def _month(d: dt.date) -> str:
    return _template(locale(), "month", d.month).format(y1=d.year)


def _year(d: dt.date) -> str:
    return _template(locale(), "year", 1).format(y1=d.year)


def _interval(start: dt.date, end: dt.date, kind: str) -> str:
    if kind == "years":
        return _template(locale(), "years", 1).format(y1=start.year, y2=end.year)
    two_years = start.year != end.year
    if kind == "months" and not two_years and start.month == end.month:
        return _month(start)
    if kind == "days" and start == end:
        return _day(start)
    return _template(locale(), kind, start.month, end.month, two_years).format(
        y1=start.year, y2=end.year, d1=start.day, d2=end.day)


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
        span = _interval(start, end, "years")
    elif whole_months:
        if (start.year, start.month) == (end.year, end.month):
            return _("{date} (month only)").format(date=_month(start))
        span = _interval(start, end, "months")
    else:
        span = _interval(start, end, "days")
    return (_("{dates} (season)") if precision == "season" else _("{dates} (range)")).format(dates=span)
