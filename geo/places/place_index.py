"""The gazetteer of all of Russia (and the places across its borders) as a name index.

Loaded from what ships in data/: the GeoNames cities500 extract for Russia with its alternate
names (data/geodata/ru_places.csv, CC BY 4.0), the cross-border places the sources name
(data/geodata/cross_border.csv), names in common use that GeoNames lacks
(data/geodata/extra_names.csv), the federal subjects by every common name (the outlines' names
in several languages plus data/geodata/subject_names.csv) and the countries. The curated
data/gazetteer.csv overrides a GeoNames row with the same geonames id and adds researched points
(airports, a border bridge, district seats). Every place keeps the source of its coordinate.

`PlaceIndex.load()` builds it; `PlaceIndex.lookup(key)` gives the places filed under a key tuple
(see geo.places.morphology); geo.places.mentions finds and resolves names in running text.
"""
from __future__ import annotations

import csv
import hashlib
import os
import pickle
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.paths import GAZETTEER_CSV, GEODATA_DIR, SUBJECTS_GEOJSON
from geo.places import morphology
from geo.writing import replacing

CROSS_BORDER_CSV = GEODATA_DIR / "cross_border.csv"
SUBJECT_NAMES_CSV = GEODATA_DIR / "subject_names.csv"
# Names of countries as the sources write them (no point: a country is never drawn as a dot).
COUNTRY_ALIASES = {
    "RU": ("Russia", "Russian Federation", "the Russian Federation", "Россия", "Российская Федерация", "РФ"),
    "KP": ("North Korea", "DPRK", "the DPRK", "Democratic People's Republic of Korea", "КНДР", "Северная Корея"),
    "CN": ("China", "People's Republic of China", "PRC", "Китай", "КНР"),
    "KR": ("South Korea", "Republic of Korea", "ROK", "Южная Корея", "Республика Корея"),
    "MN": ("Mongolia", "Монголия"),
    "JP": ("Japan", "Япония"),
    "KZ": ("Kazakhstan", "Казахстан"),
}
_USEFUL_SCRIPT = re.compile(r"[A-Za-zА-Яа-яЁё]")
_OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u0400-\u04FF\u1E00-\u1EFF]")
_CODE = re.compile(r"^[A-Z]{2,4}$")


@dataclass(frozen=True)
class Place:
    """One place that a name can stand for."""
    id: str                  # geonames:<id>, a curated gazetteer id, a subject code or a country code
    name: str
    name_ru: str
    kind: str                # settlement | district | site | region | country
    precision: str           # the register's location precision this place gives
    subject: str | None
    country: str
    lat: float | None
    lon: float | None
    population: int
    source: str              # where the coordinate comes from
    curated: bool = False    # a row of data/gazetteer.csv

    def as_dict(self) -> dict:
        return {"gazetteer_id": self.id, "name": self.name, "name_ru": self.name_ru, "kind": self.kind,
                "precision": self.precision, "subject": self.subject, "country": self.country,
                "lat": self.lat, "lon": self.lon, "population": self.population, "source": self.source}


class PlaceIndex:
    """Places filed under the key tuples of all their names."""

    def __init__(self, places: list[tuple[Place, list[tuple[str, bool]]]]):
        self.places: list[Place] = []
        self._by_key: dict[tuple[str, ...], list[Place]] = {}
        self.prefixes: set[tuple[str, ...]] = set()
        self.subject_names: dict[str, str] = {}
        for place, names in places:
            self.places.append(place)
            if place.kind == "region" and place.subject:
                self.subject_names[place.subject] = place.name
            for name, primary in names:
                for key in morphology.name_keys(name, primary):
                    bucket = self._by_key.setdefault(key, [])
                    if place not in bucket:
                        bucket.append(place)
                    self.prefixes.update(key[:n] for n in range(1, len(key)))

    def lookup(self, key: tuple[str, ...]) -> list[Place]:
        return self._by_key.get(key, [])

    def is_prefix(self, key: tuple[str, ...]) -> bool:
        return key in self.prefixes

    def __len__(self) -> int:
        return len(self.places)

    @classmethod
    def load(cls, geodata_dir: Path = GEODATA_DIR, gazetteer_csv: Path = GAZETTEER_CSV) -> "PlaceIndex":
        """The index of the shipped inputs; kept in memory and, between runs, in a cache file that
        is rebuilt whenever an input file changes (building it takes about a second)."""
        return _cached(Path(geodata_dir), Path(gazetteer_csv))


@lru_cache(maxsize=2)
def _cached(geodata_dir: Path, gazetteer_csv: Path) -> PlaceIndex:
    inputs = [*sorted(geodata_dir.glob("*.csv")), gazetteer_csv, SUBJECTS_GEOJSON, Path(morphology.__file__),
              Path(__file__)]
    stamp = hashlib.sha256(repr([(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in inputs]).encode()).hexdigest()
    cache = _cache_dir() / f"place-index-{stamp[:20]}.pickle"
    try:
        with cache.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    index = _build(geodata_dir, gazetteer_csv)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob("place-index-*.pickle"):      # other checkouts keep theirs a week
            if time.time() - old.stat().st_mtime > 7 * 86400:
                old.unlink(missing_ok=True)
        with replacing([cache]) as temporaries:
            temporaries[cache].write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass    # a read-only home: build it every time
    return index


def _cache_dir() -> Path:
    root = os.environ.get("INCIDENT_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "incident-map"


def _build(geodata_dir: Path, gazetteer_csv: Path) -> PlaceIndex:
    # imported here: a cached index loads without shapely or pydantic
    from geo.places.boundaries import load_subjects
    from geo.places.gazetteer import COUNTRY_NAMES, read_gazetteer

    curated = read_gazetteer(gazetteer_csv)
    # A curated settlement replaces its GeoNames row; a curated district keeps the seat's row.
    overridden = {e.source for e in curated if e.source.startswith("geonames:") and e.precision == "settlement"}
    extra = _names_by(geodata_dir / "extra_names.csv", "geonameid")
    entries: list[tuple[Place, list[tuple[str, bool]]]] = []
    for row in _rows(geodata_dir / "ru_places.csv"):
        if f"geonames:{row['geonameid']}" in overridden:
            continue
        entries.append((Place(f"geonames:{row['geonameid']}", row["name"], row["name_ru"], "settlement",
                              "settlement", row["admin1_iso"] or None, "RU", float(row["lat"]), float(row["lon"]),
                              int(row["population"] or 0), f"geonames:{row['geonameid']}"),
                        _names([row["name"], row["ascii_name"], row["name_ru"]],
                               [*row["alternate_names"].split("|"), *extra.get(row["geonameid"], ())])))
    for row in _rows(geodata_dir / "cross_border.csv"):
        entries.append((Place(row["source"] if row["id"] != "rason" else "rason", row["name"], row["name_ru"],
                              "settlement" if row["precision"] == "settlement" else "district", row["precision"],
                              None, row["country"], float(row["lat"]), float(row["lon"]), int(row["population"] or 0),
                              row["source"]),
                        _names([row["name"], row["name_ru"]], [row["name_ko"], *row["aliases"].split("|")])))
    for e in curated:
        kind = {"settlement": "settlement", "district": "district"}.get(e.precision, "site")
        population = _population(e.source, geodata_dir)
        entries.append((Place(e.id, e.name, e.name_ru, kind, e.precision, e.subject, e.country, e.lat, e.lon,
                              population, e.source, curated=True), _names([e.name, e.name_ru], e.aliases)))
    subject_names = _names_by(geodata_dir / "subject_names.csv", "code")
    for code, subject in sorted(load_subjects().items()):
        point = subject.label_point
        entries.append((Place(code, subject.name, subject.name_ru, "region", "region", code, "RU",
                              round(point.y, 6), round(point.x, 6), 0, "Natural Earth label point of the federal subject"),
                        _names([subject.name, subject.name_ru, *subject_names.get(code, ())], subject.aliases)))
    for code, names in COUNTRY_ALIASES.items():
        entries.append((Place(code, COUNTRY_NAMES.english(code) if code in COUNTRY_NAMES else code, names[-1] if code != "RU" else "Россия",
                              "country", "country", None, code, None, None, 0, "country only: not drawn"),
                        _names(names, ())))
    return PlaceIndex(entries)


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _names(primary, alternates) -> list[tuple[str, bool]]:
    """(name, primary) pairs worth filing: Latin or Cyrillic script, not an airport code, at least
    3 letters. Primary names are lemmatised and romanised (geo.places.morphology)."""
    kept: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for is_primary, group in ((True, primary), (False, alternates)):
        for name in group:
            name = (name or "").strip()
            if (len(name) < 3 or name in seen or _CODE.match(name) or not _USEFUL_SCRIPT.search(name)
                    or _OTHER_SCRIPT.search(name)):
                continue
            seen.add(name)
            kept.append((name, is_primary))
    return kept


def _names_by(path: Path, key: str) -> dict[str, tuple[str, ...]]:
    """{row[key]: names} from a small CSV of added names: extra_names.csv (names in common use that
    GeoNames lacks, "Slavyansk" for Slavyansk-na-Kubani) and subject_names.csv (Приморье, the
    Maritime Province, Подмосковье ...)."""
    names: dict[str, list[str]] = {}
    if path.exists():
        for row in _rows(path):
            names.setdefault(row[key], []).append(row["name"])
    return {k: tuple(v) for k, v in names.items()}


@lru_cache(maxsize=1)
def _geonames_population(geodata_dir: Path) -> dict[str, int]:
    return {f"geonames:{r['geonameid']}": int(r["population"] or 0) for r in _rows(geodata_dir / "ru_places.csv")}


def _population(source: str, geodata_dir: Path) -> int:
    return _geonames_population(geodata_dir).get(source.split(" ")[0], 0)
