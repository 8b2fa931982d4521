"""How a record's date reads to people: the date plus the precision the source allows."""
from __future__ import annotations

import calendar
import datetime as dt

from geo.language import current

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _month(d: dt.date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.year}"


def _is_month_end(d: dt.date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def bound_label(end: dt.date, precision: str) -> str:
    """The latest date a source allows, at its precision: '30 Dec 1994', 'Oct 2008', '1989'."""
    if current() != "en":
        from geo.language import dates
        return dates.bound_label(end, precision)
    if precision == "day":
        return f"{end.day} {_month(end)}"
    if precision == "month":
        return _month(end)
    return str(end.year)


def period_label(start: dt.date, end: dt.date | None, precision: str) -> str:
    """When a site was active: 'since 1967', '1993 – 1995', or '1994' when it starts and ends in it."""
    if current() != "en":
        from geo.language import dates
        return dates.period_label(start, end, precision)
    first = bound_label(start, precision)
    if end is None:
        return f"since {first}"
    last = bound_label(end, precision)
    return first if last == first else f"{first} – {last}"


def date_label(start: dt.date | None, end: dt.date, precision: str, qualifier: str | None = None) -> str:
    """'5 Oct 2018', 'Oct 2018 (month only)', '1995 (year only)', '2–3 Feb 2016 (range)',
    '1989 or earlier' (qualifier on_or_before: the source gives only the latest date).
    In Russian or Korean (the active language): geo.language.dates, e.g. '2018년 10월 (월까지만)'."""
    if current() != "en":
        from geo.language import dates
        return dates.date_label(start, end, precision, qualifier)
    if qualifier == "on_or_before" or start is None:
        return f"{bound_label(end, precision)} or earlier"
    if precision == "day" and start == end:
        return f"{start.day} {_month(start)}"
    whole_months = start.day == 1 and _is_month_end(end)
    if whole_months and (start.month, end.month) == (1, 12):
        span = f"{start.year}" if start.year == end.year else f"{start.year}–{end.year}"
        if start.year == end.year:
            return f"{span} (year only)"
    elif whole_months:
        if (start.year, start.month) == (end.year, end.month):
            return f"{_month(start)} (month only)"
        first = _MONTHS[start.month - 1] if start.year == end.year else _month(start)
        span = f"{first} – {_month(end)}"
    elif (start.year, start.month) == (end.year, end.month):
        span = f"{start.day}–{end.day} {_month(end)}"
    else:
        span = f"{start.day} {_month(start)} – {end.day} {_month(end)}"
    return f"{span} ({'season' if precision == 'season' else 'range'})"
