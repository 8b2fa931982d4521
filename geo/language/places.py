"""Place names in the interface's language, from the project's geodata (GeoNames, Natural Earth).

- Russian: the curated gazetteer's `name_ru` (data/gazetteer.csv), the Russian names of the
  federal subjects (data/boundaries, from Natural Earth) and the cross-border places' exonyms.
- Korean: a GeoNames alternate name in Hangul (data/geodata/ru_places.csv) for a settlement the
  gazetteer takes from GeoNames, when GeoNames has exactly one (several — 레닌그라드, 상트페테르부르크
  for Saint Petersburg — are ambiguous: the English name is kept); the subjects' Korean names from
  Natural Earth (data/geodata/russia_admin1.geojson; an oblast gets the 주 Natural Earth leaves
  out); the cross-border places' `name_ko`.
- Otherwise, and always in English, the English name.

A name is translated only when the record shows the English name of that place id: a public
release that moved a record to its region shows the region (and its translation), never more.
A place *as written* is evidence and is never translated.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.language import current
from geo.paths import GAZETTEER_CSV, GEODATA_DIR, SUBJECTS_GEOJSON

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


@dataclass(frozen=True)
class PlaceNames:
    """{place id: {language: name}}; English is the name the build gives the place."""
    names: dict[str, dict[str, str]]

    def name(self, place_id, english, lang: str | None = None) -> str:
        """The place's name in `lang` (default: the active language) when `english` is the English
        name of `place_id`; else `english` unchanged (a withheld or unknown place stays as it is)."""
        lang = lang or current()
        if lang == "en" or not isinstance(place_id, str) or not isinstance(english, str):
            return english
        known = self.names.get(place_id)
        if not known or known.get("en") != english:
            return english
        return known.get(lang) or english


def korean_names(alternate_names: str) -> list[str]:
    """The Hangul names among GeoNames' alternate names ('…|モスクワ|莫斯科|모스크바')."""
    return [n for n in (alternate_names or "").split("|") if HANGUL.search(n)]


def korean_subject(props: dict) -> str:
    """Natural Earth's Korean name of a federal subject, with 주 for an oblast where it is left
    out (아무르 → 아무르주: Amur Oblast, not the river; 모스크바주 is not the city 모스크바)."""
    name = props.get("name_ko") or ""
    if name and (props.get("name_en") or "").endswith("Oblast") and not name.endswith("주"):
        name += "주"
    return name


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=4)
def place_names(geodata_dir: Path = GEODATA_DIR, gazetteer_csv: Path = GAZETTEER_CSV,
                subjects_geojson: Path = SUBJECTS_GEOJSON) -> PlaceNames:
    from geo.places.gazetteer import COUNTRY_NAMES
    from geo.language import using

    names: dict[str, dict[str, str]] = {}
    for code in COUNTRY_NAMES:           # the countries: the catalogue's translations
        names[code] = {}
        for lang in ("en", "ru", "ko"):
            with using(lang):
                names[code][lang] = COUNTRY_NAMES[code]
    subjects = json.loads(subjects_geojson.read_text(encoding="utf-8"))["features"]
    admin1 = json.loads((geodata_dir / "russia_admin1.geojson").read_text(encoding="utf-8"))["features"]
    korean_subjects = {f["properties"]["iso_3166_2"]: korean_subject(f["properties"]) for f in admin1}
    for f in subjects:
        p = f["properties"]
        names[p["code"]] = {"en": p["name"], "ru": p.get("name_ru") or "", "ko": korean_subjects.get(p["code"]) or ""}
    for row in _csv(geodata_dir / "cross_border.csv"):
        entry = {"en": row["name"], "ru": row.get("name_ru") or "", "ko": row.get("name_ko") or ""}
        names[row["id"]] = entry
        names.setdefault(row["source"], entry)
    geonames = {}
    for r in _csv(geodata_dir / "ru_places.csv"):    # the gazetteer of all Russia's ids (search, proposals)
        geonames[r["geonameid"]] = r["alternate_names"]
        hangul = korean_names(r["alternate_names"])
        names[f"geonames:{r['geonameid']}"] = {"en": r["name"], "ru": r.get("name_ru") or "",
                                               "ko": hangul[0] if len(hangul) == 1 else ""}
    for row in _csv(gazetteer_csv):
        entry = {"en": row["name"], "ru": row.get("name_ru") or ""}
        source = row.get("source") or ""
        # A GeoNames id on a district or a site row is the town it is near: its names are the town's.
        if source.startswith("geonames:") and row.get("precision") == "settlement":
            hangul = korean_names(geonames.get(source.split(":", 1)[1], ""))
            if len(hangul) == 1:
                entry["ko"] = hangul[0]
        names[row["id"]] = entry
    return PlaceNames(names)


def place_name(place_id, english, lang: str | None = None) -> str:
    return place_names().name(place_id, english, lang)


@lru_cache(maxsize=1)
def _geonames_names(geodata_dir: Path = GEODATA_DIR) -> dict[str, tuple[str, ...]]:
    """{"geonames:<id>": (English, Russian, every Hangul alternate)} of the Russian extract."""
    return {f"geonames:{r['geonameid']}": (r["name"], r.get("name_ru") or "", *korean_names(r["alternate_names"]))
            for r in _csv(geodata_dir / "ru_places.csv")}


def names_in_every_language(place_ids) -> frozenset[str]:
    """Every name this module could show for these places, in any language: what a public release
    that withholds them must keep off a map (a translated label would otherwise slip through)."""
    names = place_names()
    geonames = _geonames_names()
    found: set[str] = set()
    for pid in place_ids:
        found.update(v for v in names.names.get(pid, {}).values() if v)
        found.update(v for v in geonames.get(pid, ()) if v)
    return frozenset(found)
