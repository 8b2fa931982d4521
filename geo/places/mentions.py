"""Place names in running text: find them, and resolve each to a place with its alternatives.

`find_mentions(text)` scans the words of a text (English or Russian) for the longest gazetteer
name at each position: Russian words are compared by lemma, so "в Хабаровске", "из
Владивостока" and "под Благовещенском" are found; "хабаровских строек" reaches Khabarovsk through
its adjective; "p." / "g." / "пос." / "town of" mark a settlement. A district court's adjective
("Ленинский районный суд", "Leninsky District Court of Tomsk") is not read as a town.

`resolve_mentions(mentions)` ranks the candidates of every mention — two Blagoveshchensks, two
Belogorsks, Pokrovkas, "Slavyansk" for Slavyanka — first by the federal subjects the same
document names (in the same sentence, nearby, anywhere), then by population, and returns the
chosen place **with** the alternatives and the reason, never a silent pick.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from itertools import product

from geo.places import morphology
from geo.places.place_index import Place, PlaceIndex

MAX_WORDS = 5
# Words before a name that say it is a settlement ("p. Slavyansk", "г. Владивостока", "town of").
SETTLEMENT_CUES = {"city", "town", "village", "settlement", "p", "g", "pos", "s", "d", "st", "pgt",
                   "город", "г", "посёлок", "поселок", "пос", "п", "пгт", "село", "с", "деревня", "д",
                   "станица", "рп", "хутор"}
# Words after an adjective that make it a district's name, not a town's ("Ленинский районный суд").
DISTRICT_WORDS = {"district", "raion", "rayon", "район", "районный", "districts"}
_SEPARATOR = re.compile(r"^(?:[ \t]*[-–][ \t]*|\.?\s{1,3}|\s?\(?)$")
NEARBY, SAME_SENTENCE = 1500, 250
# "S.V. Aleksandrov", "И.С. Шевцова": a person with initials, not the town of Aleksandrov.
_INITIALS_BEFORE = re.compile(r"\b[A-ZА-ЯЁ]\.\s?(?:[A-ZА-ЯЁ]\.\s?)?$")


@dataclass
class Mention:
    """A span of text that names a place, with every place it can stand for."""
    start: int
    end: int
    as_written: str
    candidates: list[Place]
    cue: str | None = None      # "settlement" when a prefix says so
    via: str = "name"           # "name" or "adjective" ("хабаровских строек")


@dataclass
class ResolvedPlace:
    """A mention with the place chosen for it, the others it could be, and why."""
    mention: Mention
    place: Place
    alternatives: list[tuple[Place, float]] = field(default_factory=list)
    score: float = 0.0
    reason: str = ""

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)

    def as_dict(self) -> dict:
        """The `places` entry of a candidate record (see geo.ingest.propose)."""
        p = self.place
        return {"as_written": self.mention.as_written, "start": self.mention.start, "end": self.mention.end,
                "name": p.name, "lat": p.lat, "lon": p.lon, "subject": p.subject, "country": p.country,
                "precision": p.precision, "gazetteer_id": p.id, "coordinate_source": p.source,
                "reason": self.reason, "via": self.mention.via,
                "alternatives": [{**alt.as_dict(), "score": round(score, 2)} for alt, score in self.alternatives]}


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group()) for m in morphology.WORD.finditer(text)]


def _options(word: str) -> tuple[str, ...]:
    if morphology.CYRILLIC.search(word):
        return morphology.lemmas(word)
    folded = morphology.fold(word)
    return (folded[:-2],) if folded.endswith("'s") else (folded,)      # "Vladivostok's"


def find_mentions(text: str, index: PlaceIndex | None = None) -> list[Mention]:
    """Every place name in the text, longest match first, left to right, not overlapping."""
    index = index or PlaceIndex.load()
    tokens = _tokens(text)
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        found = _longest_at(tokens, i, text, index)
        if found is None:
            i += 1
            continue
        n, places, via = found
        first, last = tokens[i], tokens[i + n - 1]
        after = tokens[i + n].word.casefold() if i + n < len(tokens) else ""
        cue = _cue(tokens, i, text)
        if _INITIALS_BEFORE.search(text[max(0, first.start - 8):first.start]) or not _acceptable(
                first.word, cue, via, places, n, after):
            i += 1
            continue
        mentions.append(Mention(first.start, last.end, text[first.start:last.end], places, cue, via))
        i += n
    return mentions


def _longest_at(tokens: list[_Token], i: int, text: str, index: PlaceIndex):
    best = None
    partial: list[tuple[str, ...]] = [()]
    for n in range(1, MAX_WORDS + 1):
        j = i + n - 1
        if j >= len(tokens) or (n > 1 and not _SEPARATOR.match(text[tokens[j - 1].end:tokens[j].start])):
            break
        extended = [key + (option,) for key, option in product(partial, _options(tokens[j].word))]
        for key in extended:
            places = index.lookup(key)
            if places and (best is None or best[0] < n):
                best = (n, list(places), "name")
        partial = [key for key in extended if index.is_prefix(key)]
        if not partial:
            break
    if best is None and morphology.is_adjective(tokens[i].word) and i + 1 < len(tokens):
        # "хабаровских строек": an adjective made from a town's name, before a noun.
        next_word = tokens[i + 1].word.casefold()
        if next_word not in DISTRICT_WORDS and not morphology.is_adjective(tokens[i + 1].word):
            for lemma in morphology.lemmas(tokens[i].word)[:1]:
                for base in morphology.adjective_bases(lemma):
                    places = [p for p in index.lookup((base,)) if p.kind == "settlement"]
                    if places:
                        return 1, places, "adjective"
    return best


def _cue(tokens: list[_Token], i: int, text: str) -> str | None:
    """"settlement" when the words before say so: "p. Slavyansk", "г. Владивостока", "town of X"."""
    j = i - 1
    while j >= 0 and tokens[j].word.casefold() in ("of", "the") and i - j <= 2:
        j -= 1                                 # "the town of Chegdomyn"
    if j < 0 or not re.fullmatch(r"[\s.]*", text[tokens[j].end:tokens[j + 1].start]):
        return None
    word = tokens[j].word
    lemma = morphology.lemmas(word)[0] if morphology.CYRILLIC.search(word) else word.casefold()
    return "settlement" if lemma in SETTLEMENT_CUES or word.casefold() in SETTLEMENT_CUES else None


def _acceptable(word: str, cue: str | None, via: str, places: list[Place], n: int, after: str) -> bool:
    if via == "adjective":
        return True
    if not word[:1].isupper() and cue is None:
        return False          # a lower-case word is a place name only after "г." / "village of" ...
    if n == 1 and after in DISTRICT_WORDS and not any(p.curated or p.kind in ("district", "region") for p in places):
        return False          # "Leninsky District Court": the district, not the town of Leninsk
    return True


def resolve_mentions(mentions: list[Mention], sentence_bounds: list[tuple[int, int]] | None = None) -> list[ResolvedPlace]:
    """Choose a place for every mention, ranked by the document's own context, then population."""
    evidence = _Evidence(_subject_evidence(mentions))
    totals = _totals(evidence)
    resolved = []
    for mention in mentions:
        context = _context_weights(mention, evidence, totals)
        scored = sorted(((_score(place, mention, context), place) for place in _readings(mention)),
                        key=lambda sp: (-sp[0], sp[1].id))
        best_score, best = scored[0]
        alternatives = [(place, score) for score, place in scored[1:]]
        resolved.append(ResolvedPlace(mention, best, alternatives, best_score,
                                      _reason(best, alternatives, context, mention)))
    return resolved


def resolve_text(text: str, index: PlaceIndex | None = None) -> list[ResolvedPlace]:
    return resolve_mentions(find_mentions(text, index))


def _readings(mention: Mention) -> list[Place]:
    """The places a mention can mean. "Khabarovsk" alone is the city; the krai of the same name
    contains it, so it is not listed as a rival reading (it would make every mention "ambiguous")."""
    places = _unique(mention.candidates)
    towns = {p.subject for p in places if p.kind == "settlement"}
    if len(mention.as_written.split()) == 1:
        places = [p for p in places if not (p.kind == "region" and p.subject in towns)]
    return places


def _unique(places: list[Place]) -> list[Place]:
    seen, kept = set(), []
    for place in places:
        if place.id not in seen:
            seen.add(place.id)
            kept.append(place)
    return kept


def _subject_evidence(mentions: list[Mention]) -> list[tuple[int, str, float]]:
    """(position, subject, weight): federal subjects named, and subjects of unambiguous places."""
    evidence = []
    for m in mentions:
        subjects = {p.subject for p in m.candidates if p.subject}
        if len(subjects) == 1:
            weight = 1.0 if any(p.kind == "region" for p in m.candidates) else 0.6
            evidence.append((m.start, subjects.pop(), weight))
    return evidence


def _context_weights(mention: Mention, evidence: "_Evidence", totals: dict[str, float]) -> dict[str, float]:
    """{subject: weight of the document's evidence for it}: ×3 within a sentence's reach, ×1 nearby,
    ×0.15 anywhere else. `evidence` is sorted by position; `totals` (weights over the whole
    document) lets only the nearby part be summed here."""
    weights = {subject: 0.15 * total for subject, total in totals.items()}
    lo = bisect.bisect_left(evidence.positions, mention.start - NEARBY)
    hi = bisect.bisect_right(evidence.positions, mention.start + NEARBY)
    for position, subject, weight in evidence[lo:hi]:
        factor = 3.0 if abs(position - mention.start) <= SAME_SENTENCE else 1.0
        weights[subject] += weight * (factor - 0.15)
    for position, subject, weight in evidence[lo:hi]:
        if position == mention.start:                     # its own evidence does not count
            weights[subject] -= weight * 3.0
    return {k: v for k, v in weights.items() if v > 1e-9}


def _totals(evidence: list[tuple[int, str, float]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for _, subject, weight in evidence:
        totals[subject] = totals.get(subject, 0.0) + weight
    return totals


class _Evidence(list):
    """Evidence sorted by position, with the positions at hand for bisecting."""

    def __init__(self, items):
        super().__init__(sorted(items))
        self.positions = [e[0] for e in self]


def _score(place: Place, mention: Mention, context: dict[str, float]) -> float:
    score = min(context.get(place.subject, 0.0), 6.0) if place.subject else 0.0
    score += 0.25 * math.log10(place.population + 10)
    if place.curated:
        score += 0.5
    if mention.cue == "settlement" and place.kind == "settlement":
        score += 0.5
    if place.kind == "region" and len(mention.as_written.split()) == 1 and any(
            p.kind == "settlement" for p in mention.candidates):
        score -= 2.0          # "Khabarovsk" alone is the city; the krai is "Khabarovsk Krai"
    if place.kind == "country":
        score -= 0.5
    return score


def _reason(best: Place, alternatives: list[tuple[Place, float]], context: dict[str, float], mention: Mention) -> str:
    if not alternatives:
        return "only place of this name" + (" (from an adjective)" if mention.via == "adjective" else "")
    others = ", ".join(f"{p.name} ({p.subject or p.country})" for p, _ in alternatives[:4])
    if best.subject and context.get(best.subject, 0) >= 1.0:
        why = f"the document names {best.subject} nearby"
    elif best.subject and context.get(best.subject, 0) > 0:
        why = f"the document names {best.subject} elsewhere"
    elif best.population >= max(p.population for p, _ in alternatives):
        why = "largest population"
    elif best.curated:
        why = "a researched row of data/gazetteer.csv"
    else:
        why = "the kind of place the text names"
    return f"ambiguous: chosen by {why}; also {others}"
