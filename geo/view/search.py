"""Record search for the record picker: every word of the query must appear in one of the fields
a person would search by (title, place as written and resolved, region, type, date, id)."""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

SEARCHED = ("title", "place_as_written", "place_name", "subject_name", "type_label", "date_label",
            "date_as_written", "id")


def fold(text: str) -> str:
    """Case- and accent-insensitive form ('Khabárovsk' finds 'Khabarovsk'; ё finds е)."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_text(incidents: pd.DataFrame) -> pd.Series:
    """One folded line per record with every searched field (build once per dataset)."""
    columns = [incidents[c].fillna("").astype(str) for c in SEARCHED if c in incidents.columns]
    joined = columns[0].str.cat(columns[1:], sep=" | ") if columns else pd.Series("", index=incidents.index)
    return joined.map(fold)


def matches(text: pd.Series, query: str | None) -> np.ndarray:
    """True for the records whose search text holds every word of `query` (all when it is empty)."""
    words = fold(query or "").split()
    mask = np.ones(len(text), dtype=bool)
    for word in words:
        mask &= text.str.contains(word, regex=False).to_numpy()
    return mask
