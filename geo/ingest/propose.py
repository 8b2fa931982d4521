"""The geoparser: a document in, candidate records out — for a person to accept, correct or reject.

    from geo.ingest.propose import propose, propose_document
    candidates = propose(text, language="en", published=date(2020, 1, 1), doc_id="memorial-2020")
    proposal = propose_document("memorial-2020")          # a registered source
    proposal.as_dict()                                    # what `python -m geo propose --json` prints

A candidate is a passage that describes something that happened: a sentence (or it and the
sentence before, when that one gives the place or the date) whose words meet the lexicon's
triggers (geo.ingest.lexicon). Its quote is cut from the text verbatim, with the character offsets
in the stored text, so `text[start:end] == quote` and the register's quote check passes by
construction. Each candidate proposes a type (with the words that triggered it), a date with its
precision (geo.ingest.dates), the places named in it resolved with their alternatives
(geo.places.mentions; a place taken from the surrounding paragraph is marked `from_context`), the
lowest number of people, actors, and the personal names it contains (`people_names`, sensitive).
Nothing here decides: every field says where it came from.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo.evidence import sources
from geo.evidence.vocabulary import INCIDENT_TYPES, precision_rank
from geo.ingest import lexicon
from geo.ingest.dates import DateMention, find_dates
from geo.ingest.names import find_names
from geo.ingest.numbers import lowest, people_counts
from geo.ingest.words import Word, find_phrases, words
from geo.places.mentions import ResolvedPlace, find_mentions, resolve_mentions
from geo.places.place_index import PlaceIndex

_HEADING = re.compile(r"^(?:#+\s*|(?:[IVX]+|\d+(?:\.\d+)*|[A-D])[.)]?\s+)(?=\S)")
_ITEM = re.compile(r"^\s*(\d{1,3})[.)]\s")
_TRIGGER_INDEX: dict[str, dict[str, list[tuple[str, str, float]]]] = {}


@dataclass
class Candidate:
    """One proposed record. Field names are those of `python -m geo propose --json`."""
    id: str
    quote: str
    start: int
    end: int
    locator: str
    type: str
    type_evidence: list[str]
    date: dict | None
    places: list[dict]
    people_affected: int | None
    people_phrase: str | None
    actors: list[str]
    people_names: list[str]
    title: str
    other_dates: list[dict] = field(default_factory=list)
    type_scores: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"id": self.id, "quote": self.quote, "start": self.start, "end": self.end, "locator": self.locator,
                "type": self.type, "type_label": INCIDENT_TYPES[self.type], "type_evidence": self.type_evidence,
                "type_scores": self.type_scores, "date": self.date, "other_dates": self.other_dates,
                "places": self.places, "people_affected": self.people_affected, "people_phrase": self.people_phrase,
                "actors": self.actors, "people_names": self.people_names, "title": self.title}


@dataclass
class Proposal:
    document: dict
    candidates: list[Candidate]
    seconds: float

    def as_dict(self) -> dict:
        return {"document": self.document, "candidates": [c.as_dict() for c in self.candidates],
                "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    paragraph: int


def propose(text: str, *, language: str = "en", published: dt.date | None = None, doc_id: str = "doc",
            pages: tuple[int, ...] = (), page_labels: tuple[str, ...] = (),
            index: PlaceIndex | None = None) -> list[Candidate]:
    """Candidate records in `text` (offsets refer to it). `published` anchors relative and
    year-less dates (default: today)."""
    published = published or dt.date.today()
    index = index or PlaceIndex.load()
    sentences = _sentences(text)
    people = find_names(text, language)
    named = [(s, e) for s, e, _ in people]
    mentions = [m for m in find_mentions(text, index) if not any(s <= m.start < e for s, e in named)]
    places = resolve_mentions(mentions)
    starts = [p.mention.start for p in places]
    headings = _headings(text, [name.strip(" \"“”'") for _, _, name in people])
    date_cache: dict[tuple[int, int], list[DateMention]] = {}
    proposed: set[int] = set()          # sentences that are (in) a candidate already
    candidates: list[Candidate] = []
    for n, sentence in enumerate(sentences):
        if _is_heading(text[sentence.start:sentence.end]):
            continue
        tokens = words(text[sentence.start:sentence.end], sentence.start)
        scores, evidence = _type_scores(tokens, language)
        if not scores or max(scores.values()) < lexicon.MIN_TYPE_WEIGHT:
            continue
        start, end = sentence.start, sentence.end
        own_places = _places_in(places, starts, start, end)
        dates = _dates(text, start, end, language, published, date_cache)
        previous = sentences[n - 1] if n and sentences[n - 1].paragraph == sentence.paragraph else None
        if previous and n - 1 not in proposed and (not own_places or not dates):
            earlier_places = _places_in(places, starts, previous.start, previous.end)
            earlier_dates = _dates(text, previous.start, previous.end, language, published, date_cache)
            if (not own_places and earlier_places) or (not dates and earlier_dates):
                start = previous.start            # the sentence before gives the place or the date
                own_places = earlier_places + own_places
                dates = earlier_dates + dates
        place_dicts = _place_dicts(own_places)
        if all(p["precision"] == "country" for p in place_dicts):
            # only a country (or nothing) named here: the place the paragraph is about comes first
            place_dicts = _context_places(places, starts, sentences, n) + place_dicts
        date = dates[0].as_dict() if dates else _context_date(text, sentences, n, language, published, date_cache, headings)
        proposed.add(n)
        chosen = _choose_type(scores)
        count, phrase = lowest(people_counts(tokens, text, language))
        candidates.append(Candidate(
            id=f"{doc_id}-{start}-{end}", quote=text[start:end], start=start, end=end,
            locator=_locator(text, start, headings, pages, page_labels),
            type=chosen, type_evidence=evidence[chosen], date=date, places=place_dicts,
            people_affected=count, people_phrase=phrase, actors=_actors(tokens, language),
            people_names=sorted({name.strip() for s, e, name in people if start <= s < end}),
            title=_title(chosen, place_dicts, date), other_dates=[d.as_dict() for d in dates[1:]],
            type_scores={k: round(v, 2) for k, v in sorted(scores.items(), key=lambda kv: -kv[1])[:3]}))
    return candidates


def propose_document(doc_id: str, sources_dir: Path = sources.SOURCES_DIR) -> Proposal:
    """Propose from a registered source document (its language, date and pages from the catalogue)."""
    doc = sources.document(doc_id, sources_dir)
    return _timed(sources.text(doc_id, sources_dir), _document_info(doc), doc.language, _published(doc.published),
                  doc.id, doc.pages, doc.page_labels)


def propose_file(path: Path, published: dt.date | None = None, doc_id: str | None = None,
                 language: str | None = None) -> Proposal:
    """Propose from any text, PDF or HTML file (not registered: offsets refer to the extracted text)."""
    from geo.ingest.add_source import detect_language
    from geo.ingest.extract import extract

    extracted = extract(Path(path))
    language = language or detect_language(extracted.text)
    info = {"id": doc_id or Path(path).stem, "title": extracted.title or Path(path).name, "language": language,
            "published": published.isoformat() if published else None, "registered": False,
            "text_sha256": sources.sha256_hex(extracted.text.encode("utf-8")), "characters": len(extracted.text),
            "pages": len(extracted.pages) or None}
    return _timed(extracted.text, info, language, published, info["id"], tuple(extracted.pages),
                  tuple(extracted.page_labels))


def _timed(text, info, language, published, doc_id, pages, labels) -> Proposal:
    started = time.perf_counter()
    candidates = propose(text, language=language, published=published, doc_id=doc_id, pages=pages, page_labels=labels)
    return Proposal(info, candidates, time.perf_counter() - started)


def _document_info(doc: sources.SourceDocument) -> dict:
    return {"id": doc.id, "title": doc.title, "language": doc.language, "published": doc.published,
            "registered": True, "text_sha256": doc.text_sha256, "pages": len(doc.pages) or None}


def _published(value: str) -> dt.date:
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 28)


# -- passages -------------------------------------------------------------------------------------

def _sentences(text: str) -> list[_Sentence]:
    from razdel import sentenize

    breaks = [m.end() for m in re.finditer(r"\n\s*\n|\n(?=\S)", text)]
    result, paragraph, b = [], 0, 0
    for s in sentenize(text):
        while b < len(breaks) and breaks[b] <= s.start:
            paragraph, b = paragraph + 1, b + 1
        # razdel keeps a heading and the sentence after it together when no period separates them
        chunk = text[s.start:s.stop]
        offset = s.start
        for part in re.split(r"(?<=\n)", chunk):
            if part.strip():
                lead = len(part) - len(part.lstrip())
                result.append(_Sentence(offset + lead, offset + len(part.rstrip()), paragraph))
            offset += len(part)
            if part.endswith("\n"):
                paragraph += 1
    return result


def _is_heading(passage: str) -> bool:
    """A heading or a table-of-contents line names a topic, not something that happened."""
    plain = passage.strip()
    return plain.startswith("#") or (plain.upper() == plain and len(plain) < 200) or bool(re.search(r"\t\d+$", plain))


_TOC_LINE = re.compile(r"^\s*((?:[IVX]+|\d+(?:\.\d+)*)\.?)\s+(.+?)\s*\t\s*\d+\s*$")


def _headings(text: str, names: list[str]) -> list[tuple[int, str]]:
    """(offset, heading) for the document's headings: markdown '#', numbered or capitalised lines,
    and short lines that stand alone. A heading that is in the table of contents gets its number
    ("V Administrative expulsion ..."); a heading with a personal name in it is reduced to its
    number, because locators are published with every record."""
    toc = {m.group(2).casefold(): m.group(1).rstrip(".") for m in map(_TOC_LINE.match, text.splitlines()) if m}
    found = []
    for m in re.finditer(r"^[^\n]{2,120}$", text, re.M):
        line = m.group().strip()
        plain = line.lstrip("#").strip().strip("*").strip().rstrip("¹²³⁴⁵⁶⁷⁸⁹⁰")
        if not plain or _TOC_LINE.match(line) or not sources.normalise(line) or (
                plain.endswith((".", ",", ";", ":")) and not line.startswith("#")):
            continue
        alone = (len(plain.split()) <= 10 and plain[:1].isupper() and _blank_around(text, m.start(), m.end()))
        if line.startswith("#") or (_HEADING.match(plain) and len(plain.split()) <= 12) or (
                plain.isupper() and len(plain) > 3) or alone:
            number = toc.get(plain.casefold())
            heading = re.sub(r"\s+", " ", f"{number} {plain}" if number else plain)[:80]
            if any(name and name in heading for name in names):
                lead = re.match(r"^[\dIVX]+", plain)
                heading = lead.group() if lead else "(heading withheld: it names a person)"
            found.append((m.start(), heading))
    return found


def _blank_around(text: str, start: int, end: int) -> bool:
    """A line with an empty line before or after it (how converted documents set headings)."""
    return text[max(0, start - 2):start] == "\n\n" or text[end:end + 2] == "\n\n"


def locator_at(text: str, offset: int, language: str = "en", pages: tuple[int, ...] = (),
               page_labels: tuple[str, ...] = ()) -> str:
    """The locator of a passage starting at `offset` ("p. 2, section V ..., item 3, chars 24821"),
    as candidates get theirs: for a quote a reviewer selects in the document."""
    return _locator(text, offset, _document_headings(text, language), pages, page_labels)


@lru_cache(maxsize=8)
def _document_headings(text: str, language: str) -> list[tuple[int, str]]:
    return _headings(text, [name.strip(" \"“”'") for _, _, name in find_names(text, language)])


def _locator(text: str, start: int, headings: list[tuple[int, str]], pages, labels) -> str:
    parts = []
    if pages:
        index = max(0, sum(1 for p in pages if p <= start) - 1)
        parts.append(f"p. {labels[index] if index < len(labels) else index + 1}")
    heading = next((h for pos, h in reversed(headings) if pos <= start), None)
    if heading:
        parts.append(f"section {heading}")
    line_start = text.rfind("\n", 0, start) + 1
    item = _ITEM.match(text[line_start:start + 8])
    if item:
        parts.append(f"item {item.group(1)}")
    else:
        section_start = next((pos for pos, _ in reversed(headings) if pos <= start), 0)
        paragraph = len(re.findall(r"\n\s*\n|\n(?=\S)", text[section_start:line_start]))
        parts.append(f"para. {max(1, paragraph)}")
    parts.append(f"chars {start}-")
    return ", ".join(parts)[:-1]


# -- what a passage says --------------------------------------------------------------------------

def _triggers(language: str) -> dict[str, list[tuple[str, str, float]]]:
    if language not in _TRIGGER_INDEX:
        by_first: dict[str, list[tuple[str, str, float]]] = {}
        for kind, by_language in lexicon.TYPE_TRIGGERS.items():
            for lang in {language, "en"}:
                for phrase, weight in by_language.get(lang, {}).items():
                    by_first.setdefault(phrase.split()[0], []).append((kind, phrase, weight))
        _TRIGGER_INDEX[language] = by_first
    return _TRIGGER_INDEX[language]


def _type_scores(tokens: list[Word], language: str) -> tuple[dict[str, float], dict[str, list[str]]]:
    index = _triggers(language)
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for i, token in enumerate(tokens):
        for kind, phrase, weight in index.get(token.lemma, []) + index.get(token.text.lower(), []):
            parts = phrase.split()
            if i + len(parts) > len(tokens):
                continue
            if all(tokens[i + k].lemma == part or tokens[i + k].text.lower() == part for k, part in enumerate(parts)):
                written = " ".join(t.text for t in tokens[i:i + len(parts)])
                if written not in evidence.setdefault(kind, []):
                    scores[kind] = scores.get(kind, 0.0) + weight
                    evidence[kind].append(written)
    return scores, evidence


def _choose_type(scores: dict[str, float]) -> str:
    return max(scores, key=lambda k: (scores[k], -lexicon.TYPE_PRIORITY.index(k)))


def _actors(tokens: list[Word], language: str) -> list[str]:
    return [actor for actor, phrases in _actor_phrases(language).items() if find_phrases(tokens, phrases)]


def _actor_phrases(language: str) -> dict[str, tuple[str, ...]]:
    if language not in _ACTOR_INDEX:
        _ACTOR_INDEX[language] = {
            actor: by_language.get(language, ()) + (by_language.get("en", ()) if language != "en" else ())
            for actor, by_language in lexicon.ACTOR_TRIGGERS.items()}
    return _ACTOR_INDEX[language]


_ACTOR_INDEX: dict[str, dict[str, tuple[str, ...]]] = {}


def _places_in(places: list[ResolvedPlace], starts: list[int], start: int, end: int) -> list[ResolvedPlace]:
    """The places named in [start, end); `places` is in text order, `starts` their offsets."""
    return places[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]


def _place_dicts(resolved: list[ResolvedPlace]) -> list[dict]:
    """Most precise first; a country is listed only when nothing more precise is named."""
    ordered = sorted(resolved, key=lambda r: (precision_rank(r.place.precision), r.mention.start))
    if any(r.place.precision != "country" for r in ordered):
        ordered = [r for r in ordered if r.place.precision != "country"]
    seen, result = set(), []
    for r in ordered:
        if r.place.id not in seen:
            seen.add(r.place.id)
            result.append({**r.as_dict(), "from_context": False})
    return result


def _context_places(places: list[ResolvedPlace], starts: list[int], sentences: list[_Sentence], n: int) -> list[dict]:
    """The nearest place named earlier in the same paragraph (or the one before), marked as such."""
    sentence, k = sentences[n], n
    while k > 0 and sentences[k - 1].paragraph >= sentence.paragraph - 1:
        k -= 1
    earlier = [p for p in _places_in(places, starts, sentences[k].start, sentence.start)
               if p.place.precision != "country"]
    if not earlier:
        return []
    return [{**earlier[-1].as_dict(), "from_context": True}]


def _dates(text, start, end, language, published, cache: dict) -> list[DateMention]:
    """Dates of one sentence, with offsets in the text (each sentence is read once per document)."""
    if (start, end) not in cache:
        found = find_dates(text[start:end], language, published, _context_year(text, start, published))
        cache[(start, end)] = [DateMention(d.start + start, d.end + start, d.as_written, d.first, d.last, d.precision,
                                           d.inferred, d.note) for d in found]
    return cache[(start, end)]


def _context_year(text: str, start: int, published: dt.date) -> int | None:
    """The year a year-less date ("On 25 April", "on November 8th") most likely has: the last year
    written before it in the same paragraph; else the last one in the 1,500 characters before,
    unless that is about the publication's own time (then the publication date anchors it)."""
    paragraph_start = max(text.rfind("\n", 0, start), 0)
    years = re.findall(r"\b(?:19[5-9]\d|20[0-4]\d)\b", text[paragraph_start:start])
    if years:
        return int(years[-1])
    years = re.findall(r"\b(?:19[5-9]\d|20[0-4]\d)\b", text[max(0, start - 1500):paragraph_start])
    if years and int(years[-1]) < published.year - 1:
        return int(years[-1])
    return None


def _context_date(text, sentences, n, language, published, cache: dict, headings) -> dict | None:
    """The last date written earlier in the same paragraph or the two before it (not across a
    heading), marked inferred: "In the same court and on the same day", a case history's next step."""
    sentence, k = sentences[n], n
    section = max((pos for pos, _ in headings if pos <= sentence.start), default=0)
    earlier = []
    while k > 0 and sentences[k - 1].paragraph >= sentence.paragraph - 2 and sentences[k - 1].start >= section:
        k -= 1
        earlier.insert(0, sentences[k])
    found = [d for s in earlier for d in _dates(text, s.start, s.end, language, published, cache)]
    if not found:
        return None
    d = found[-1].as_dict()
    where = "the paragraph" if any(s.paragraph == sentence.paragraph for s in earlier
                                   if s.start <= found[-1].start < s.end) else "an earlier paragraph"
    return {**d, "inferred": True, "note": f"from an earlier sentence of {where}", "from_context": True}


def _title(kind: str, places: list[dict], date: dict | None) -> str:
    """A names-free working title: type, place, date."""
    where = f" in {places[0]['name']}" if places and places[0]["precision"] != "country" else ""
    when = ""
    if date:
        first, last = date["start"], date["end"]
        if date["precision"] == "day":
            when = f" ({first})"
        elif first[:7] == last[:7]:
            when = f" ({first[:7]})"
        else:
            when = f" ({first[:4]})" if first[:4] == last[:4] else f" ({first[:4]}–{last[:4]})"
    return f"{INCIDENT_TYPES[kind]}{where}{when}"

