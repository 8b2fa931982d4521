"""The source documents kept in the project (data/sources/) and the check that a quote is verbatim.

The registry: `catalogue()` lists every document (metadata from data/sources/sources.yaml),
`document(id)` gives one, `text(id)` its stored text exactly, `document_text(id)` the text as the
quote check compares it, `register(...)` adds one (text, original and metadata written atomically),
`hash_problems()` recomputes every sha256 (chain of custody). `label`, `published_label` and
`chronological` are what legends, filters and export captions show.

A quote must be the document's own words. The texts are PDF conversions, so matching ignores
what the conversion added: line breaks and runs of white space, footnote markers
(``<sup>12</sup>``: digits only; other ``<sup>`` tags are dropped and their words kept), the
Amnesty page header, markdown emphasis and ``[text](#)`` links, and the difference between curly
and straight quotes or dashes. A curator may skip words with `` [...] ``; every part must then be
found, in order.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from geo.deployment import refuse_writes
from geo.errors import GeoError
from geo.language import _, current, locale
from geo.paths import SOURCES_DIR
from geo.writing import write_atomically

ELISION = "[...]"

_ARTEFACTS = [
    # a footnote marker: digits only (<sup>12</sup>). Any other <sup>…</sup> keeps its words (the tags
    # go, below), so invented words wrapped in <sup> inside a quote are still compared.
    re.compile(r"<sup>\s*[0-9]{1,4}\s*</sup>"),
    re.compile(r"Amnesty International September 1996\s*A[lI] Index: ASA 24/06/96"),
    re.compile(r"A[lI] Index: ASA 24/06/96\s*Amnesty International September 1996"),
]
_SUP_TAG = re.compile(r"</?sup>")
_LINK = re.compile(r"\[([^\]]*)\]\(#\)")
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " ", "\u00ad": "",
})


def normalise(text: str) -> str:
    """The text as the quote check compares it."""
    for pattern in _ARTEFACTS:
        text = pattern.sub(" ", text)
    text = _SUP_TAG.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = text.replace("\\*", "*").replace("**", "").translate(_TRANSLATE)
    return re.sub(r"\s+", " ", text).strip()


def quote_problem(quote: str, text: str) -> str | None:
    """Why a quote is not verbatim in the (normalised) text, or None when it is."""
    parts = [normalise(p) for p in quote.split(ELISION)]
    if not any(parts):
        return "the quote is empty"
    position = 0
    for part in parts:
        if not part:
            continue
        found = text.find(part, position)
        if found < 0:
            elsewhere = text.find(part)
            if elsewhere >= 0:
                return f"the part {part[:60]!r} is found, but not after the part before it"
            return f"not found verbatim: {_longest_found_prefix(part, text)}"
        position = found + len(part)
    return None


def _longest_found_prefix(part: str, text: str) -> str:
    """Point the curator at where the quote stops matching."""
    words = part.split(" ")
    lo, hi = 0, len(words)
    while lo < hi:  # binary search the longest word prefix found in the text
        mid = (lo + hi + 1) // 2
        if " ".join(words[:mid]) in text:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return f"even its first word {words[0]!r} is not in the document"
    matched = " ".join(words[:lo])
    return f"matches up to ...{matched[-50:]!r}, then differs at {' '.join(words[lo:lo + 6])!r}"



# -- the registry -------------------------------------------------------------------------------

CATALOGUE_FILE = "sources.yaml"
FIELDS = ("id", "title", "short_title", "author", "publisher", "published", "published_as_written",
          "language", "format", "obtained_from", "licence", "original_file", "original_sha256",
          "text_file", "text_sha256", "pages", "page_labels", "added")
REQUIRED = ("id", "title", "published", "language", "text_file", "text_sha256", "original_sha256")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PUBLISHED_PATTERN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


class SourceError(GeoError):
    """The source catalogue or a document in it is unusable; the message names file, entry and field."""


@dataclass(frozen=True)
class SourceDocument:
    """One registered document. `pages` holds the character offset where each page starts in the
    stored text (empty for unpaginated text); `page_labels` the printed page numbers if they differ."""
    id: str
    title: str
    published: str                       # ISO 8601, as precise as the document: YYYY, YYYY-MM, YYYY-MM-DD
    language: str
    text_file: str
    text_sha256: str
    original_sha256: str
    short_title: str = ""
    author: str = ""
    publisher: str = ""
    published_as_written: str = ""
    format: str = ""
    obtained_from: str = ""
    licence: str = ""
    original_file: str = ""
    pages: tuple[int, ...] = field(default=())
    page_labels: tuple[str, ...] = field(default=())
    added: str = ""

    @property
    def filename(self) -> str:
        return self.text_file

    @property
    def label(self) -> str:
        return self.short_title or self.id

    def page_at(self, offset: int) -> str | None:
        """The page label ("12", "iv") of a character offset in the stored text; None if unpaginated."""
        if not self.pages:
            return None
        index = max(0, _bisect_right(self.pages, offset) - 1)
        return self.page_labels[index] if index < len(self.page_labels) else str(index + 1)

    def as_dict(self) -> dict:
        record = asdict(self)
        record["pages"], record["page_labels"] = list(self.pages), list(self.page_labels)
        return {name: record[name] for name in FIELDS}


def _bisect_right(values: tuple[int, ...], x: int) -> int:
    import bisect
    return bisect.bisect_right(values, x)


def _entry(raw: object, where: str) -> SourceDocument:
    if not isinstance(raw, dict):
        raise SourceError(f"{where}: each entry must be a mapping of fields")
    doc_id = str(raw.get("id") or "?")
    unknown = set(raw) - set(FIELDS)
    if unknown:
        raise SourceError(f"{where}: {doc_id}: unknown field(s) {', '.join(sorted(unknown))}")
    for name in REQUIRED:
        if not str(raw.get(name) or "").strip():
            raise SourceError(f"{where}: {doc_id}: {name}: missing")
    if not ID_PATTERN.match(doc_id):
        raise SourceError(f"{where}: {doc_id}: id: use lowercase a-z, 0-9 and '-'")
    if not PUBLISHED_PATTERN.match(str(raw["published"])):
        raise SourceError(f"{where}: {doc_id}: published: {raw['published']!r} is not YYYY, YYYY-MM or "
                          "YYYY-MM-DD (quote it in YAML)")
    values = {name: raw.get(name) for name in FIELDS if raw.get(name) is not None}
    values = {k: (tuple(v) if k in ("pages", "page_labels") else str(v).strip()) for k, v in values.items()}
    values["pages"] = tuple(int(p) for p in values.get("pages", ()))
    values["page_labels"] = tuple(str(p) for p in values.get("page_labels", ()))
    return SourceDocument(**values)


@lru_cache(maxsize=8)
def _read_catalogue(path: Path, stamp: tuple[int, int]) -> dict[str, SourceDocument]:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise SourceError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    docs: dict[str, SourceDocument] = {}
    for n, raw in enumerate(entries if isinstance(entries, list) else [entries], 1):
        doc = _entry(raw, f"{path} entry {n}")
        if doc.id in docs:
            raise SourceError(f"{path}: {doc.id}: id: listed twice")
        docs[doc.id] = doc
    return docs


def catalogue(sources_dir: Path = SOURCES_DIR) -> dict[str, SourceDocument]:
    """Every registered document, in the order of the catalogue file (re-read when it changes)."""
    path = Path(sources_dir) / CATALOGUE_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise SourceError(f"the source catalogue {path} is missing") from None
    return dict(_read_catalogue(path, (stat.st_mtime_ns, stat.st_size)))


read_catalogue = catalogue   # the name the build and older callers use


def document(doc_id: str, sources_dir: Path = SOURCES_DIR) -> SourceDocument:
    docs = catalogue(sources_dir)
    if doc_id not in docs:
        raise SourceError(f"unknown document {doc_id!r}; registered: {', '.join(docs)}")
    return docs[doc_id]


def text(doc_id: str, sources_dir: Path = SOURCES_DIR) -> str:
    """The stored text of a document exactly (offsets in candidates and locators refer to it)."""
    return _stored_text(Path(sources_dir) / document(doc_id, sources_dir).text_file)


@lru_cache(maxsize=32)
def _stored_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=32)
def _normalised_document(path: Path) -> str:
    return normalise(path.read_text(encoding="utf-8"))


def document_text(doc_id: str, sources_dir: Path = SOURCES_DIR) -> str:
    """The normalised text of a document, for quote checks."""
    return _normalised_document(Path(sources_dir) / document(doc_id, sources_dir).text_file)


def label(doc_id: str, sources_dir: Path = SOURCES_DIR) -> str:
    """Short name for legends, filters and captions; the id itself for an unregistered document."""
    doc = catalogue(sources_dir).get(doc_id)
    return doc.label if doc else doc_id


def labels(sources_dir: Path = SOURCES_DIR) -> dict[str, str]:
    """{id: short name} for every registered document."""
    return {d.id: d.label for d in catalogue(sources_dir).values()}


def about_lines(sources_dir: Path = SOURCES_DIR) -> list[str]:
    """One plain-text line per document for an "About the data" page: citation, publisher, date,
    language, where it was obtained, the licence or notice, and the stored text's sha256."""
    return [f"{d.id} — {d.title} " + _("Published {date} by {publisher}; language {language}; obtained: {where}.").format(
                date=published_label(d.id, sources_dir), publisher=d.publisher or d.author, language=d.language,
                where=d.obtained_from) + f" {d.licence} " + _("Text sha256 {digest}…").format(digest=d.text_sha256[:12])
            for d in catalogue(sources_dir).values()]


def published_label(doc_id: str, sources_dir: Path = SOURCES_DIR) -> str:
    """When the document was issued, as a person reads it: "15 February 2016", "September 1996"."""
    doc = catalogue(sources_dir).get(doc_id)
    if doc is None:
        return _("unknown")
    parts = doc.published.split("-")
    if current() != "en" and len(parts) > 1:    # in the interface's language: CLDR's month names
        from babel.dates import format_skeleton
        day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
        return format_skeleton("yMMMMd" if len(parts) == 3 else "yMMMM", day, locale=locale())
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def chronological(doc_ids, sources_dir: Path = SOURCES_DIR) -> list[str]:
    """Registered documents among `doc_ids`, oldest first (the data cut-off is the last one)."""
    docs = catalogue(sources_dir)
    return sorted((d for d in set(doc_ids) if d in docs), key=lambda d: (docs[d].published, d))


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def hash_problems(sources_dir: Path = SOURCES_DIR) -> list[str]:
    """Recompute every hash in the catalogue: one line per file that is missing or has changed."""
    sources_dir = Path(sources_dir)
    problems = []
    for doc in catalogue(sources_dir).values():
        checks = [(doc.text_file, doc.text_sha256, "text_sha256")]
        if doc.original_file:
            checks.append((doc.original_file, doc.original_sha256, "original_sha256"))
        for name, expected, fld in checks:
            path = sources_dir / name
            if not path.is_file():
                problems.append(f"{doc.id}: {fld}: {path} is missing")
            elif sha256_hex(path.read_bytes()) != expected:
                problems.append(f"{doc.id}: {fld}: {path} no longer matches its recorded sha256")
    return problems


def register(doc: SourceDocument, stored_text: str, original: bytes | None = None,
             original_name: str | None = None, sources_dir: Path = SOURCES_DIR) -> SourceDocument:
    """Add a document: its text, its original (kept under originals/ when given) and its catalogue
    entry are written together, atomically; on any problem nothing is written. Refuses a duplicate
    id and a file or text already registered under another id."""
    refuse_writes(f"registering document {doc.id!r}")
    sources_dir = Path(sources_dir)
    existing = catalogue(sources_dir)
    if doc.id in existing:
        raise SourceError(f"a document with id {doc.id!r} is already registered; choose another --id")
    for other in existing.values():
        if doc.original_sha256 in (other.original_sha256, other.text_sha256) or doc.text_sha256 == other.text_sha256:
            raise SourceError(f"this file is already registered as {other.id!r} (same sha256); nothing was written")
    files: dict[Path, str | bytes] = {sources_dir / doc.text_file: stored_text}
    if original is not None and original_name:
        files[sources_dir / original_name] = original
    entry = yaml.safe_dump([doc.as_dict()], allow_unicode=True, sort_keys=False, width=100)
    catalogue_path = sources_dir / CATALOGUE_FILE
    files[catalogue_path] = catalogue_path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + entry
    clashes = [p for p in files if p != catalogue_path and p.exists()]
    if clashes:
        raise SourceError(f"{clashes[0]} already exists; nothing was written")
    write_atomically(files)
    return doc


# -- where a quote is in the stored text ----------------------------------------------------------

def locate_quote(quote: str, raw_text: str) -> tuple[int, int] | None:
    """Character offsets (start, end) in the stored text of the first verbatim match of `quote`
    (elisions: from its first part to its last), or None. For highlighting a quote in its document
    and for the geoparser benchmark; the quote check itself compares normalised texts."""
    whole = normalise(raw_text)
    parts = [normalise(p) for p in quote.split(ELISION) if normalise(p)]
    if not parts:
        return None
    first = whole.find(parts[0])
    if first < 0:
        return None
    last_end, position = first + len(parts[0]), first + len(parts[0])
    for part in parts[1:]:
        found = whole.find(part, position)
        if found < 0:
            return None
        position = last_end = found + len(part)
    start = _anchor(raw_text, _raw_offset(raw_text, first), parts[0].split(" ")[:3], at_end=False)
    end = _anchor(raw_text, _raw_offset(raw_text, last_end), parts[-1].split(" ")[-3:], at_end=True)
    return (start, end) if start is not None and end is not None and start < end else None


class QuoteLocator:
    """locate_quote for many quotes of one document (a review screen locates every record's quotes
    at once): the text is normalised once, paragraph by paragraph, with the raw offset of each
    paragraph, so a match costs a search and a snap onto the raw words instead of a binary search
    of prefixes. A quote that runs across a conversion artefact split by a paragraph break falls
    back to locate_quote."""

    def __init__(self, raw_text: str):
        self.raw = raw_text
        self.blocks: list[tuple[int, int]] = []        # (offset in joined normalised text, raw offset)
        parts, position = [], 0
        for match in re.finditer(r"[^\n\f]+(?:\n(?![\n\f])[^\n\f]*)*", raw_text):
            block = normalise(match.group())
            if block:
                self.blocks.append((position, match.start()))
                parts.append(block)
                position += len(block) + 1
        self.whole = " ".join(parts)
        self._starts = [b[0] for b in self.blocks]

    def _approximate(self, offset: int) -> int:
        i = max(0, _bisect_right(tuple(self._starts), offset) - 1)
        normalised_start, raw_start = self.blocks[i]
        return min(len(self.raw), raw_start + (offset - normalised_start))

    def __call__(self, quote: str) -> tuple[int, int] | None:
        parts = [normalise(p) for p in quote.split(ELISION) if normalise(p)]
        if not parts or not self.blocks:
            return None
        first = self.whole.find(parts[0])
        position = last_end = first + len(parts[0])
        for part in parts[1:] if first >= 0 else ():
            found = self.whole.find(part, position)
            if found < 0:
                first = -1
                break
            position = last_end = found + len(part)
        if first < 0:
            return locate_quote(quote, self.raw)
        start = _anchor(self.raw, self._approximate(first), parts[0].split(" ")[:3], at_end=False)
        end = _anchor(self.raw, self._approximate(last_end), parts[-1].split(" ")[-3:], at_end=True)
        if start is None or end is None or start >= end:
            return locate_quote(quote, self.raw)
        return start, end


@lru_cache(maxsize=8)
def _quote_locator(path: Path) -> QuoteLocator:
    return QuoteLocator(_stored_text(path))


def find_quote(doc_id: str, quote: str, sources_dir: Path = SOURCES_DIR) -> tuple[int, int] | None:
    """Offsets of `quote` in the stored text of a registered document (see QuoteLocator)."""
    return _quote_locator(Path(sources_dir) / document(doc_id, sources_dir).text_file)(quote)


def _raw_offset(raw_text: str, normalised_offset: int) -> int:
    """About where the `normalised_offset`-th normalised character comes from in the raw text
    (binary search: the normalised length of a prefix grows with the prefix, except inside a
    conversion artefact cut in half, which `_anchor` corrects)."""
    lo, hi = 0, len(raw_text)
    while lo < hi:
        mid = (lo + hi) // 2
        if len(normalise(raw_text[:mid])) >= normalised_offset:
            hi = mid
        else:
            lo = mid + 1
    return lo


_LOOSE = {"'": "['\u2018\u2019\u201a\u201b]", '"': '["\u201c\u201d\u201e\u00ab\u00bb]',
          "-": "[-\u2013\u2014\u2011]"}


def _loose(word: str) -> str:
    """A regex for a normalised word that also matches its curly quotes and dashes."""
    return "".join(_LOOSE.get(c, re.escape(c)) for c in word)


def _anchor(raw_text: str, near: int, words: list[str], at_end: bool) -> int | None:
    """Snap an approximate offset onto the quote's first (or last) words as the raw text has them."""
    pattern = re.compile(r"\s+".join(_loose(w) for w in words if w))
    window_start = max(0, near - 400)
    matches = [m for m in pattern.finditer(raw_text, window_start, min(len(raw_text), near + 400))]
    if not matches:
        return None
    best = min(matches, key=lambda m: abs((m.end() if at_end else m.start()) - near))
    return best.end() if at_end else best.start()


def __getattr__(name: str):
    """DOC_LABELS / DOC_DATES / DOC_ORDER, read from the catalogue (older imports keep working)."""
    if name == "DOC_LABELS":
        return labels()
    if name == "DOC_DATES":
        return {d: published_label(d) for d in catalogue()}
    if name == "DOC_ORDER":
        return tuple(chronological(catalogue()))
    raise AttributeError(name)
