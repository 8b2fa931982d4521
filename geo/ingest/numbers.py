"""How many people a passage is about: the lowest figure it gives, or null with the phrase kept.

"five workers" -> 5, "пятеро" -> 5, "at least two" -> 2, "two or three" -> 2, "9 DPRK citizens" -> 9,
"several hundred", "десятки" -> null (the phrase is kept for the reviewer). Number words come from
the lexicon (geo.ingest.lexicon.NUMBER_WORDS) and are met by lemma, so "двух", "пятерых" count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from geo.ingest import lexicon
from geo.ingest.words import Word

WINDOW = 4            # words between a number and the people it counts ("five North Korean workers")
_YEARISH = re.compile(r"^(1[89]|20)\d\d$")


@dataclass(frozen=True)
class Count:
    value: int | None
    phrase: str
    start: int
    end: int


def _number(token: Word, language: str) -> int | None:
    if token.text.isascii() and token.text.isdigit() and not _YEARISH.match(token.text):
        return int(token.text)
    table = lexicon.NUMBER_WORDS[language]
    for form in (token.lemma, token.text.lower()):
        if form in table:
            return table[form]
    if "-" in token.text:                       # "twenty-five"
        parts = [lexicon.NUMBER_WORDS["en"].get(p) for p in token.text.lower().split("-")]
        if all(parts):
            return sum(parts)
    return None


def people_counts(tokens: list[Word], text: str, language: str) -> list[Count]:
    nouns = lexicon.PEOPLE_NOUNS[language] | lexicon.PEOPLE_NOUNS["en" if language == "ru" else "ru"]
    vague = lexicon.VAGUE_QUANTITIES[language] | lexicon.VAGUE_QUANTITIES["en"]
    counts = []
    for i, token in enumerate(tokens):
        value = _number(token, language)
        is_vague = token.lemma in vague or token.text.lower() in vague
        collective = token.lemma in ("двое", "трое", "четверо", "пятеро", "шестеро", "семеро", "оба")
        if value is None and not is_vague:
            continue
        if i and (tokens[i - 1].lemma in vague or tokens[i - 1].text.lower() in vague):
            continue                              # "several hundred": counted with "several", as vague
        if value == 1 and token.text.lower() in ("a", "an"):
            continue                              # "a worker" is not a count worth proposing
        noun = next((j for j in range(i + 1, min(len(tokens), i + 1 + WINDOW)) if tokens[j].lemma in nouns), None)
        if noun is None and not collective:
            continue
        end = tokens[noun].end if noun is not None else token.end
        start = token.start
        if is_vague or (i + 1 < len(tokens) and tokens[i + 1].lemma in vague):
            counts.append(Count(None, text[start:end], start, end))
            continue
        counts.append(Count(value, text[_lower_bound_start(tokens, i, text, language):end],
                            _lower_bound_start(tokens, i, text, language), end))
    return counts


def _lower_bound_start(tokens: list[Word], i: int, text: str, language: str) -> int:
    """Include "at least" / "не менее" in the phrase: the figure is still the lowest one."""
    for phrase in lexicon.LOWER_BOUND_WORDS["en"] | lexicon.LOWER_BOUND_WORDS["ru"]:
        n = len(phrase.split())
        if i - n >= 0 and " ".join(t.text.lower() for t in tokens[i - n:i]) == phrase:
            return tokens[i - n].start
    return tokens[i].start


def lowest(counts: list[Count]) -> tuple[int | None, str | None]:
    """(lowest figure, its phrase); (None, vague phrase) when only vague counts are given."""
    exact = [c for c in counts if c.value is not None]
    if exact:
        best = min(exact, key=lambda c: c.value)
        return best.value, best.phrase
    if counts:
        return None, counts[0].phrase
    return None, None
