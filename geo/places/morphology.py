"""How place names are compared: Russian lemmas (pymorphy3), transliteration variants (iuliia).

A name in running text is inflected ("в Хабаровске", "из Владивостока", "под Благовещенском") or
spelt in another romanisation ("Habarovsk", "Ussuriisk"). Both sides of a comparison are turned
into keys: Cyrillic words become their lemmas, found by pymorphy3 with its OpenCorpora
dictionaries (it also guesses unknown words from their endings — that is the library's model,
not hand-written suffix rules); Latin words are case-folded with diacritics removed. Every
Cyrillic gazetteer name is also romanised with the schemes researchers meet in English sources
(BGN/PCGN, ICAO passports, Wikipedia, GOST 7.79), so "Habarovsk",
"Khabarovsk", "Ussuriysk" and "Ussuriisk" all reach the same place.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import iuliia

CYRILLIC = re.compile(r"[а-яё]", re.I)
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.U)
# Romanisations of Russian seen in the sources and in GeoNames' alternate names.
# (MVD 782 and Yandex maps spell place names as BGN/PCGN and Wikipedia do.)
SCHEMAS = (iuliia.BGN_PCGN, iuliia.ICAO_DOC_9303, iuliia.WIKIPEDIA, iuliia.GOST_779)
MAX_LEMMAS = 3


@lru_cache(maxsize=1)
def analyzer():
    import pymorphy3
    return pymorphy3.MorphAnalyzer(lang="ru")


def fold(word: str) -> str:
    """Case-folded, ё as е, Latin diacritics removed (Cyrillic й stays й)."""
    if word.isascii():
        return word.lower().replace("’", "'")
    word = word.casefold().replace("ё", "е").replace("’", "'")
    if CYRILLIC.search(word):
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=300_000)
def lemmas(word: str) -> tuple[str, ...]:
    """Keys a word can stand for: its lemmas (place-name readings first) for Russian, else itself."""
    folded = fold(word)
    if not CYRILLIC.search(folded):
        return (folded,)
    parses = sorted(analyzer().parse(folded), key=lambda p: ("Geox" not in p.tag, -p.score))
    keys: list[str] = []
    for parse in parses:
        lemma = parse.normal_form.replace("ё", "е")
        if lemma not in keys:
            keys.append(lemma)
    if folded not in keys:
        keys.append(folded)        # indeclinable names and forms the dictionary does not know
    return tuple(keys[:MAX_LEMMAS + 1])


@lru_cache(maxsize=300_000)
def is_adjective(word: str) -> bool:
    """pymorphy3's best reading is a full adjective ("хабаровских", "Ленинский")."""
    folded = fold(word)
    return bool(CYRILLIC.search(folded)) and "ADJF" in analyzer().parse(folded)[0].tag


def words(name: str) -> list[str]:
    return WORD.findall(name)


def name_keys(name: str, primary: bool = True) -> set[tuple[str, ...]]:
    """Every key tuple a gazetteer name is filed under: the words as written and, for a primary
    Cyrillic name, the words' first lemmas and each romanisation. (Alternate names are filed as
    written only: the text side is lemmatised, which is what meets an inflected form.)"""
    parts = words(name)
    if not parts:
        return set()
    keys = {tuple(fold(w) for w in parts)}
    if primary and CYRILLIC.search(name):
        keys.add(tuple(lemmas(w)[0] for w in parts))
        plain = name.replace("ё", "е").replace("Ё", "Е")
        for schema in SCHEMAS:
            keys.add(tuple(fold(w) for w in words(schema.translate(plain))))
    return keys


def adjective_bases(lemma: str) -> tuple[str, ...]:
    """Place names a relational adjective may come from ("хабаровский" -> "хабаровск",
    "владивостокский" -> "владивосток"): pymorphy3 gives the lemma; the derivation is dropping
    the adjective ending (-ий) or the suffix (-ский). Used only with a noun that follows."""
    if not lemma.endswith(("ский", "цкий")):
        return ()
    return (lemma[:-2], lemma[:-4])
