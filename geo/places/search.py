"""Find a place by what a researcher types into the record form, and where a clicked point lies.

`search_places("Хабаровске")`, `search_places("Habarovsk")`, `search_places("khabar")` all find
Khabarovsk: the query's words are compared as the geoparser compares running text (Russian words
by their lemmas, Latin words case-folded, every Cyrillic name also under its romanisations — see
geo.places.morphology), and a query that names nothing yet is matched as the beginning of a name,
so the list fills while one types. Whole-name matches come first, then the curated gazetteer's
own rows, then by population.

`locate_point(lat, lon)` gives the federal subject (or country) a point on the map falls in, for a
researched point set by clicking the form's map.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from geo.paths import COUNTRIES_GEOJSON
from geo.places import morphology
from geo.places.place_index import Place, PlaceIndex

MAX_KEYS = 32            # lemma combinations tried for a query of several inflected words
MAX_WORDS = 5            # the longest place name compared


def _options(word: str) -> tuple[str, ...]:
    return morphology.lemmas(word) if morphology.CYRILLIC.search(word) else (morphology.fold(word),)


def _rank(place: Place) -> tuple:
    return (not place.curated, place.kind == "country", -place.population, place.name)


def search_places(query: str, index: PlaceIndex | None = None, limit: int = 12) -> list[Place]:
    """Places whose name (any inflection or romanisation) is the query, then those whose name
    begins with it; at most `limit`."""
    words = morphology.words(query or "")
    if not words or sum(len(w) for w in words) < 2:
        return []
    index = index or PlaceIndex.load()
    exact: list[Place] = []
    # the whole query first, then its shorter runs of words ("в Хабаровске", "the town of Chegdomyn")
    for size in range(min(len(words), MAX_WORDS), 0, -1):
        for first in range(len(words) - size + 1):
            keys: list[tuple[str, ...]] = [()]
            for word in words[first:first + size]:
                keys = [key + (option,) for key, option in product(keys, _options(word))][:MAX_KEYS]
            for key in keys:
                exact += [p for p in index.lookup(key) if p not in exact]
        if exact:
            break
    folded = " ".join(morphology.fold(w) for w in words)
    starting = [p for name, p in _names(index) if name.startswith(folded) and p not in exact]
    ranked = sorted(exact, key=_rank) + sorted(dict.fromkeys(starting), key=_rank)
    return ranked[:limit]


@lru_cache(maxsize=2)
def _names(index: PlaceIndex) -> tuple[tuple[str, Place], ...]:
    """(folded name, place) for every name and Russian name in the index, for prefix matching."""
    pairs = []
    for place in index.places:
        for name in {place.name, place.name_ru} - {""}:
            pairs.append((" ".join(morphology.fold(w) for w in morphology.words(name)), place))
    return tuple(pairs)


@dataclass(frozen=True)
class PointPlace:
    """Where a clicked point lies: a federal subject of Russia, or only a country (or neither)."""
    subject: str | None
    subject_name: str | None
    country: str | None


def locate_point(lat: float, lon: float) -> PointPlace:
    from shapely.geometry import Point, shape

    from geo.places.boundaries import load_subjects

    point = Point(lon, lat)
    for code, subject in load_subjects().items():
        if subject.geometry.contains(point):
            return PointPlace(code, subject.name, "RU")
    for code, subject in load_subjects().items():      # on the coast line: within the outline's tolerance
        if subject.holds(point):
            return PointPlace(code, subject.name, "RU")
    for feature in _countries():
        if shape(feature["geometry"]).contains(point):
            return PointPlace(None, None, feature["properties"]["code"])
    return PointPlace(None, None, None)


@lru_cache(maxsize=1)
def _countries() -> tuple[dict, ...]:
    return tuple(json.loads(COUNTRIES_GEOJSON.read_text(encoding="utf-8"))["features"])
