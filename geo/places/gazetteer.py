"""The curated gazetteer and the offline geocoder.

A place is resolved as the source writes it **within the federal subject the source names**:
Russia has two Blagoveshchensks, two Belogorsks and several Pokrovkas, so a name alone is never
enough. Settlements, districts and sites come from `data/gazetteer.csv` (each row says where its
coordinate comes from); federal subjects from the boundaries file; a country-level place has no
point at all, because any point would claim more than the source says.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import Point

from geo.places.boundaries import Subject, load_subjects, name_key
from geo.errors import AmbiguousPlace, GazetteerMiss, Problem, RegisterError
from geo.paths import GAZETTEER_CSV, GEODATA_DIR
from geo.evidence.schema import Place
from geo.language import N_, Labels
from geo.writing import unreadable_reason

COLUMNS = ["id", "name", "name_ru", "aliases", "kind", "subject", "country", "lat", "lon",
           "precision", "source", "note"]
COUNTRY_NAMES = Labels({"RU": N_("Russia"), "KP": N_("North Korea"), "CN": N_("China"), "KR": N_("South Korea"),
                        "JP": N_("Japan"), "MN": N_("Mongolia"), "KZ": N_("Kazakhstan")})


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    name: str
    name_ru: str
    aliases: tuple[str, ...]
    kind: str
    subject: str | None
    country: str
    lat: float
    lon: float
    precision: str
    source: str
    note: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.name_ru, *self.aliases)


@dataclass(frozen=True)
class Resolution:
    """Where a place resolved, how precisely, and on whose authority."""
    lon: float | None
    lat: float | None
    precision: str
    place_id: str          # gazetteer row id, subject code or country code
    subject: str | None
    subject_name: str | None
    country: str
    coordinate_source: str


def read_gazetteer(path: Path = GAZETTEER_CSV) -> list[GazetteerEntry]:
    """The rows of the gazetteer; RegisterError listing every row that cannot be used (a missing
    column, an empty or non-numeric coordinate, text that is not UTF-8)."""
    label = path.name
    why = unreadable_reason(path)
    if why:
        raise RegisterError([Problem(label, "-", "-", why)])
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise RegisterError([Problem(label, "header", ", ".join(missing),
                                             f"missing column(s); the header must be {','.join(COLUMNS)}")])
            rows = list(reader)
    except UnicodeDecodeError as exc:
        raise RegisterError([Problem(label, "-", "-", f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x}): "
                                                      "save it as UTF-8")]) from None
    except OSError as exc:
        raise RegisterError([Problem(label, "-", "-", f"cannot be read ({exc.strerror})")]) from None
    entries, problems = [], []
    for number, r in enumerate(rows, start=2):   # line 1 is the header
        row = r.get("id") or f"line {number}"
        if None in r or any(r[c] is None for c in COLUMNS):
            problems.append(Problem(label, row, "-", f"line {number} has {len(r) - (None in r)} fields, "
                                                     f"not {len(COLUMNS)}"))
            continue
        coordinates = {}
        for axis in ("lat", "lon"):
            try:
                coordinates[axis] = float(r[axis])
                if coordinates[axis] != coordinates[axis]:   # "nan"
                    raise ValueError
            except ValueError:
                problems.append(Problem(label, row, axis, f"{r[axis]!r} is not a number (decimal degrees)"))
        if len(coordinates) < 2:
            continue
        entries.append(GazetteerEntry(
            id=r["id"], name=r["name"], name_ru=r["name_ru"],
            aliases=tuple(a.strip() for a in r["aliases"].split("|") if a.strip()),
            kind=r["kind"], subject=r["subject"] or None, country=r["country"],
            lat=coordinates["lat"], lon=coordinates["lon"], precision=r["precision"],
            source=r["source"], note=r["note"],
        ))
    if problems:
        raise RegisterError(problems)
    return entries


def entry_line(entry: GazetteerEntry) -> str:
    """One gazetteer row as a CSV line (the file's own quoting: only where a field needs it)."""
    import io
    out = io.StringIO()
    values = {**entry.__dict__, "aliases": "|".join(entry.aliases), "subject": entry.subject or ""}
    csv.writer(out, lineterminator="\n").writerow([values[c] for c in COLUMNS])
    return out.getvalue()


def with_entries(csv_text: str, entries: list[GazetteerEntry]) -> str:
    """The gazetteer file's text with `entries` added, each at its place in id order (the file is
    kept sorted by id), every other line unchanged."""
    lines = csv_text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for entry in sorted(entries, key=lambda e: e.id):
        at = next((i for i, line in enumerate(lines[1:], 1) if line.split(",", 1)[0] > entry.id), len(lines))
        lines.insert(at, entry_line(entry))
    return "".join(lines)


class Gazetteer:
    def __init__(self, entries: list[GazetteerEntry], subjects: dict[str, Subject]):
        self.entries = entries
        self.subjects = subjects
        self._by_name: dict[str, list[GazetteerEntry]] = {}
        for entry in entries:
            for key in {name_key(n) for n in entry.names if n}:
                self._by_name.setdefault(key, []).append(entry)

    @classmethod
    def load(cls, path: Path = GAZETTEER_CSV) -> "Gazetteer":
        return cls(read_gazetteer(path), load_subjects())

    def lookup(self, name: str, country: str, subject: str | None) -> list[GazetteerEntry]:
        found = self._by_name.get(name_key(name), [])
        return [e for e in found if e.country == country and (subject is None or e.subject == subject)]

    def resolve(self, place: Place) -> Resolution:
        if place.precision == "country":
            return Resolution(None, None, "country", place.country, None, None, place.country,
                              "country only: not drawn")
        if place.precision == "region":
            return self._resolve_region(place)
        matches = self.lookup(place.name, place.country, place.subject)
        where = place.subject or COUNTRY_NAMES.get(place.country, place.country)
        if not matches:
            elsewhere = sorted({e.subject or e.country for e in self.lookup(place.name, place.country, None)})
            hint = f" (the gazetteer has it in {', '.join(elsewhere)})" if elsewhere else ""
            raise GazetteerMiss(f"unknown place {place.name!r} in {where}{hint}: add a row to data/gazetteer.csv "
                                f"(python -m geo gazetteer-candidates {place.name!r} shows GeoNames rows)")
        if len(matches) > 1:
            ids = ", ".join(e.id for e in matches)
            raise AmbiguousPlace(f"ambiguous place {place.name!r} in {where}: matches {ids}; "
                                 "use the gazetteer id or a more specific alias as place.name")
        entry = matches[0]
        if entry.precision != place.precision:
            raise GazetteerMiss(f"{place.name!r} is a {entry.precision} in the gazetteer ({entry.id}), "
                                f"but the record says precision {place.precision!r}")
        subject = self.subjects.get(entry.subject) if entry.subject else None
        return Resolution(entry.lon, entry.lat, entry.precision, entry.id, entry.subject,
                          subject.name if subject else None, entry.country, entry.source)

    def _resolve_region(self, place: Place) -> Resolution:
        if place.country != "RU":
            raise GazetteerMiss(f"no outline for region {place.name!r} in {place.country}: "
                                "use precision 'country' or a gazetteer place")
        subject = self.subjects.get(place.subject)
        if subject is None:
            raise GazetteerMiss(f"unknown federal subject {place.subject!r}")
        if name_key(place.name) not in {name_key(a) for a in subject.aliases}:
            raise GazetteerMiss(f"{place.name!r} does not name {subject.code} ({subject.name}); "
                                f"known names: {', '.join(subject.aliases[:6])}")
        point = subject.label_point
        return Resolution(round(point.x, 6), round(point.y, 6), "region", subject.code, subject.code,
                          subject.name, "RU", "Natural Earth label point of the federal subject")

    def entry_problems(self) -> list[tuple[str, str, str]]:
        """(row id, field, message) for gazetteer rows that are out of range or outside their subject."""
        problems, seen = [], set()
        for e in self.entries:
            if e.id in seen:
                problems.append((e.id, "id", "duplicate gazetteer id"))
            seen.add(e.id)
            if not (-90 <= e.lat <= 90 and -180 <= e.lon <= 180):
                problems.append((e.id, "lat/lon", f"coordinate out of range ({e.lat}, {e.lon})"))
                continue
            subject = self.subjects.get(e.subject) if e.subject else None
            if e.subject and subject is None:
                problems.append((e.id, "subject", f"unknown federal subject {e.subject!r}"))
            elif subject and not subject.holds(Point(e.lon, e.lat)):
                swapped = " (lat and lon swapped?)" if subject.holds(Point(e.lat, e.lon)) else ""
                problems.append((e.id, "lat/lon", f"({e.lat}, {e.lon}) lies outside {e.subject} "
                                                  f"({subject.name}){swapped}"))
        return problems


def geonames_candidates(name: str, geodata_dir: Path = GEODATA_DIR) -> list[dict]:
    """GeoNames rows (from data/geodata/ru_places.csv) whose name or alternate name matches."""
    key = name_key(name)
    with (geodata_dir / "ru_places.csv").open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle)
                if key in {name_key(n) for n in [r["name"], r["ascii_name"], r["name_ru"],
                                                  *r["alternate_names"].split("|")]}]
