"""Dates in a passage, English or Russian, with the precision the words allow.

dateparser does the reading: `search_dates` finds date fragments, its `DateDataParser` turns a
phrase into a date and says how precise it is (day / month / year / week). Around it, this module
only does what dateparser does not: it joins a fragment with the neighbouring date words it cut
off ("On October 5" + "2018"), turns Russian month forms into the nominative with pymorphy3 before
parsing ("в марте 2016 года"), drops durations ("for 13 years"), and reads decades, seasons and
year ranges ("the early 1990s", "summer of 1995", "2015-2016", "between 2004 and 2014") as ranges.
A date without a year takes the year of the nearest earlier date in the document, else the
publication date; relative dates ("last week", "on Monday", "вчера") are resolved against the
publication date. Both are marked `inferred`.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

from geo.places import morphology

MONTHS_RU = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
             "ноябрь", "декабрь")
_MONTH_EN = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_MONTH_RU = r"(?:январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*|ноябр\w*|декабр\w*)"
_DATE_WORD = re.compile(rf"^(?:{_MONTH_EN}|{_MONTH_RU}|\d{{1,2}}(?:st|nd|rd|th)?|(?:1[89]|20)\d\d|года?|г|of|the)$", re.I)
_DURATION = re.compile(r"^\W*(?:for\s+|в течение\s+)?\d{1,3}\s+(?:years?|months?|weeks?|days?|hours?|лет|года?|месяц\w*|недел\w*|дн\w*|час\w*)\W*$", re.I)
_RELATIVE = re.compile(r"\b(?:ago|last|yesterday|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                       r"week|weekend|недел\w*|назад|прошл\w+|вчера|сегодня|позавчера|понедельник|вторник|сред[уа]|четверг|пятниц\w+|суббот\w+|воскресень\w+)\b", re.I)
# Relative phrases dateparser reads but its search does not find.
# Relative phrases dateparser reads but its search does not find.
_RELATIVE_PHRASE = re.compile(r"\b(?:на\s+прошлой\s+неделе|в\s+прошлом\s+месяце|last\s+(?:week|month))\b", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DECADE = re.compile(r"\b(?:(?:in\s+)?the\s+)?(?:(early|mid|late)[-\s])?((?:1[89]|20)\d)0'?s\b", re.I)
_SEASON = re.compile(r"\b(?:in\s+)?(?:the\s+)?(summer|winter|spring|autumn|fall)\s+of\s+((?:1[89]|20)\d\d)\b", re.I)
_MID_YEAR = re.compile(r"\b(early|mid|late)[-\s]((?:1[89]|20)\d\d)\b", re.I)
_YEAR_RANGE = re.compile(r"\b(?:between\s+|from\s+|с\s+)?((?:1[89]|20)\d\d)\s*(?:-|–|—|to|and|until|по|до)\s*((?:1[89]|20)\d\d)\b", re.I)
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14)}
_PART = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


@dataclass(frozen=True)
class DateMention:
    start: int                   # offsets in the passage
    end: int
    as_written: str
    first: dt.date
    last: dt.date
    precision: str               # day | month | season | year | range
    inferred: bool = False
    note: str = ""

    def as_dict(self) -> dict:
        return {"start": self.first.isoformat(), "end": self.last.isoformat(), "precision": self.precision,
                "as_written": self.as_written, "inferred": self.inferred, **({"note": self.note} if self.note else {})}


@lru_cache(maxsize=4)
def _parser(language: str, base: dt.date):
    from dateparser.date import DateDataParser
    settings = {"RELATIVE_BASE": dt.datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"}
    return DateDataParser(languages=[language], settings=settings), settings


def find_dates(passage: str, language: str, published: dt.date, context_year: int | None = None) -> list[DateMention]:
    """Every date in the passage, earliest in the text first; overlapping readings are merged."""
    if not re.search(r"\d", passage) and not _RELATIVE.search(passage):
        return []              # no digit and no relative word: nothing dateparser would keep
    found = _patterned(passage)
    taken = [(d.start, d.end) for d in found]
    for start, end in _searched(passage, language, published):
        if any(s < end and start < e for s, e in taken):
            continue
        mention = _parse(passage, start, end, language, published, context_year)
        if mention:
            found.append(mention)
            taken.append((mention.start, mention.end))
    return _ranges(passage, sorted(found, key=lambda d: d.start), language, published)


_RANGE_START = re.compile(r"\b(between|from|с|между)\s+([^\W_][\w .]{0,24}?)\s*(?:and|to|until|till|through|и|по|до|[-–—])\s*$", re.I)


def _ranges(passage: str, found: list[DateMention], language: str, published: dt.date) -> list[DateMention]:
    """ "between November 8th and November 15, 2007", "с 5 по 9 мая 2019 года": one range. The first
    date borrows what it leaves out (month, year) from the second."""
    merged = []
    for mention in found:
        before = _RANGE_START.search(passage[:mention.start])
        first = _range_start(before.group(2), mention, language, published) if before else None
        if first and first <= mention.last:
            start = before.start(2)
            merged = [m for m in merged if m.end <= start]
            merged.append(DateMention(start, mention.end, passage[start:mention.end], first, mention.last, "range",
                                      mention.inferred, mention.note))
        else:
            merged.append(mention)
    return merged


def _range_start(phrase: str, end: DateMention, language: str, published: dt.date) -> dt.date | None:
    phrase = phrase.strip().rstrip(".")
    try:
        if phrase.isdigit():                                   # "с 5 по 9 мая": the day alone
            return end.first.replace(day=int(phrase))
        parser, _ = _parser(language, published)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = parser.get_date_data(_nominative_months(phrase) if language == "ru" else phrase)
        if data.date_obj is None:
            return None
        when = data.date_obj.date()
        return when.replace(year=end.last.year) if not _YEAR.search(phrase) else when
    except ValueError:
        return None


def _searched(passage: str, language: str, published: dt.date) -> list[tuple[int, int]]:
    from dateparser.search import search_dates
    _, settings = _parser(language, published)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hits = search_dates(passage, languages=[language], settings=settings) or []
    hits = list(hits) + [(m.group(), None) for m in _RELATIVE_PHRASE.finditer(passage)]
    spans, cursor = [], 0
    for fragment, _ in sorted(hits, key=lambda h: passage.find(h[0])):
        if _DURATION.match(fragment):
            continue
        at = passage.find(fragment, cursor)
        if at < 0:
            continue
        cursor = at + len(fragment)
        start, end = _widen(passage, at, at + len(fragment))
        if spans and start <= spans[-1][1] + 2:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _widen(passage: str, start: int, end: int) -> tuple[int, int]:
    """Grow a fragment over neighbouring date words ("On October 5" + ", 2018"); trim the rest
    ("On", "the", "in" at either end)."""
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\w+", passage)]
    inside = [i for i, (s, e, _) in enumerate(words) if s < end and e > start]
    if not inside:
        return start, end
    lo, hi = inside[0], inside[-1]

    def dateish(i: int) -> bool:
        return bool(_DATE_WORD.match(words[i][2]))

    def joined(a: int, b: int) -> bool:
        return bool(re.fullmatch(r"[\s,]*", passage[words[a][1]:words[b][0]]))

    while lo > 0 and dateish(lo - 1) and joined(lo - 1, lo):
        lo -= 1
    while hi + 1 < len(words) and dateish(hi + 1) and joined(hi, hi + 1):
        hi += 1

    def core(i: int) -> bool:
        return (dateish(i) or bool(_RELATIVE.search(words[i][2]))) and words[i][2].casefold() not in ("the", "of", "г")

    while lo < hi and not core(lo):
        lo += 1
    while hi > lo and not core(hi) and words[hi][2].casefold() not in ("года", "год", "г"):
        hi -= 1
    return words[lo][0], words[hi][1]


def _parse(passage: str, start: int, end: int, language: str, published: dt.date,
           context_year: int | None) -> DateMention | None:
    phrase = passage[start:end]
    if _DURATION.match(phrase) or not phrase.strip():
        return None
    parser, _ = _parser(language, published)
    readable = _nominative_months(phrase) if language == "ru" else phrase
    readable = re.sub(r"\b(?:года?|г\.?)\s*$", "", readable).strip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = parser.get_date_data(readable)
        before = re.search(r"(?:\b(?:на|в|во|on|in)\s+)$", passage[:start], re.I)
        if data.date_obj is None and before and _RELATIVE.search(phrase):
            start, phrase = before.start(), passage[before.start():end]       # "на прошлой неделе"
            data = parser.get_date_data(phrase)
    if data.date_obj is None:
        return None
    when = data.date_obj.date()
    relative = bool(_RELATIVE.search(phrase))
    has_year = bool(_YEAR.search(phrase))
    has_month = bool(re.search(rf"\b(?:{_MONTH_EN}|{_MONTH_RU})\b", phrase, re.I))
    if not has_year and not relative and not (has_month and re.search(r"\d", phrase)):
        return None            # "May" alone, "13" of "13 years": not a date
    period = data.period or "day"
    note = ""
    if not has_year and not relative:
        if context_year:       # "On 25 April" after "In 2019 ...": the year of the text around it
            try:
                when = when.replace(year=context_year)
            except ValueError:
                return None
            note = f"year {context_year} from an earlier date in the document"
        else:                  # dateparser chose the latest such day before publication
            note = f"year {when.year} from the publication date {published.isoformat()}"
    if relative:
        note = f"relative to the publication date {published.isoformat()}"
    first, last, precision = _span(when, period)
    return DateMention(start, end, phrase, first, last, precision, inferred=relative or not has_year, note=note)


def _nominative_months(phrase: str) -> str:
    def month(match: re.Match) -> str:
        lemma = morphology.lemmas(match.group())[0]
        return lemma if lemma in MONTHS_RU else match.group()
    return re.sub(_MONTH_RU, month, phrase, flags=re.I)


def _span(when: dt.date, period: str) -> tuple[dt.date, dt.date, str]:
    if period == "year":
        return dt.date(when.year, 1, 1), dt.date(when.year, 12, 31), "year"
    if period == "month":
        return (dt.date(when.year, when.month, 1),
                dt.date(when.year, when.month, calendar.monthrange(when.year, when.month)[1]), "month")
    if period == "week":
        monday = when - dt.timedelta(days=when.weekday())
        return monday, monday + dt.timedelta(days=6), "range"
    return when, when, "day"


def _patterned(passage: str) -> list[DateMention]:
    """Decades, seasons, parts of a year and year ranges, which dateparser does not read."""
    found: list[DateMention] = []

    def add(match: re.Match, first: dt.date, last: dt.date, precision: str) -> None:
        if not any(d.start < match.end() and match.start() < d.end for d in found):
            found.append(DateMention(match.start(), match.end(), match.group(), first, last, precision))

    for m in _YEAR_RANGE.finditer(passage):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= a + 50:
            add(m, dt.date(a, 1, 1), dt.date(b, 12, 31), "range")
    for m in _SEASON.finditer(passage):
        year, (lo, hi) = int(m.group(2)), _SEASON_MONTHS[m.group(1).casefold()]
        last_year, last_month = (year + 1, hi - 12) if hi > 12 else (year, hi)
        add(m, dt.date(year, lo, 1), dt.date(last_year, last_month, calendar.monthrange(last_year, last_month)[1]), "season")
    for m in _DECADE.finditer(passage):
        decade = int(m.group(2)) * 10
        lo, hi = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get((m.group(1) or "").casefold(), (0, 9))
        add(m, dt.date(decade + lo, 1, 1), dt.date(decade + hi, 12, 31), "range")
    for m in _MID_YEAR.finditer(passage):
        year, (lo, hi) = int(m.group(2)), _PART[m.group(1).casefold()]
        add(m, dt.date(year, lo, 1), dt.date(year, hi, calendar.monthrange(year, hi)[1]), "range")
    return found
