"""Words of a passage with their lemmas: English by simplemma, Russian by pymorphy3.

Shared by the lexicon matcher, the people counter and the name detector, so each reads the same
tokens with the same offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from geo.places import morphology

TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.U)


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    lemma: str


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    if morphology.CYRILLIC.search(word):
        return morphology.lemmas(word)[0]
    import simplemma
    folded = word.lower()
    return simplemma.lemmatize(folded, lang="en").lower() if folded.isalpha() else folded


def words(text: str, offset: int = 0) -> list[Word]:
    return [Word(m.start() + offset, m.end() + offset, m.group(), lemma(m.group())) for m in TOKEN.finditer(text)]


def find_phrases(tokens: list[Word], phrases: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(first token, last token, phrase) for every lemma phrase found; a phrase is space-separated lemmas."""
    by_first = _by_first_word(tuple(phrases))
    found = []
    for i, token in enumerate(tokens):
        for parts in by_first.get(token.lemma, ()) + by_first.get(token.text.lower(), ()):
            if i + len(parts) <= len(tokens) and all(tokens[i + k].lemma == part or tokens[i + k].text.lower() == part
                                                      for k, part in enumerate(parts)):
                found.append((i, i + len(parts) - 1, " ".join(parts)))
    return found


@lru_cache(maxsize=256)
def _by_first_word(phrases: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        parts = tuple(phrase.split())
        index.setdefault(parts[0], []).append(parts)
    return {k: tuple(v) for k, v in index.items()}
