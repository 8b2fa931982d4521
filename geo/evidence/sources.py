"""The five source documents and the check that a quote is verbatim.

A quote must be the document's own words. The texts are PDF conversions, so matching ignores
what the conversion added: line breaks and runs of white space, footnote markers
(``<sup>n</sup>``), the Amnesty page header, markdown emphasis and ``[text](#)`` links, and the
difference between curly and straight quotes or dashes. A curator may skip words with `` [...] ``;
every part must then be found, in order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.paths import SEEDS_DIR

ELISION = "[...]"

_ARTEFACTS = [
    re.compile(r"<sup>.*?</sup>", re.S),
    re.compile(r"Amnesty International September 1996\s*A[lI] Index: ASA 24/06/96"),
    re.compile(r"A[lI] Index: ASA 24/06/96\s*Amnesty International September 1996"),
]
_LINK = re.compile(r"\[([^\]]*)\]\(#\)")
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " ", "\u00ad": "",
})


@dataclass(frozen=True)
class SourceDocument:
    id: str
    filename: str
    title: str


def normalise(text: str) -> str:
    """The text as the quote check compares it."""
    for pattern in _ARTEFACTS:
        text = pattern.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = text.replace("\\*", "*").replace("**", "").translate(_TRANSLATE)
    return re.sub(r"\s+", " ", text).strip()


def read_catalogue(seeds_dir: Path = SEEDS_DIR) -> dict[str, SourceDocument]:
    """Parse the table in the seeds README: citation id -> document."""
    readme = (seeds_dir / "README.md").read_text(encoding="utf-8")
    docs = {}
    for match in re.finditer(r"^\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|\s*(.+?)\s*\|\s*$", readme, re.M):
        doc_id, filename, title = match.groups()
        docs[doc_id] = SourceDocument(doc_id, filename, title)
    return docs


@lru_cache(maxsize=16)
def _normalised_document(path: Path) -> str:
    return normalise(path.read_text(encoding="utf-8"))


def document_text(doc_id: str, seeds_dir: Path = SEEDS_DIR) -> str:
    """The normalised text of a document, for quote checks."""
    catalogue = read_catalogue(seeds_dir)
    return _normalised_document(seeds_dir / catalogue[doc_id].filename)


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


# Short names for filters, legends and captions; the full citation comes from the seeds README.
DOC_LABELS = {
    "amnesty-1996": "Amnesty International (1996)",
    "un-sr-2016": "UN Special Rapporteur letter (2016)",
    "un-sr-2019": "UN Special Rapporteur report (2019)",
    "memorial-2020": "Memorial / Civic Assistance (2020)",
    "pscore-upr-2023": "PSCORE UPR submission (2023)",
}

# When each document was issued: the data cut-off of a view is the latest of its documents.
DOC_DATES = {
    "amnesty-1996": "September 1996",
    "un-sr-2016": "15 February 2016",
    "un-sr-2019": "2 August 2019",
    "memorial-2020": "2020",
    "pscore-upr-2023": "April 2023",
}
DOC_ORDER = ("amnesty-1996", "un-sr-2016", "un-sr-2019", "memorial-2020", "pscore-upr-2023")
