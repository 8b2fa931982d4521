"""Curated translations of a record's title and outcome (optional register fields
`title_translations` / `outcome_translations`: {ru: …, ko: …}), shown in their language marked as
a translation; the original stays beside them. Quotes are never translated.

The build carries them as one property, `translations` ({"title": {…}, "outcome": {…}}), only on
the records that have any. A public release keeps a translation only where the record's released
text withholds nothing and the redactor leaves the translation itself unchanged: a translation
that might spell a withheld name or place (in Cyrillic or Hangul) is not released.
"""
from __future__ import annotations

from collections.abc import Mapping

from geo.language import _, current, using

FIELDS = ("title", "outcome")
WITHHELD_MARK = "withheld"     # "[name withheld]", "[place withheld: …]"


def translation(record: Mapping, fld: str, lang: str | None = None) -> str | None:
    """The curated translation of `fld` ("title" or "outcome") in `lang`, or None."""
    lang = lang or current()
    found = record.get("translations") if hasattr(record, "get") else None
    if lang == "en" or not isinstance(found, Mapping):
        return None
    text = (found.get(fld) or {}).get(lang)
    return text if isinstance(text, str) and text.strip() else None


def marked(text: str) -> str:
    """A translation as shown: the text, then "(translation)" in the interface's language."""
    return text + " (" + _("translation") + ")"


def title_shown(record: Mapping, lang: str | None = None) -> str:
    """A title as a list shows it: the curated translation, marked, when there is one, else the
    original (evidence: never machine-translated)."""
    text = translation(record, "title", lang)
    if not text:
        return record["title"]
    with using(lang or current()):
        return marked(text)


def released(incidents, redactor):
    """The `translations` column as a public release may show it (see the module's note)."""
    if "translations" not in incidents.columns:
        return incidents
    kept = []
    for row in incidents.itertuples(index=False):
        found = getattr(row, "translations")
        if not isinstance(found, Mapping):
            kept.append(None)
            continue
        safe = {}
        for fld, by_lang in found.items():
            original = getattr(row, fld, None)
            if not isinstance(by_lang, Mapping) or not isinstance(original, str) or WITHHELD_MARK in original:
                continue
            ok = {lang: text for lang, text in by_lang.items() if isinstance(text, str) and redactor.text(text) == text}
            if ok:
                safe[fld] = ok
        kept.append(safe or None)
    return incidents.assign(translations=kept)
