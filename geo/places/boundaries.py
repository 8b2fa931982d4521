"""Federal-subject and country outlines: the offline basemap and the frame for regional counts.

`python -m geo boundaries` derives the shipped files in data/boundaries/ from the Natural Earth
extracts shipped in data/geodata/ (public domain): repaired, simplified, rounded so the whole
basemap stays small, and wound as RFC 7946 asks (exterior rings counter-clockwise). Besides the
federal subjects and the seven countries the register's places lie in, `land.geojson` holds all
land the print maps can reach, so Europe, the Caucasus and Central Asia are drawn as land, not
sea. Everything else reads the shipped files.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.paths import COUNTRIES_GEOJSON, GEODATA_DIR, LAND_GEOJSON, SUBJECTS_GEOJSON
from geo.writing import write_atomically

SIMPLIFY_DEGREES = 0.02  # ~2 km: invisible at the zoom levels where subjects are compared
# Neighbouring countries are context only: clip them to the part of Asia around Russia.
COUNTRY_CLIP_BOX = (19.0, 34.0, 180.0, 82.0)
# How far a point may lie outside its subject's simplified outline (coastal towns, border posts).
OUTSIDE_TOLERANCE_DEGREES = 0.05

_TYPE_WORDS = {
    "Krai": ("Krai", "Kray", "Territory", "Region", "region", "krai", "territory"),
    "Oblast": ("Oblast", "Region", "region", "oblast"),
    "Autonomous Okrug": ("Autonomous Okrug", "Okrug"),
    "Autonomous Oblast": ("Autonomous Oblast", "Autonomous Region"),
}
# Names the sources use that Natural Earth does not list.
_EXTRA_ALIASES = {
    "RU-PRI": ("Primorye", "Primorsky Territory", "Primorskiy Krai", "Maritime Province"),
    "RU-KHA": ("Khabarovsky Krai", "Khabarovsk Territory"),
    "RU-AMU": ("Amur region", "Amurskaya oblast"),
    "RU-MOW": ("Moscow city", "Moscow City"),
    "RU-TA": ("Tatarstan", "Republic of Tatarstan"),
    "RU-SA": ("Yakutia", "Sakha", "Republic of Sakha (Yakutia)"),
    "RU-YEV": ("Jewish Autonomous Region", "Birobidzhan region"),
    "RU-SAK": ("Sakhalin",),
}


@dataclass(frozen=True)
class Subject:
    code: str
    name: str
    name_ru: str
    aliases: tuple[str, ...]
    geometry: BaseGeometry
    label_point: Point

    def holds(self, point: Point, tolerance: float = OUTSIDE_TOLERANCE_DEGREES) -> bool:
        return self.geometry.distance(point) <= tolerance


def _aliases(props: dict, others_names: frozenset[str] = frozenset()) -> tuple[str, ...]:
    # Natural Earth's `name_local` is sometimes another subject's name (Moscow city's reads
    # "Московская область", the oblast's): such a name would resolve to the wrong subject.
    local = props.get("name_local")
    names = {props["name_en"], props["name"], props["name_ru"]} | ({local} if local not in others_names else set())
    for type_name, words in _TYPE_WORDS.items():
        if props["name_en"].endswith(" " + type_name):
            stem = props["name_en"][: -len(type_name) - 1]
            names.update(f"{stem} {w}" for w in words)
    names.update(_EXTRA_ALIASES.get(props["iso_3166_2"], ()))
    return tuple(sorted(n for n in names if n))


def _clean(geometry: dict, clip: tuple | None = None, tolerance: float = SIMPLIFY_DEGREES) -> dict:
    geom = shapely.make_valid(shape(geometry))
    if clip:
        geom = geom.intersection(shapely.box(*clip))
    geom = geom.simplify(tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, 1e-4)
    # RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise (after set_precision,
    # which may rebuild rings in either direction).
    return mapping(shapely.orient_polygons(geom, exterior_cw=False))


def derive(geodata_dir: Path = GEODATA_DIR) -> None:
    """Write data/boundaries/*.geojson from the Natural Earth inputs in data/geodata/."""
    subjects = json.loads((geodata_dir / "russia_admin1.geojson").read_text(encoding="utf-8"))
    features = []
    russian_names = {f["properties"]["iso_3166_2"]: f["properties"]["name_ru"] for f in subjects["features"]}
    for f in sorted(subjects["features"], key=lambda f: f["properties"]["iso_3166_2"]):
        p = f["properties"]
        if not p["iso_3166_2"].startswith("RU-"):
            continue  # Crimea and Sevastopol are disputed; the register names no place there
        others = frozenset(name for code, name in russian_names.items() if code != p["iso_3166_2"])
        features.append({
            "type": "Feature",
            "properties": {
                "code": p["iso_3166_2"], "name": p["name_en"], "name_ru": p["name_ru"] or p["name_local"],
                "type": p["type_en"], "aliases": list(_aliases(p, others)),
                "label_lon": p["longitude"], "label_lat": p["latitude"],
            },
            "geometry": _clean(f["geometry"]),
        })
    _write_collection(SUBJECTS_GEOJSON, features, "Natural Earth 10m admin-1 (public domain), simplified")
    countries = json.loads((geodata_dir / "countries_region.geojson").read_text(encoding="utf-8"))
    features = [{
        "type": "Feature",
        "properties": {"code": f["properties"]["iso_a2"], "name": f["properties"]["name_en"],
                       "name_ru": f["properties"]["name_ru"]},
        "geometry": _clean(f["geometry"], None if f["properties"]["iso_a2"] == "RU" else COUNTRY_CLIP_BOX),
    } for f in sorted(countries["features"], key=lambda f: f["properties"]["iso_a2"])]
    _write_collection(COUNTRIES_GEOJSON, features, "Natural Earth (public domain), simplified")
    land = json.loads((geodata_dir / "land_region.geojson").read_text(encoding="utf-8"))
    features = [{"type": "Feature", "properties": {"name": "land"}, "geometry": _clean(f["geometry"], tolerance=0.05)}
                for f in land["features"]]
    _write_collection(LAND_GEOJSON, features, "Natural Earth 1:50m land (public domain), simplified")


def _write_collection(path: Path, features: list[dict], attribution: str) -> None:
    text = json.dumps({"type": "FeatureCollection", "attribution": attribution, "features": features},
                      ensure_ascii=False, separators=(",", ":"))
    write_atomically({path: text + "\n"})


@lru_cache(maxsize=2)
def load_subjects(path: Path = SUBJECTS_GEOJSON) -> dict[str, Subject]:
    data = json.loads(path.read_text(encoding="utf-8"))
    subjects = {}
    for f in data["features"]:
        p = f["properties"]
        geom = shape(f["geometry"])
        label = Point(p["label_lon"], p["label_lat"])
        if not geom.contains(label):
            label = geom.representative_point()
        subjects[p["code"]] = Subject(p["code"], p["name"], p["name_ru"], tuple(p["aliases"]), geom, label)
    return subjects


def name_key(name: str) -> str:
    """Compare place names ignoring case, ё/е, hyphens, dots and extra spaces."""
    name = name.casefold().replace("ё", "е").replace("’", "'")
    return re.sub(r"[\s\-.]+", " ", name).strip()
