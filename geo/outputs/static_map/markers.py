"""Records and sites as symbols: grouped by place into honeycombs, pushed apart where they
overlap, drawn with the web map's colours and precision symbols."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import matplotlib
import numpy as np
import shapely
from matplotlib.path import Path as MplPath
from matplotlib.patches import Polygon
from pyproj import Geod

from geo.evidence.vocabulary import INCIDENT_TYPES
from geo.outputs.static_map.projection import View, _projected
from geo.outputs.static_map.style import (DASHES, DOT_D, GROUP_GAP, INK, MUTED, PLACE_D, RING_D, RING_SLOT, SITE_D,
                                          SLOT)
from layers.base import MapData
from layers import LAYERS
from layers.incidents import DISTRICT_RADIUS_M, PRECISE, TYPE_COLOURS
from layers.symbols import SHAPE_OUTLINES, TYPE_SHAPES
from layers.site_layer import SiteLayer


@dataclass
class Item:
    kind: str                 # "incident" or "site"
    colour: str
    shape: str = "circle"     # an incident's type symbol (layers.symbols), as on the web map
    precision: str = "exact_site"
    letter: str = ""
    highlighted: bool = False
    px: float = 0.0           # its place, points from the map's lower-left corner
    py: float = 0.0
    dx: float = 0.0           # offset from the group's drawn centre, points
    dy: float = 0.0

    @property
    def precise(self) -> bool:
        return self.precision in PRECISE


@dataclass
class Group:
    """Symbols drawn around (cx, cy); (tx, ty) is the place they belong to. Points."""
    tx: float
    ty: float
    items: list[Item] = field(default_factory=list)
    cx: float = 0.0
    cy: float = 0.0
    radius: float = 0.0
    slot: float = SLOT

    @property
    def moved(self) -> bool:
        """Pushed so far that its place is no longer under it: then a leader line leads back."""
        return math.hypot(self.cx - self.tx, self.cy - self.ty) > self.radius


def _groups(panel, located, data: MapData, land=None) -> tuple[list[Group], int]:
    """Group incidents and sites by place, lay each group out, push overlapping groups apart
    (over land: `land` is the land in the panel's points). Also returns how many located
    incidents fall outside the panel."""
    view = panel.view
    points: list[tuple[float, float, Item]] = []
    outside = 0

    def add(lon, lat, item) -> bool:
        px, py = (float(v) for v in view.lonlat_to_pt(lon, lat))
        if not (0 <= px <= view.width_pt and 0 <= py <= view.height_pt):
            return False
        item.px, item.py = px, py
        points.append((px, py, item))
        return True

    for layer in _site_layers():
        frame = data.sites.get(layer.name)
        if frame is not None and not frame.empty:
            for geom in frame.geometry[frame.geometry.notna()]:
                add(geom.x, geom.y, Item("site", layer.colour, letter=layer.letter))
    order = {key: i for i, key in enumerate(INCIDENT_TYPES)}
    highlight = set(data.highlight)
    if not located.empty:
        for rid, row in located.sort_values("type", key=lambda s: s.map(order)).iterrows():
            item = Item("incident", TYPE_COLOURS[row["type"]], TYPE_SHAPES[row["type"]],
                        precision=row["location_precision"], highlighted=rid in highlight)
            outside += not add(row.geometry.x, row.geometry.y, item)
    groups = _merge_close(points, panel.merge_pt)
    for group in groups:
        _honeycomb(group)
    towns = [view.lonlat_to_pt(label.lon, label.lat) for label in panel.labels]
    _push_apart(groups, view, [(float(x), float(y)) for x, y in towns], land)
    return groups, outside


def _merge_close(points, merge_pt: float) -> list[Group]:
    """Single-linkage clusters of places closer than merge_pt, centred on their mean position."""
    clusters: list[list[tuple[float, float, Item]]] = []
    for point in points:
        near = [c for c in clusters if any(math.hypot(point[0] - p[0], point[1] - p[1]) <= merge_pt for p in c)]
        merged = [point] + [p for c in near for p in c]
        clusters = [c for c in clusters if not any(c is n for n in near)] + [merged]
    groups = []
    for cluster in clusters:
        g = Group(float(np.mean([p[0] for p in cluster])), float(np.mean([p[1] for p in cluster])))
        g.items = [p[2] for p in cluster]
        groups.append(g)
    return groups


@lru_cache(maxsize=None)
def _hex_slots(n: int, slot: float) -> tuple[tuple[float, float], ...]:
    """The n hexagonal-lattice points nearest the origin, re-centred on their mean."""
    span = int(math.sqrt(n)) + 2
    steps = range(-span, span + 1)
    lattice = [(slot * (i + j / 2), slot * j * math.sqrt(3) / 2) for i in steps for j in steps]
    lattice.sort(key=lambda p: (round(math.hypot(*p), 3), math.atan2(p[1], p[0]) % (2 * math.pi)))
    chosen = np.array(lattice[:n])
    return tuple(map(tuple, chosen - chosen.mean(axis=0)))


def _honeycomb(group: Group) -> None:
    """Incidents in the middle (grouped by type), context sites around them."""
    group.items.sort(key=lambda item: item.kind != "incident")
    group.cx, group.cy = group.tx, group.ty
    group.slot = RING_SLOT if any(i.kind == "incident" and not i.precise for i in group.items) else SLOT
    slots = _hex_slots(len(group.items), group.slot)
    for item, (dx, dy) in zip(group.items, slots):
        item.dx, item.dy = dx, dy
    group.radius = max(math.hypot(dx, dy) for dx, dy in slots) + group.slot / 2


LAND_SLACK = 4.0      # points: a honeycomb may reach this far past the (simplified) coast


def _push_apart(groups: list[Group], view: View, towns: list[tuple[float, float]], land=None,
                rounds: int = 500) -> None:
    """Displace overlapping honeycombs along the line between them; bigger ones move less.
    A honeycomb also keeps off other groups' places and the labelled towns, so that the dot
    a leader line ends at (or a town's dot) is never hidden under someone else's symbols.
    A honeycomb whose place is on land stays on land: a coastal group moves inland, never out to
    sea (`land`: the land in the view's points). Each round moves every group at once, using an
    R-tree to find only nearby pairs."""
    if not groups:
        return
    if land is not None and not land.is_empty:
        land = land.buffer(LAND_SLACK)
        shapely.prepare(land)
        ashore = shapely.contains_xy(land, [g.tx for g in groups], [g.ty for g in groups])
    else:
        land, ashore = None, np.zeros(len(groups), bool)
    centre = np.array([(g.cx, g.cy) for g in groups])
    radius = np.array([g.radius for g in groups])
    places, owner = _places(groups, towns)
    place_tree = shapely.STRtree(shapely.points(places))
    for _ in range(rounds):
        shift = np.zeros_like(centre)
        # Off foreign places: straight out to the clearance distance.
        g, p = place_tree.query(shapely.points(centre), predicate="dwithin", distance=radius.max() + PLACE_D)
        keep = owner[p] != g
        g, p = g[keep], p[keep]
        away = centre[g] - places[p]
        dist = np.hypot(*away.T)
        gap = radius[g] + PLACE_D - dist
        hit = gap > 1e-6
        np.add.at(shift, g[hit], _unit(away[hit], dist[hit]) * gap[hit, None])
        # Off each other: the overlap is shared, the smaller group taking the larger part.
        i, j = shapely.STRtree(shapely.points(centre)).query(
            shapely.points(centre), predicate="dwithin", distance=2 * radius.max() + GROUP_GAP)
        keep = i < j
        i, j = i[keep], j[keep]
        apart = centre[j] - centre[i]
        dist = np.hypot(*apart.T)
        overlap = radius[i] + radius[j] + GROUP_GAP - dist
        hit = overlap > 1e-6
        i, j, unit, overlap = i[hit], j[hit], _unit(apart[hit], dist[hit]), overlap[hit]
        share = radius[j] ** 2 / (radius[i] ** 2 + radius[j] ** 2)
        np.add.at(shift, i, -unit * (overlap * share)[:, None])
        np.add.at(shift, j, unit * (overlap * (1 - share))[:, None])
        centre += shift * 0.5           # half steps: all groups move at once, so full ones overshoot
        # Keep honeycombs on the map, and those of places on land on land.
        centre[:, 0] = np.clip(centre[:, 0], radius, view.width_pt - radius)
        centre[:, 1] = np.clip(centre[:, 1], radius, view.height_pt - radius)
        if land is not None:
            _back_ashore(centre, ashore, land)
        if np.abs(shift).max() < 0.05:
            break
    for group, (x, y) in zip(groups, centre):
        group.cx, group.cy = float(x), float(y)


def _back_ashore(centre: np.ndarray, ashore: np.ndarray, land) -> None:
    """Move the centres of land places' groups that were pushed out to sea back to the coast."""
    wet = ashore & ~shapely.contains_xy(land, centre[:, 0], centre[:, 1])
    if not wet.any():
        return
    coast = land.boundary
    for k in np.flatnonzero(wet):
        point = shapely.Point(centre[k])
        nearest = shapely.line_interpolate_point(coast, shapely.line_locate_point(coast, point))
        inward = np.array([nearest.x, nearest.y]) - centre[k]
        length = float(np.hypot(*inward)) or 1.0
        centre[k] = np.array([nearest.x, nearest.y]) + inward / length * 0.5


def _unit(vectors: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Unit vectors; a zero vector (two things on one spot) gets a fixed direction."""
    unit = np.tile([0.958, 0.287], (len(vectors), 1))
    ok = lengths > 1e-6
    unit[ok] = vectors[ok] / lengths[ok, None]
    return unit


def _places(groups: list[Group], towns) -> tuple[np.ndarray, np.ndarray]:
    """Every group's places and the labelled towns, each with the index of the group it
    belongs to (-1: a town with no symbols). A group need not keep off its own places."""
    places: dict[tuple[float, float], int] = {}
    for k, g in enumerate(groups):
        for i in g.items:
            places[(round(i.px, 1), round(i.py, 1))] = k
    for x, y in towns:
        key = (round(x, 1), round(y, 1))
        mine = [k for (px, py), k in places.items() if abs(px - key[0]) < 0.6 and abs(py - key[1]) < 0.6]
        places.setdefault(key, mine[0] if mine else -1)
    return np.array(list(places), dtype=float).reshape(-1, 2), np.array(list(places.values()), dtype=int)


def _site_layers() -> list[SiteLayer]:
    return [layer for layer in LAYERS if isinstance(layer, SiteLayer)]


def _draw_precision_areas(ax, view: View, data: MapData, located) -> None:
    """District-level: a ~40 km circle; region-level: the region's outline (as on the web map)."""
    if located.empty:
        return
    codes = set(located.loc[located["location_precision"] == "region", "subject_code"])
    regions = sorted(codes & set(data.subjects.index))
    outlines = _projected(data.subjects.loc[regions], view) if regions else data.subjects.iloc[:0]
    if not outlines.empty:
        outlines.plot(ax=ax, facecolor="#777777", alpha=0.09, linewidth=0, zorder=5)
        outlines.boundary.plot(ax=ax, color=MUTED, linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=5)
    geod = Geod(ellps="WGS84")
    azimuths = np.linspace(0, 360, 73)
    for _, row in located[located["location_precision"] == "district"].iterrows():
        lons, lats, _ = geod.fwd(np.full(73, row.geometry.x), np.full(73, row.geometry.y), azimuths,
                                 np.full(73, DISTRICT_RADIUS_M))
        ring = np.column_stack(view.forward.transform(lons, lats))
        colour = TYPE_COLOURS[row["type"]]
        ax.add_patch(Polygon(ring, closed=True, facecolor=colour, alpha=0.10, linewidth=0, zorder=5))
        ax.add_patch(Polygon(ring, closed=True, fill=False, edgecolor=colour, linewidth=0.8,
                             linestyle=(0, (3, 2)), zorder=5))
    ax.set_xlabel("")
    ax.set_ylabel("")


def _draw_groups(ax, view: View, groups: list[Group]) -> None:
    """Leaders and place dots, then site squares, then incident symbols on top."""
    moved = [g for g in groups if g.moved]
    for g in moved:      # the leader stops at the honeycomb's edge
        length = math.hypot(g.cx - g.tx, g.cy - g.ty)
        keep = max(length - g.radius + g.slot / 2, 0) / length
        x, y = view.from_pt([g.tx, g.tx + (g.cx - g.tx) * keep], [g.ty, g.ty + (g.cy - g.ty) * keep])
        ax.plot(x, y, color=MUTED, linewidth=0.6, zorder=6, solid_capstyle="round")
    if moved:
        x, y = view.from_pt([g.tx for g in moved], [g.ty for g in moved])
        ax.scatter(x, y, s=PLACE_D ** 2, color=INK, linewidths=0, zorder=7)

    def positions(pick):
        chosen = [(g, i) for g in groups for i in g.items if pick(i)]
        x, y = view.from_pt([g.cx + i.dx for g, i in chosen], [g.cy + i.dy for g, i in chosen])
        return [i for _, i in chosen], x, y

    items, x, y = positions(lambda i: i.kind == "site")
    if items:
        _site_squares(ax, x, y, [i.colour for i in items], [i.letter for i in items])
    items, x, y = positions(lambda i: i.kind == "incident" and not i.precise)
    if items:
        _rings(ax, x, y, [i.colour for i in items], [i.shape for i in items])
    items, x, y = positions(lambda i: i.kind == "incident" and i.precise)
    if items:
        _dots(ax, x, y, [i.colour for i in items], [i.shape for i in items])
    items, x, y = positions(lambda i: i.highlighted)
    if items:
        ax.scatter(x, y, s=(RING_D + 1.5) ** 2, facecolors="none", edgecolors="#111111", linewidths=1.4, zorder=11)


@lru_cache(maxsize=None)
def _type_marker(shape: str) -> tuple[MplPath, float]:
    """A shape of layers.symbols as a matplotlib marker, and how large it is against its 20-unit box:
    matplotlib scales every marker path to the same extent, the web draws them in one box."""
    points = np.array(SHAPE_OUTLINES[shape]) - 10.0
    points[:, 1] *= -1     # SVG's y runs downwards
    extent = float(np.abs(points).max())
    return MplPath(np.vstack([points, points[:1]]), closed=True), extent / 10.0


# The three symbols, shared by the map and the legend so they always agree: a type's shape alone
# (settlement or exact site), the shape in a dashed ring (district or region), a site's square.
def _dots(ax, x, y, colours, shapes=None, zorder=10, size=DOT_D * 1.15):
    shapes = shapes or ["circle"] * len(colours)
    for shape in dict.fromkeys(shapes):
        chosen = [k for k, s in enumerate(shapes) if s == shape]
        marker, scale = _type_marker(shape)
        ax.scatter([x[k] for k in chosen], [y[k] for k in chosen], s=(size * scale) ** 2, marker=marker,
                   c=[colours[k] for k in chosen], edgecolors="white", linewidths=0.6, zorder=zorder)


def _rings(ax, x, y, colours, shapes=None, zorder=9):
    fill = [matplotlib.colors.to_rgba("#444444", 0.14) for _ in colours]
    ax.scatter(x, y, s=RING_D ** 2, c=fill, edgecolors="#444444", linewidths=0.9, linestyles=DASHES, zorder=zorder)
    _dots(ax, x, y, colours, shapes, zorder=zorder + 0.5, size=RING_D * 0.72)


def _site_squares(ax, x, y, colours, letters, zorder=8):
    ax.scatter(x, y, s=SITE_D ** 2, marker="s", c=colours, edgecolors="white", linewidths=0.4, zorder=zorder)
    for xi, yi, letter in zip(x, y, letters):
        ax.text(xi, yi, letter, fontsize=4.3, fontweight="bold", color="white", ha="center",
                va="center_baseline", zorder=zorder + 0.5)


def _obstacles(groups: list[Group]) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, y0, x1, y1, points) that labels and the scale bar must not cover."""
    boxes = []
    for g in groups:
        for i in g.items:
            x, y, r = g.cx + i.dx, g.cy + i.dy, g.slot / 2
            boxes.append((x - r, y - r, x + r, y + r))
        if g.moved:      # the place dot and the leader, sampled
            steps = max(int(math.hypot(g.cx - g.tx, g.cy - g.ty) / 3), 1)
            for t in np.linspace(0, 1, steps + 1):
                x, y = g.tx + (g.cx - g.tx) * t, g.ty + (g.cy - g.ty) * t
                boxes.append((x - 1.5, y - 1.5, x + 1.5, y + 1.5))
    return boxes


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0
