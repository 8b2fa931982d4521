"""How a record's date reads to people: the date plus the precision the source allows."""
from __future__ import annotations

import datetime as dt

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def date_label(start: dt.date, end: dt.date, precision: str) -> str:
    """'5 Oct 2018', 'Oct 2018 (month only)', '1995 (year only)', 'Dec 1994 – Feb 1995 (season)'."""
    if precision == "day":
        return f"{start.day} {_MONTHS[start.month - 1]} {start.year}"
    if precision == "month":
        return f"{_MONTHS[start.month - 1]} {start.year} (month only)"
    if precision == "year":
        return f"{start.year} (year only)"
    if start.year == end.year and start.month == 1 and end.month == 12 and (start.day, end.day) == (1, 31):
        return f"{start.year} (year only)"
    same_year = start.year == end.year
    first = f"{_MONTHS[start.month - 1]}" if same_year else f"{_MONTHS[start.month - 1]} {start.year}"
    kind = "season" if precision == "season" else "range"
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        return f"{start.year}–{end.year} ({kind})"
    return f"{first} – {_MONTHS[end.month - 1]} {end.year} ({kind})"
