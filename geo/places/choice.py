"""The place a researcher chose in the record form, as the register writes it.

A record's place resolves through the curated gazetteer (data/gazetteer.csv) within its federal
subject (geo.places.gazetteer). The form lets one choose any place of the gazetteer of all Russia
(geo.places.search) or click a point on the map; `resolve_choice` turns that into the record's
`place` mapping and, where the curated gazetteer lacks the place, the row to add to it with the
record — a GeoNames settlement with its `geonames:<id>` source, or a researched point with the
note that says where its coordinate comes from (required: a point nobody can trace is invented).

Precision is never finer than the place: a settlement can be recorded as the settlement, its
region or only the country; a region as the region or the country; a country as the country.
"""
from __future__ import annotations

from dataclasses import dataclass

from geo.evidence.vocabulary import LOCATION_PRECISIONS
from geo.evidence.record_ids import slug
from geo.places.boundaries import load_subjects, name_key
from geo.places.gazetteer import COUNTRY_NAMES, GazetteerEntry

POINT_PRECISIONS = ("exact_site", "settlement")   # what a researched point can stand for
COORDINATE_DECIMALS = 5                          # ~1 m: a click is no more precise than that
NOTE_MIN = 8


@dataclass
class PlaceChoice:
    """What the form chose. `place` is a geo.places.place_index.Place as a dict (its `as_dict()` plus
    `curated`), or None for a researched point (`point` = (lat, lon) with name, precision and note)."""
    place: dict | None = None
    precision: str = ""
    point: tuple[float, float] | None = None
    point_name: str = ""
    point_precision: str = "exact_site"
    point_note: str = ""
    point_subject: str | None = None
    point_country: str | None = None
    kept: dict | None = None        # an existing record's place, unchanged (written back as it was)


@dataclass
class Resolved:
    place: dict | None              # the record's `place` mapping without as_written
    new_entries: list[GazetteerEntry]
    errors: list[str]


def place_precision(choice: PlaceChoice) -> str | None:
    """The precision of the chosen place itself (the finest the record can have)."""
    if choice.kept is not None and choice.place is None and choice.point is None:
        return choice.kept["precision"]
    if choice.point is not None:
        return choice.point_precision
    return choice.place["precision"] if choice.place else None


def allowed_precisions(choice: PlaceChoice) -> list[str]:
    """The record precisions this place allows: itself and what is coarser and can be drawn."""
    finest = place_precision(choice)
    if finest is None:
        return []
    subject = _subject_of(choice)
    allowed = [finest]
    if finest not in ("region", "country") and subject:
        allowed.append("region")
    if finest != "country":
        allowed.append("country")
    return allowed


def _subject_of(choice: PlaceChoice) -> str | None:
    if choice.point is not None:
        return choice.point_subject
    if choice.place:
        return choice.place.get("subject")
    return (choice.kept or {}).get("subject")


def _country_of(choice: PlaceChoice) -> str:
    if choice.point is not None:
        return choice.point_country or "RU"
    if choice.place:
        return choice.place.get("country") or "RU"
    return (choice.kept or {}).get("country") or "RU"


def resolve_choice(choice: PlaceChoice, curated: list[GazetteerEntry]) -> Resolved:
    """The record's place (name, subject, country, precision) and any gazetteer row it needs."""
    if choice.kept is not None and choice.place is None and choice.point is None and (
            not choice.precision or choice.precision == choice.kept["precision"]):
        return Resolved(dict(choice.kept), [], [])
    finest = place_precision(choice)
    if finest is None:
        return Resolved(None, [], ["choose a place: search the gazetteer, or click the map for a researched point"])
    precision = choice.precision or finest
    if precision not in allowed_precisions(choice):
        allowed = ", ".join(LOCATION_PRECISIONS[p] for p in allowed_precisions(choice))
        return Resolved(None, [], [f"precision {LOCATION_PRECISIONS.get(precision, precision)} is finer than the "
                                   f"place chosen allows (choose {allowed})"])
    country, subject = _country_of(choice), _subject_of(choice)
    if precision == "country":
        return Resolved({"name": COUNTRY_NAMES.english(country) if country in COUNTRY_NAMES else country, "country": country, "precision": "country"}, [], [])
    if precision == "region":
        outline = load_subjects().get(subject)
        if outline is None:
            return Resolved(None, [], [f"no federal subject outline for {subject!r}: choose country precision"])
        return Resolved({"name": outline.name, "subject": subject, "country": "RU", "precision": "region"}, [], [])
    if choice.point is not None:
        return _researched(choice, curated)
    if choice.place is None:   # an existing record's place at its own precision
        return Resolved(dict(choice.kept), [], [])
    return _from_index(choice.place, curated)


def _place_dict(entry: GazetteerEntry, name: str | None = None) -> dict:
    place = {"name": name or entry.name, "subject": entry.subject, "country": entry.country,
             "precision": entry.precision}
    return {k: v for k, v in place.items() if v is not None}


def _from_index(place: dict, curated: list[GazetteerEntry]) -> Resolved:
    """A place of the gazetteer of all Russia: its curated row, or a new row from GeoNames."""
    ids = {e.id: e for e in curated}
    if place.get("curated") and place["gazetteer_id"] in ids:
        return Resolved(_place_dict(ids[place["gazetteer_id"]]), [], [])
    same = [e for e in curated if e.source.split(" ")[0] == place.get("source") and e.precision == place["precision"]]
    if same:
        return Resolved(_place_dict(same[0]), [], [])
    if place.get("lat") is None or place["precision"] not in POINT_PRECISIONS + ("district",):
        return Resolved(None, [], [f"{place['name']} has no point in the gazetteer: choose region or country precision"])
    entry = GazetteerEntry(
        id=_new_id(place["name"], place.get("subject"), ids), name=place["name"], name_ru=place.get("name_ru") or "",
        aliases=(), kind=place.get("kind") or "settlement", subject=place.get("subject"),
        country=place.get("country") or "RU", lat=place["lat"], lon=place["lon"], precision=place["precision"],
        source=place["source"], note="added from the gazetteer of all Russia in the record form")
    name = entry.name
    if _clashes(entry, curated):      # two places of that name in the subject: file it under a plain alias
        name = f"{entry.name} ({entry.id})"
        entry = GazetteerEntry(**{**entry.__dict__, "aliases": (name,)})
    return Resolved(_place_dict(entry, name), [entry], [])


def _researched(choice: PlaceChoice, curated: list[GazetteerEntry]) -> Resolved:
    errors = []
    name = " ".join(choice.point_name.split())
    if len(name) < 3:
        errors.append("name the researched point (e.g. “Tynda logging camp No. 3”)")
    if len(choice.point_note.strip()) < NOTE_MIN:
        errors.append("say where the point's coordinate comes from (a map, a satellite image, a document, "
                      "with its reference): a point nobody can trace would be invented")
    if choice.point_precision not in POINT_PRECISIONS:
        errors.append("a researched point is an exact site or a settlement")
    if choice.point_country is None:
        errors.append("the point is outside the outlines the map knows: click inside Russia or a neighbouring country")
    if errors:
        return Resolved(None, [], errors)
    lat, lon = (round(v, COORDINATE_DECIMALS) for v in choice.point)
    ids = {e.id: e for e in curated}
    entry = GazetteerEntry(
        id=_new_id(name, choice.point_subject, ids), name=name, name_ru="", aliases=(),
        kind="site" if choice.point_precision == "exact_site" else "settlement", subject=choice.point_subject,
        country=choice.point_country, lat=lat, lon=lon, precision=choice.point_precision,
        source=f"researched: {' '.join(choice.point_note.split())}", note="point set on the map in the record form")
    if _clashes(entry, curated):
        return Resolved(None, [], [f"the gazetteer already has a place named {name!r} in this region: choose it "
                                   "in the search, or give the point a more specific name"])
    return Resolved(_place_dict(entry), [entry], [])


def _clashes(entry: GazetteerEntry, curated: list[GazetteerEntry]) -> bool:
    key = name_key(entry.name)
    return any(key in {name_key(n) for n in e.names if n} and e.country == entry.country and e.subject == entry.subject
               for e in curated)


def _new_id(name: str, subject: str | None, taken: dict) -> str:
    base = slug(name) or "place"
    if base not in taken:
        return base
    with_region = f"{base}-{slug((subject or '').removeprefix('RU-'))}".rstrip("-")
    candidate, n = with_region, 2
    while candidate in taken:
        candidate, n = f"{with_region}-{n}", n + 1
    return candidate
