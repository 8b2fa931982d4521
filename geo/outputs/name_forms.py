"""Finding a listed personal name in any of the forms a text may use it in.

A record lists the forms it met (`people_names`: "Tsoi", "Valery Zaidulin"); other texts use
others. `NameMatcher` finds, in English or Russian text:

- the **whole name** around a listed part: "Tsoi" listed, "Tsoi Myung Bok" is one name (the
  romanised Korean syllables and Russian given names beside a listed part belong to it), so the
  whole run is matched, never "[name withheld] Myung Bok";
- **plurals and possessives**: "the Zaidulins", "Kim's", "the Kims'";
- **Russian inflected forms** in Russian text ("Цоя", "Заидулиных", "Кимом"): each Cyrillic
  word's lemmas (pymorphy3) are romanised with the schemes English sources use (iuliia), so they
  meet the listed Latin form;
- **transliteration variants**: every form is compared through a key that merges the spellings
  romanisations differ in (Tsoi/Tsoy/Tsoj/Цой, Zaidulin/Zaydulin, Valery/Valeriy/Valerij,
  Lyudmila/Ludmila), and a listed Korean family name also stands for its other romanisations
  (Lee/Li/Ri/Rhee, Park/Pak/Bak, Choi/Choe/Tsoi, Jong/Jeong/Chong/Chung, Ryu/Yu/Yoo).

Public figures (heads of state, the reports' authors) are matched first and kept, so a listed
"Kim" never eats "Kim Jong Un" and a listed "Lee" leaves the author "Moonyoung Lee" alone.
Where it must guess, it errs towards withholding: a word taken for part of a name is withheld.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from geo.ingest.lexicon import PUBLIC_FIGURES as LEXICON_PUBLIC_FIGURES, RUSSIAN_GIVEN_NAMES
from geo.places import morphology

# Other romanisations of Korean family names (McCune–Reischauer, Revised Romanization, Russian
# Kontsevich, and the spellings families use). A listed family name stands for all of its group.
KOREAN_FAMILY_NAMES = (
    ("kim", "gim"), ("lee", "li", "ri", "rhee", "rhie"), ("park", "pak", "bak", "pack"),
    ("choi", "choe", "chwe", "tsoi", "tsoy", "coj"), ("jong", "jeong", "chong", "chung", "jung", "cheong", "chon"),
    ("ryu", "yu", "ryoo", "rhyu", "riu"), ("kwon", "gwon"), ("kang",), ("lim", "rim"),
    ("yoon", "yun"), ("moon", "mun"), ("shin",), ("jang", "chang"), ("seo", "suh"),
    ("baek", "paek", "paik"), ("cho", "jo"), ("hwang",), ("song",), ("han",), ("hong",), ("kwak", "gwak"),
)
# Words that may stand capitalised next to a name but are not part of it.
NOT_NAME_PARTS = frozenset("""
a an and as at be but by dear do for from go had has he her him his i in into is it its me mr mrs ms
miss mister dr madam my no not of oh ok on one or our sir so than that the their them then they this
to too up us was we when who why yes yet you your may june july
""".split())
# A romanised Korean syllable ("Myung", "Bok", "Keun", "Cheul", "Gyong"), alone or hyphenated.
_SYLLABLE = r"(?:[bcdghjklmnprstwy]|ch|kk|tt|pp|ss|jj|sh|ts)?[aeiouwy]{1,3}(?:ng|n|m|l|k|p|t|r|b)?"
_KOREAN_GIVEN = re.compile(rf"{_SYLLABLE}(?:-{_SYLLABLE})?", re.I)
_WORD = re.compile(r"[^\W\d_]+", re.U)
# Between the words of one listed form: spaces, a hyphen, a full stop ("Mr. Park"), quotes (Mr "Kim").
_FORM_GAP = re.compile(r"[\s\-.\"“”«»'‘’]{1,4}")
# Between a name and a word taken into it: a space or a hyphen, nothing else.
_RUN_GAP = re.compile(r"[ \t\u00a0]{1,2}|-|[ \t]?\n[ \t]?")
_POSSESSIVE = re.compile(r"['’]s\b|s['’](?!\w)|['’](?=\s)")
_CYRILLIC = morphology.CYRILLIC
_VOWELS = "aeiou"


def canon(word: str) -> str:
    """A key that merges the spellings romanisations of one name differ in."""
    w = morphology.fold(word)
    if _CYRILLIC.search(w):
        return w
    w = unicodedata.normalize("NFKD", w)
    w = "".join(c for c in w if c.isalpha() and not unicodedata.combining(c))
    for pattern, repl in _CANON_STEPS:
        w = pattern.sub(repl, w)
    return w


_CANON_STEPS = tuple((re.compile(p), r) for p, r in (
    (r"shch|sch|shh", "Щ"), (r"zh", "Ж"), (r"kh", "Х"), (r"ch", "Ч"), (r"sh", "Ш"), (r"ts|tz|cz|c", "Ц"),
    (r"h", "Х"), (r"w", "v"), (r"ee", "i"), (r"oo|ou", "u"), (r"y", "i"), (rf"(?<=[{_VOWELS}])j", "i"),
    (r"(.)\1+", r"\1"),                       # Zaidullin, Valerii, Anna
    (r"^i(?=e)", ""),                         # Yelena / Elena
    (rf"(?<=[^{_VOWELS}i])i(?=[aeuo])", ""),  # Lyudmila / Ludmila, Tatyana / Tatiana, Ryu / Ru
))


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> frozenset[str]:
    """Keys of a word as it stands in a text: itself, and for a Russian word its lemmas, each
    romanised in every scheme."""
    folded = morphology.fold(word)
    if not _CYRILLIC.search(folded):
        return frozenset({canon(word)})
    forms = {folded} | {p.normal_form for p in morphology.analyzer().parse(folded)[:4]}
    plain = [f.replace("ё", "е") for f in forms]
    return frozenset(canon(schema.translate(f)) for f in plain for schema in morphology.SCHEMAS)


@lru_cache(maxsize=50_000)
def is_name_part(word: str) -> bool:
    """A capitalised word that can belong to a personal name next to a listed one: a romanised
    Korean syllable, a Russian given name, or a Russian word pymorphy3 reads as a name."""
    if not word[:1].isupper() or word.casefold() in NOT_NAME_PARTS:
        return False
    if _CYRILLIC.search(word):
        return any({"Name", "Surn", "Patr"} & set(p.tag.grammemes) for p in morphology.analyzer().parse(word.lower())[:4])
    return bool(_KOREAN_GIVEN.fullmatch(word)) or canon(word) in _GIVEN_KEYS


_GIVEN_KEYS = frozenset(canon(n) for n in RUSSIAN_GIVEN_NAMES)
_FAMILY_GROUPS = {canon(v): frozenset(canon(x) for x in group) for group in KOREAN_FAMILY_NAMES for v in group}


@dataclass(frozen=True)
class _Form:
    keys: tuple[frozenset[str], ...]   # per word: the keys it may take
    words: tuple[str, ...]             # the words as listed, folded
    public: bool


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str


class NameMatcher:
    """Spans of a text that are a listed name (whole, with its variants), public figures kept."""

    def __init__(self, names: Iterable[str], keep: Iterable[str] = ()):
        self.names = tuple(sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True))
        forms = [self._form(n, public=False) for n in self.names]
        forms += [self._form(k, public=True) for k in {*keep, *LEXICON_PUBLIC_FIGURES}]
        self._by_first: dict[str, list[_Form]] = {}
        for form in filter(None, forms):
            for key in form.keys[0]:
                self._by_first.setdefault(key, []).append(form)
        for listed in self._by_first.values():
            listed.sort(key=lambda f: (-len(f.keys), not f.public))   # longest first; a figure wins a tie
        self.listed_keys = frozenset(k for f in forms if f and not f.public for ks in f.keys for k in ks)

    @staticmethod
    def _form(name: str, public: bool) -> _Form | None:
        words = _WORD.findall(name)
        keys = []
        for w in words:
            own = word_keys(w)
            if len(words) == 1 or not public:
                own = own | frozenset(k for key in own for k in _FAMILY_GROUPS.get(key, ()))
            keys.append(frozenset(k for k in own if len(k) >= 2))   # "Yi" -> "i" would be the pronoun
        if not words or not all(keys):
            return None
        return _Form(tuple(keys), tuple(morphology.fold(w) for w in words), public)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every listed name in the text, each widened to the whole name."""
        tokens = [_Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        found: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            match = self._match_at(tokens, i, text)
            if match is None:
                i += 1
                continue
            n, public = match
            if public:
                i += n
                continue
            first, last = self._widen(tokens, i, i + n - 1, text)
            end = tokens[last].end
            found.append((tokens[first].start, end))
            i = last + 1
        return found

    def _match_at(self, tokens: list[_Token], i: int, text: str) -> tuple[int, bool] | None:
        keys = self._keys(tokens[i].word, last=True)
        candidates = [f for key in keys for f in self._by_first.get(key, ())]
        candidates.sort(key=lambda f: (-len(f.keys), not f.public))
        for form in candidates:
            n = len(form.keys)
            if i + n > len(tokens):
                continue
            ok = True
            for k in range(n):
                token = tokens[i + k]
                if k and not _FORM_GAP.fullmatch(text[tokens[i + k - 1].end:token.start]):
                    ok = False
                    break
                if not (self._keys(token.word, last=k == n - 1) & form.keys[k]) or \
                        not (form.public or _plausible(token.word, form.words[k])):
                    ok = False
                    break
            if ok and (form.public or self._looks_like_a_name(tokens[i:i + n])):
                return n, form.public
        return None

    @staticmethod
    def _keys(word: str, last: bool) -> frozenset[str]:
        keys = word_keys(word)
        if last and word[:1].isupper() and not _CYRILLIC.search(word) and len(word) > 3:
            if word.endswith("es"):               # the Zaidulins, the Lees
                keys = keys | word_keys(word[:-2]) | word_keys(word[:-1])
            elif word.endswith("s"):
                keys = keys | word_keys(word[:-1])
        return keys

    @staticmethod
    def _looks_like_a_name(tokens: list[_Token]) -> bool:
        """A Russian word must be capitalised to be a name ("ли" is a particle, "Ли" a family name)."""
        return all(t.word[:1].isupper() or not _CYRILLIC.search(t.word) for t in tokens)

    def _widen(self, tokens: list[_Token], first: int, last: int, text: str) -> tuple[int, int]:
        """Take in the name parts written next to the match: "Tsoi" -> "Tsoi Myung Bok"."""
        if not _POSSESSIVE.match(text, tokens[last].end):
            while last + 1 < len(tokens) and _RUN_GAP.fullmatch(text[tokens[last].end:tokens[last + 1].start]) \
                    and self._joins(tokens, last + 1, text):
                last += 1
                if _POSSESSIVE.match(text, tokens[last].end):
                    break
        while first > 0 and _RUN_GAP.fullmatch(text[tokens[first - 1].end:tokens[first].start]) \
                and self._joins(tokens, first - 1, text):
            first -= 1
        return first, last

    def _joins(self, tokens: list[_Token], j: int, text: str) -> bool:
        word = tokens[j].word
        match = self._match_at(tokens, j, text)
        if match is not None and match[1]:      # the start of a public figure's name
            return False
        return is_name_part(word) or (word[:1].isupper() and bool(word_keys(word) & self.listed_keys))


def _plausible(word: str, listed: str) -> bool:
    """A word that matched a listed one only through its key (another spelling, a plural) must be
    written as a name is: capitalised, and not a common word ("You" is a key-twin of "Yu", "RU"
    of "Ryu"). A short word must be capitalised even when it is the listed form ("Su", not "su")."""
    folded = morphology.fold(word)
    titled = word[:1].isupper() and (len(word) == 1 or not word[1:].isupper())
    if len(word) <= 2 and not titled:
        return False
    if folded == listed or _CYRILLIC.search(word):
        return True
    return titled and folded not in NOT_NAME_PARTS


def possessive_after(text: str, end: int) -> str:
    """The possessive ending written right after a name ("'s", "’s", "s'"), to keep it readable."""
    m = _POSSESSIVE.match(text, end)
    return m.group() if m else ""
