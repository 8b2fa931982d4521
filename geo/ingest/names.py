"""Personal names in a passage, so that they go to `people_names` and never into titles or
public outputs.

Russian: natasha's news NER (slovnet + navec models shipped inside the natasha wheel), the PER
spans. English: no name model installs offline from PyPI (spaCy's and flair's models are
downloaded at run time), so a detector made for these sources: a title before a name ("Mr Kwon",
Mr "Kim"), Korean names as English reports romanise them (family name + given name:
"Song Chang Keun", "Jong Kum-Chon"; given name + family name: "Young-Chul Choi"), Russian given
names ("Valery Zaidulin", "Anya"), and single-letter pseudonyms. Heads of state and rapporteurs are
not people at risk and are left out (lexicon.PUBLIC_FIGURES). It errs on the side of finding too
many: a reviewer removes an official's name; a missed name would be published.
"""
from __future__ import annotations

import re
from functools import lru_cache

from geo.ingest import lexicon
from geo.places import morphology

_CAP = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?"
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mister|Dr)\.?\s+(?:[\"“']?)(" + _CAP + r")(?:[\"”']?)(?:\s+(" + _CAP + r"))?")
_SEQUENCE = re.compile(r"\b" + _CAP + r"(?:\s+" + _CAP + r"){0,2}\b")
# Given name + Russian family name in Latin letters ("Roza Magomedova", "Elena Burtina").
_RUSSIAN_SURNAME = re.compile(r"(?:ova|ov|eva|ev|ina|in|sky|skaya|skiy|enko|yuk|chuk)$")
_INITIALS = re.compile(r"\b[A-Z]\.\s?[A-Z]\.\s?[A-Z][a-z]+")      # "I.S. Shvetsova": officials in court lists


@lru_cache(maxsize=1)
def _russian_ner():
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
    embedding = NewsEmbedding()
    return Segmenter(), NewsNERTagger(embedding), Doc


def russian_names(text: str) -> list[tuple[int, int, str]]:
    segmenter, tagger, Doc = _russian_ner()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [(s.start, s.stop, s.text) for s in doc.spans if s.type == "PER" and not _public(s.text)]


def _public(name: str) -> bool:
    return name.casefold().strip() in lexicon.PUBLIC_FIGURES


def english_names(text: str, place_words: set[str] | None = None) -> list[tuple[int, int, str]]:
    place_words = place_words or set()
    found: list[tuple[int, int, str]] = []

    def add(start: int, end: int) -> None:
        name = text[start:end].strip(" \"“”'")
        if name and not _public(name) and not any(s <= start < e or start <= s < end for s, e, _ in found):
            found.append((start, end, text[start:end]))

    for m in _HONORIFIC.finditer(text):
        add(m.start(), m.end())
    for m in _SEQUENCE.finditer(text):
        parts = m.group().split()
        folded = [p.casefold() for p in parts]
        if any(p in place_words for p in folded):
            continue
        surname_first = folded[0] in lexicon.KOREAN_SURNAMES and len(parts) >= 2 and all(
            len(p) <= 8 for p in parts[1:]) and any("-" in p or len(p) <= 5 for p in parts[1:])
        surname_last = len(parts) >= 2 and folded[-1] in lexicon.KOREAN_SURNAMES and "-" in parts[0]
        given = next((k for k, p in enumerate(folded) if p in lexicon.RUSSIAN_GIVEN_NAMES), None)
        if given is not None and given > 0:
            # "... Centre Olga Zeitlina": the name starts at the given name
            offset = m.start() + m.group().index(parts[given], sum(len(p) + 1 for p in parts[:given]) - 1)
            add(offset, offset + len(" ".join(parts[given:given + 2])))
            continue
        russian = given == 0 or (len(parts) == 2 and bool(_RUSSIAN_SURNAME.search(parts[1])))
        if surname_first or surname_last or russian:
            add(m.start(), m.end())
        elif len(parts) == 1 and folded[0] in lexicon.KOREAN_SURNAMES and folded[0] not in ("an", "ha", "ok", "so", "su", "um", "yu") \
                and _used_as_name(text, m.start()):
            add(m.start(), m.end())
    return sorted(found)


def _used_as_name(text: str, start: int) -> bool:
    """A lone family name ("Kim applied...", "Jong's wife") rather than a word."""
    after = text[start:start + 40]
    return bool(re.match(r"[A-Z][a-z]+(?:'s|’s)?\s+(?:[a-z]+ed|was|had|is|has|and|said|told|applied|tried|left|called|managed|received)\b", after))


def find_names(text: str, language: str, place_words: set[str] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, name as written) for each personal name in the text."""
    if language == "ru" or morphology.CYRILLIC.search(text):
        names = russian_names(text)
        if language != "ru":
            names += english_names(text, place_words)
        return sorted(set(names))
    return english_names(text, place_words)
