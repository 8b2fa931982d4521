"""Place labels: the places where the records are, and the largest towns in view for orientation,
each put where it covers no symbol, leader, other label or the scale bar."""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from geo.language import current
from geo.language.places import korean_names
from geo.paths import GAZETTEER_CSV, GEODATA_DIR
from geo.places.gazetteer import geonames_candidates
from geo.outputs.static_map.markers import Group, _obstacles, _overlap
from geo.outputs.static_map.style import HALO, INK, LABEL_PT, MUTED, PLACE_D, REFERENCE_PT

LABELLED_PRECISIONS = ("exact_site", "settlement", "district")
REFERENCE_MIN_POPULATION = 50_000
TOWN_SPACING = 36.0     # points: a town for orientation keeps this far from other labelled places


@dataclass(frozen=True)
class Label:
    name: str
    lon: float
    lat: float
    reference: bool = False     # a town named for orientation, where no record is


def panel_labels(located, view, references: int, withheld: frozenset[str] = frozenset()) -> tuple[Label, ...]:
    """The places of the panel's records (settlement, site or district; most records first), then
    up to `references` of the largest towns in view that no record names. Places a public
    release withholds (`withheld`: names) are never labelled."""
    labels, seen = [], set(withheld)
    if not located.empty:
        kept = located[located["location_precision"].isin(LABELLED_PRECISIONS)]
        places = kept.groupby(["place_name", kept.geometry.x.round(4), kept.geometry.y.round(4)]).size()
        for (name, lon, lat), _ in sorted(places.items(), key=lambda kv: (-kv[1], kv[0][0])):
            if isinstance(name, str) and name not in seen and _inside(view, lon, lat):
                labels.append(Label(name, float(lon), float(lat)))
                seen.add(name)
    chosen = [view.lonlat_to_pt(label.lon, label.lat) for label in labels]
    towns = []
    for town in _towns():
        if len(towns) >= references:
            break
        if town.name in seen or not _inside(view, town.lon, town.lat):
            continue
        x, y = view.lonlat_to_pt(town.lon, town.lat)
        if all(math.hypot(x - cx, y - cy) > TOWN_SPACING for cx, cy in chosen):   # not a suburb of a labelled place
            towns.append(town)
            chosen.append((x, y))
            seen.add(town.name)
    return tuple(labels + towns)


def _inside(view, lon, lat) -> bool:
    px, py = (float(v) for v in view.lonlat_to_pt(lon, lat))
    return 0 <= px <= view.width_pt and 0 <= py <= view.height_pt


def _towns() -> tuple[Label, ...]:
    return _towns_in(current())


def _town_name(row: dict, lang: str) -> str:
    """A reference town's name in `lang`: GeoNames' Russian name, or its one Hangul name (several
    are ambiguous: English), or the cross-border table's exonyms; English otherwise."""
    if lang == "ru":
        return row.get("name_ru") or row["name"]
    if lang == "ko":
        if row.get("name_ko"):
            return row["name_ko"]
        hangul = korean_names(row.get("alternate_names", ""))
        return hangul[0] if len(hangul) == 1 else row["name"]
    return row["name"]


@lru_cache(maxsize=3)
def _towns_in(lang: str) -> tuple[Label, ...]:
    """Towns of 50,000 people or more in Russia and of half a million across its borders
    (GeoNames, data/geodata/), largest first, named in `lang`."""
    rows = []
    for name, least in (("ru_places.csv", REFERENCE_MIN_POPULATION), ("cross_border.csv", 10 * REFERENCE_MIN_POPULATION)):
        try:
            with (GEODATA_DIR / name).open(encoding="utf-8", newline="") as handle:
                for r in csv.DictReader(handle):
                    population = int(r.get("population") or 0)
                    if population >= least and r.get("feature_class", "P") == "P":
                        rows.append((population, _town_name(r, lang), float(r["lon"]), float(r["lat"])))
        except FileNotFoundError:      # the GeoNames extract is missing: no reference towns
            continue
    return tuple(Label(n, lon, lat, reference=True) for _, n, lon, lat in sorted(rows, reverse=True))


def _haloed(ax, text, xy, offset, zorder, colour=INK, **style):
    """Text with a white halo. The halo is a separate white copy: a path effect would turn the
    text itself into outlines in the SVG, and the SVG is meant to keep its text editable."""
    ax.annotate(text, xy, xytext=offset, textcoords="offset points", color="white", path_effects=HALO,
                zorder=zorder - 0.1, **style)
    ax.annotate(text, xy, xytext=offset, textcoords="offset points", color=colour, zorder=zorder, **style)


@lru_cache(maxsize=None)
def place_lonlat(name: str) -> tuple[float, float] | None:
    """From the project's gazetteer, else the largest GeoNames populated place of that name."""
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["name"].casefold() == name.casefold() and row["lat"] and row["lon"]:
                return float(row["lon"]), float(row["lat"])
    try:
        towns = [r for r in geonames_candidates(name) if r["feature_class"] == "P"]
    except FileNotFoundError:      # the GeoNames extract is missing: no label
        return None
    if not towns:
        return None
    best = max(towns, key=lambda r: int(r["population"] or 0))
    return float(best["lon"]), float(best["lat"])


# Directions tried around a place, in order of preference: right, left, above, below, diagonals,
# then beside but a little lower or higher.
DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1),
              (1, -0.5), (-1, -0.5), (1, 0.5), (-1, 0.5))


REACH = 16.0          # how far beyond its own symbols a label may sit, points


def _draw_labels(ax, panel, scale_rect, measure) -> None:
    """Label the panel's places where the label covers no symbol, leader, label or scale bar; a
    place with no free spot close by is left unlabelled rather than labelled ambiguously."""
    view, groups = panel.view, panel.groups
    taken = _obstacles(groups) + [scale_rect]
    frame = (2, 2, view.width_pt - 2, view.height_pt - 2)
    for label in panel.labels:
        name = label.name
        px, py = (float(v) for v in view.lonlat_to_pt(label.lon, label.lat))
        if not (0 <= px <= view.width_pt and 0 <= py <= view.height_pt):
            continue
        size = REFERENCE_PT if label.reference else LABEL_PT
        w, h = measure.size(name, size)
        own = next((g for g in groups if any(math.hypot(i.px - px, i.py - py) < 0.5 for i in g.items)), None)
        near = (own.radius if own and not own.moved else 0) + REACH
        marked = own is not None
        if not marked:       # a place without symbols gets its own dot, which labels must avoid too
            taken.append((px - 2, py - 2, px + 2, py + 2))
        mine, others = _symbol_points(groups, own, px, py)

        def unambiguous(box):
            """The label's nearest symbol must be its own place's, not a neighbour's."""
            return _distance(box, mine) < _distance(box, others)

        box = _free_spot(px, py, w + 1.5, h + 1.0, near, taken, frame, unambiguous)   # + the halo
        if box is None:
            if not marked:
                taken.pop()
            continue
        taken.append(box)
        x, y = view.from_pt(px, py)
        if not marked:
            ax.scatter([x], [y], s=PLACE_D ** 2, color=MUTED if label.reference else INK, linewidths=0, zorder=7)
        _haloed(ax, name, (x, y), ((box[0] + box[2]) / 2 - px, (box[1] + box[3]) / 2 - py), zorder=14,
                ha="center", va="center", fontsize=size, colour=MUTED if label.reference else INK,
                style="italic" if label.reference else "normal")


def _symbol_points(groups: list[Group], own: Group | None, px: float, py: float):
    """Centres of the symbols that belong to a place (its group's, or its own dot) and of all others."""
    mine, others = [(px, py)], []
    for g in groups:
        points = [(g.cx + i.dx, g.cy + i.dy) for i in g.items] + ([(g.tx, g.ty)] if g.moved else [])
        (mine if g is own else others).extend(points)
    return np.array(mine), np.array(others).reshape(-1, 2)


def _distance(box, points) -> float:
    """Distance from a box to the nearest of the points (inf when there are none)."""
    if not len(points):
        return math.inf
    dx = np.maximum(np.maximum(box[0] - points[:, 0], points[:, 0] - box[2]), 0)
    dy = np.maximum(np.maximum(box[1] - points[:, 1], points[:, 1] - box[3]), 0)
    return float(np.hypot(dx, dy).min())


def _free_spot(px, py, w, h, reach, taken, frame, accept):
    """The nearest label box around (px, py) that is inside the frame, free and acceptable."""
    for distance in np.arange(2.5, reach + 0.01, 1.5):
        for ux, uy in DIRECTIONS:
            # The box's near edge (or corner) sits `distance` from the place.
            cx = px + ux * (distance + w / 2)
            cy = py + uy * (distance + h / 2)
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            inside = box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]
            if inside and not any(_overlap(box, o) for o in taken) and accept(box):
                return box
    return None
