"""Ids for new records: stable, readable, and never a person's name.

An id is public in every release (links, exports, briefings), so it must not spell a name — the
build refuses one that does (geo.build.layers). A new record's id is made once, when it is first
saved, from what is not personal: the register's prefix for its source document, the type, the
place (unless the place's name contains a listed person's name) and the date as precisely as the
record states it — `mem20-arrest-detention-khabarovsk-1995-03`. A taken id gets `-2`, `-3` … .
Ids never change afterwards, even when the record is corrected.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

MAX_LENGTH = 72


def slug(text: str) -> str:
    """Lowercase a-z0-9 words joined by '-' (Cyrillic romanised with BGN/PCGN)."""
    text = text or ""
    if re.search(r"[а-яё]", text, re.I):
        import iuliia
        text = iuliia.BGN_PCGN.translate(text)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))


def document_prefix(doc_id: str, published: str, record_ids_citing: list[str]) -> str:
    """The prefix the register uses for records of a document ("mem20" for memorial-2020): the most
    common first part of the ids of records citing it first; for a new document its first word and
    the year ("hrw24" for hrw-2024-logging published 2024)."""
    firsts = Counter(rid.split("-")[0] for rid in record_ids_citing)
    if firsts:
        return firsts.most_common(1)[0][0]
    head = slug(doc_id).split("-")[0] or "doc"
    year = (published or "")[:4]
    return f"{head}{year[2:]}" if year.isdigit() and year[2:] not in head else head


def date_part(start: str | None, end: str | None, precision: str) -> str:
    """"1995-03-24", "1995-03", "1995", or "1993-1995" for a range across years."""
    first, last = start or end or "", end or start or ""
    if precision == "day" and first:
        return first
    if precision == "month" and first:
        return first[:7]
    if first[:4] and last[:4] and first[:4] != last[:4]:
        return f"{first[:4]}-{last[:4]}"
    return first[:4]


HONORIFICS = {"mr", "mrs", "ms", "miss", "mister", "dr"}


def spells_a_name(record_id: str, names: list[str]) -> bool:
    """The id has a word of a listed name in it ("park" of "Mr Park", "kim" of "Kim Sun Ho"): stricter
    than the build, which refuses the whole name in a row, because a family name alone identifies too."""
    tokens = set(record_id.split("-"))
    return any(word in tokens for name in names for word in re.findall(r"[a-z0-9]+", slug(name))
               if word not in HONORIFICS)


def mint_id(prefix: str, incident_type: str, place_name: str | None, date: str, taken: set[str],
            names: list[str]) -> str:
    """A new id that is not taken and spells no name (the place is left out if it would)."""
    parts = [prefix, slug(incident_type)]
    base = "-".join(p for p in [*parts, slug(place_name or ""), date] if p)[:MAX_LENGTH].strip("-")
    if spells_a_name(base, names):
        base = "-".join(p for p in [*parts, date] if p)
    if spells_a_name(base, names):
        base = "-".join([prefix, "record", date]).strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
