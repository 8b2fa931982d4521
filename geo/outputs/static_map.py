"""Print-quality static maps (PNG, SVG) for reports, drawn offline: no tiles, no network.

The symbols are the web map's own (layers/): a colour per incident type, location precision
drawn honestly (dot, district circle, region outline), lettered squares for sites. Every record
and site gets its own symbol: those at one place are packed in a small honeycomb centred on it,
and honeycombs that would overlap are pushed apart with a leader line back to the place.

Maps are drawn in a Lambert conformal conic projection fitted to each panel, so Russia's Far
East keeps its shape; each scale bar is computed for the latitude it stands at. When the records
span all of Russia and many lie in the Far East, a Far East detail panel is added below.
"""
from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas
import matplotlib
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Polygon, Rectangle
from pyproj import CRS, Geod, Proj, Transformer
from shapely.geometry import LineString

from geo.places.gazetteer import geonames_candidates
from geo.paths import GAZETTEER_CSV
from geo.evidence.vocabulary import INCIDENT_TYPES
from geo.writing import replacing
from layers import LAYERS
from layers.base import MapData
from layers.basemap import SEA
from layers.incidents import DISTRICT_RADIUS_M, PRECISE, TYPE_COLOURS
from layers.site_layer import SiteLayer

FORMATS = ("png", "svg")

# Basemap: the web map's colours (layers/basemap.py), federal-subject lines a little lighter for print.
RUSSIA_FILL, OTHER_FILL = "#fbfaf6", "#eeebe3"
COUNTRY_EDGE, SUBJECT_EDGE = "#8a8a8a", "#cfcabd"
GRATICULE = "#a9bccb"
INK, MUTED = "#222222", "#555555"

LABEL_PLACES = ("Vladivostok", "Khabarovsk", "Blagoveshchensk", "Khasan", "Chegdomyn", "Tynda",
                "Moscow", "Nakhodka", "Ussuriysk")
# The Far East, where most of the register lies: the empty-map default and the detail panel.
FAR_EAST = (120.0, 40.0, 145.0, 56.0)
DETAIL_MIN_RECORDS, DETAIL_MIN_SHARE, DETAIL_MIN_SPAN_M = 5, 0.3, 4_000_000

# Page geometry, inches. The width is A4 portrait; the height follows the maps and the text.
PAGE_W = 8.27
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 0.62, 0.55, 0.35, 0.32
MAP_W = PAGE_W - MARGIN_L - MARGIN_R
DETAIL_W = 4.3
TICKS_H, PANEL_HEAD_H, GAP = 0.26, 0.22, 0.14
MIN_ACROSS_M, PAD = 1_500_000, 0.15

# Symbol sizes, points (1/72 in).
DOT_D, RING_D, SITE_D = 6.0, 7.4, 6.4           # precise dot, district/region ring, site square
SLOT = 7.9                                      # honeycomb spacing: dots and squares plus a hair
RING_SLOT = 8.9                                 # ... when dashed rings (wider, with a thick edge) are in it
GROUP_GAP = 2.0                                 # clearance between honeycombs
PLACE_D = 2.6                                   # the dark dot marking a moved group's place
TITLE_PT, LEGEND_PT, CAPTION_PT, LABEL_PT, TICK_PT = 13, 7.0, 6.8, 7.2, 6.3
DASHES = (0, (2.0, 1.1))
HALO = [patheffects.Stroke(linewidth=2.4, foreground="white")]


# -- public entry point -----------------------------------------------------------------------

def render_static_map(data: MapData, path: Path, fmt: str, *, title: str, caption_lines: list[str],
                      extent: tuple[float, float, float, float] | None = None, dpi: int = 300,
                      private: bool = False) -> Path:
    """Draw `data` as a static map and write it atomically to `path` as PNG or SVG.

    extent is (west, south, east, north) in degrees; None fits the drawn incidents (padded 15%,
    at least 1,500 km across). Country-level records have no point: the caption counts them.
    private writes the file readable by its owner only (full releases). Text is drawn as written:
    a `$` in a title or quote is a dollar sign, not the start of mathtext.
    """
    with matplotlib.rc_context({"text.parse_math": False}):
        return _render(data, Path(path), fmt, title, caption_lines, extent, dpi, private)


def _render(data: MapData, path: Path, fmt: str, title: str, caption_lines: list[str], extent, dpi: int,
            private: bool) -> Path:
    fmt = str(fmt).lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"unknown map format {fmt!r}: expected one of {', '.join(FORMATS)}")
    path = Path(path)
    located = data.incidents[data.incidents.geometry.notna()] if not data.incidents.empty else data.incidents

    main = Panel(_fit_view(located, extent, MAP_W))
    detail = _detail_panel(located, main.view) if extent is None else None
    if detail is not None:
        main.heading, main.merge_pt, main.detail = "a  All located records", 12.0, detail.view
        main.labels = tuple(name for name in LABEL_PLACES if not _within(place_lonlat(name), FAR_EAST))

    fig = Figure(figsize=(PAGE_W, 11.0), dpi=dpi)
    measure = _Measure(FigureCanvasAgg(fig).get_renderer(), dpi)
    for panel in filter(None, (main, detail)):
        panel.groups, panel.outside = _groups(panel, located, data)
    legend = _legend_rows(data, [main, detail], measure, MAP_W - DETAIL_W - 0.5 if detail else MAP_W / 3 - 0.1)
    title_lines = measure.wrap(title, MAP_W * 72, TITLE_PT, bold=True)
    caption = [line for text in [*caption_lines, *_notes(data, main, caption_lines)]
               for line in measure.wrap(text, MAP_W * 72, CAPTION_PT)]
    layout = _layout(main, detail, title_lines, legend, caption)
    fig.set_size_inches(PAGE_W, layout.page_h)

    for panel in filter(None, (main, detail)):
        _draw_panel(fig.add_axes(layout.fraction(panel.box)), panel, data, located, measure)
    _draw_title(fig, layout, title_lines)
    if legend:
        _draw_legend(fig.add_axes(layout.fraction(layout.legend_box)), layout, legend)
    _draw_caption(fig, layout, caption)
    return _write_atomically(fig, path, fmt, dpi, title, private)


# -- views: projection and window ---------------------------------------------------------------

@dataclass
class View:
    crs: CRS
    lon0: float
    xmin: float
    ymin: float
    xmax: float
    ymax: float
    width_in: float

    def __post_init__(self):
        self.forward = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        self.inverse = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        self.pt_per_m = self.width_in * 72 / (self.xmax - self.xmin)

    @property
    def aspect(self) -> float:
        return (self.ymax - self.ymin) / (self.xmax - self.xmin)

    @property
    def width_pt(self) -> float:
        return self.width_in * 72

    @property
    def height_pt(self) -> float:
        return self.width_in * 72 * self.aspect

    def to_pt(self, x, y):
        """Map metres -> points from the map's lower-left corner (where symbols are laid out)."""
        return (np.asarray(x) - self.xmin) * self.pt_per_m, (np.asarray(y) - self.ymin) * self.pt_per_m

    def from_pt(self, px, py):
        return self.xmin + np.asarray(px) / self.pt_per_m, self.ymin + np.asarray(py) / self.pt_per_m

    def lonlat_to_pt(self, lon, lat):
        return self.to_pt(*self.forward.transform(lon, lat))


def _conic(west: float, south: float, east: float, north: float) -> tuple[CRS, float]:
    """Lambert conformal conic with standard parallels at 1/6 and 5/6 of the latitude span."""
    span = max(north - south, 4.0)
    mid, lon0 = (south + north) / 2, (west + east) / 2
    lat1, lat2 = max(mid - span / 3, 1.0), min(mid + span / 3, 89.0)
    return CRS.from_proj4(f"+proj=lcc +lat_1={lat1:.3f} +lat_2={lat2:.3f} +lat_0={mid:.3f} "
                          f"+lon_0={lon0:.3f} +datum=WGS84 +units=m +no_defs"), lon0


def _fit_view(located, extent, width_in: float, aspect: tuple[float, float] = (0.55, 1.15)) -> View:
    """The window: the extent box, or the located records padded; aspect is (min, max) height/width."""
    if extent is not None:
        west, south, east, north = map(float, extent)
        if not (west < east and south < north):
            raise ValueError(f"extent {extent!r} is not (west, south, east, north) with west < east, south < north")
        crs, lon0 = _conic(west, south, east, north)
        # The whole requested box, densified: its edges curve in a conic projection.
        xs, ys = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(*_box_ring(west, south, east, north))
        return _shape_window(crs, lon0, min(xs), min(ys), max(xs), max(ys), width_in, aspect)
    if located.empty:
        return _fit_view(None, FAR_EAST, width_in, aspect)
    crs, lon0 = _conic(*located.total_bounds)
    xs, ys = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(located.geometry.x.values,
                                                                              located.geometry.y.values)
    pad_x, pad_y = (max(xs) - min(xs)) * PAD, (max(ys) - min(ys)) * PAD
    return _shape_window(crs, lon0, min(xs) - pad_x, min(ys) - pad_y, max(xs) + pad_x, max(ys) + pad_y,
                         width_in, aspect)


def _shape_window(crs, lon0, x0, y0, x1, y1, width_in, aspect) -> View:
    """Grow the window to at least MIN_ACROSS_M wide and to an aspect that fits a page."""
    def grow(lo, hi, size):
        extra = max(size - (hi - lo), 0) / 2
        return lo - extra, hi + extra

    x0, x1 = grow(x0, x1, MIN_ACROSS_M)
    y0, y1 = grow(y0, y1, (x1 - x0) * aspect[0])
    x0, x1 = grow(x0, x1, (y1 - y0) / aspect[1])
    return View(crs, lon0, x0, y0, x1, y1, width_in)


def _box_ring(x0, y0, x1, y1, n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """A box's outline with n points per side, for projecting into a curved shape."""
    t = np.linspace(0, 1, n)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full(n, x1), x1 - (x1 - x0) * t, np.full(n, x0)])
    ys = np.concatenate([np.full(n, y0), y0 + (y1 - y0) * t, np.full(n, y1), y1 - (y1 - y0) * t])
    return xs, ys


def _within(lonlat, box) -> bool:
    return lonlat is not None and box[0] <= lonlat[0] <= box[2] and box[1] <= lonlat[1] <= box[3]


# -- panels: one map each -----------------------------------------------------------------------

@dataclass
class Panel:
    view: View
    heading: str | None = None
    merge_pt: float = 3.0               # places closer than this share one honeycomb
    labels: tuple[str, ...] = LABEL_PLACES
    detail: View | None = None          # outlined on an overview
    groups: list = field(default_factory=list)
    outside: int = 0
    box: tuple[float, float, float, float] = (0, 0, 0, 0)    # inches: left, bottom, width, height


def _detail_panel(located, main: View) -> Panel | None:
    """A Far East detail when the records span Russia but many of them lie in the Far East."""
    if located.empty or main.xmax - main.xmin < DETAIL_MIN_SPAN_M:
        return None
    inside = located[[_within((g.x, g.y), FAR_EAST) for g in located.geometry]]
    few = len(inside) < max(DETAIL_MIN_RECORDS, DETAIL_MIN_SHARE * len(located))
    if few or len(inside) == len(located):
        return None
    # Nearly square: it stands beside the legend, which is about as tall.
    return Panel(_fit_view(inside, None, DETAIL_W, aspect=(0.9, 1.05)), heading="b  Far East (detail)",
                 labels=tuple(n for n in LABEL_PLACES if _within(place_lonlat(n), FAR_EAST)))


def _draw_panel(ax, panel: Panel, data: MapData, located, measure: "_Measure") -> None:
    view = panel.view
    _draw_frame(ax, view)
    _draw_basemap(ax, view, data)
    _draw_graticule(ax, view)
    _draw_precision_areas(ax, view, data, located)
    _draw_groups(ax, view, panel.groups)
    if panel.detail is not None:
        _draw_detail_outline(ax, view, panel.detail)
    scale_rect = _draw_scale_bar(ax, view, panel.groups)
    _draw_labels(ax, panel, scale_rect, measure)
    if panel.heading:
        ax.set_title(panel.heading, loc="left", fontsize=8, fontweight="bold", color=INK, pad=4)


# -- records and sites as honeycombs ------------------------------------------------------------

@dataclass
class Item:
    kind: str                 # "incident" or "site"
    colour: str
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


def _groups(panel: Panel, located, data: MapData) -> tuple[list[Group], int]:
    """Group incidents and sites by place, lay each group out, push overlapping groups apart.
    Also returns how many located incidents fall outside the panel."""
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
            item = Item("incident", TYPE_COLOURS[row["type"]], precision=row["location_precision"],
                        highlighted=rid in highlight)
            outside += not add(row.geometry.x, row.geometry.y, item)
    groups = _merge_close(points, panel.merge_pt)
    for group in groups:
        _honeycomb(group)
    towns = [view.lonlat_to_pt(*lonlat) for lonlat in map(place_lonlat, panel.labels) if lonlat is not None]
    _push_apart(groups, view, [(float(x), float(y)) for x, y in towns])
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


def _push_apart(groups: list[Group], view: View, towns: list[tuple[float, float]], rounds: int = 500) -> None:
    """Displace overlapping honeycombs along the line between them; bigger ones move less.
    A honeycomb also keeps off other groups' places and the labelled towns, so that the dot
    a leader line ends at (or a town's dot) is never hidden under someone else's symbols.
    Each round moves every group at once, using an R-tree to find only nearby pairs."""
    if not groups:
        return
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
        # Keep honeycombs on the map.
        centre[:, 0] = np.clip(centre[:, 0], radius, view.width_pt - radius)
        centre[:, 1] = np.clip(centre[:, 1], radius, view.height_pt - radius)
        if np.abs(shift).max() < 0.05:
            break
    for group, (x, y) in zip(groups, centre):
        group.cx, group.cy = float(x), float(y)


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


# -- drawing a map ------------------------------------------------------------------------------

def _draw_frame(ax, view: View) -> None:
    ax.set_xlim(view.xmin, view.xmax)
    ax.set_ylim(view.ymin, view.ymax)
    ax.set_aspect("equal", adjustable="box")
    ax.set_facecolor(SEA)
    for spine in ax.spines.values():
        spine.set_edgecolor("#666666")
        spine.set_linewidth(0.8)
    ax.tick_params(labelsize=TICK_PT, colors=MUTED, length=2.5, width=0.5, pad=2)


def _projected(frame: geopandas.GeoDataFrame, view: View) -> geopandas.GeoDataFrame:
    """Outlines in the view's projection, cut to the window (smaller files, faster drawing)."""
    if frame.empty:
        return frame
    projected = frame[frame.geometry.notna()].to_crs(view.crs)
    margin = (view.xmax - view.xmin) * 0.05
    clipped = projected.clip_by_rect(view.xmin - margin, view.ymin - margin, view.xmax + margin, view.ymax + margin)
    projected = projected.set_geometry(clipped)
    return projected[~projected.geometry.is_empty]


def _draw_basemap(ax, view: View, data: MapData) -> None:
    countries = _projected(data.countries, view)
    if not countries.empty:
        fills = [RUSSIA_FILL if code == "RU" else OTHER_FILL for code in countries["code"]]
        countries.plot(ax=ax, color=fills, linewidth=0, zorder=1)
    subjects = _projected(data.subjects, view)
    if not subjects.empty:
        subjects.boundary.plot(ax=ax, color=SUBJECT_EDGE, linewidth=0.35, zorder=2)
    if not countries.empty:
        countries.boundary.plot(ax=ax, color=COUNTRY_EDGE, linewidth=0.7, zorder=3)
    ax.set_xlabel("")      # geopandas labels the axes with the CRS units
    ax.set_ylabel("")


def _draw_graticule(ax, view: View) -> None:
    """Meridians and parallels as projected curves, labelled where they cross the frame."""
    lons, _ = view.inverse.transform(np.linspace(view.xmin, view.xmax, 30), np.full(30, view.ymax))
    step = 10 if np.ptp(lons) > 50 else 5
    bottom = LineString([(view.xmin, view.ymin), (view.xmax, view.ymin)])
    left = LineString([(view.xmin, view.ymin), (view.xmin, view.ymax)])
    right = LineString([(view.xmax, view.ymin), (view.xmax, view.ymax)])
    xticks, yticks, rticks = {}, {}, {}
    lats = np.arange(-60, 88.01, 0.5)
    for lon in np.arange(math.ceil((view.lon0 - 170) / step) * step, view.lon0 + 170, step):
        line = _graticule_line(ax, view, np.full(lats.size, lon), lats)
        for point in _crossings(line, bottom):
            xticks[point.x] = _degrees(lon, "E", "W")
    lons = np.arange(view.lon0 - 170, view.lon0 + 170.01, 0.5)
    for lat in range(-80, 90, step):
        line = _graticule_line(ax, view, lons, np.full(lons.size, float(lat)))
        for point in _crossings(line, left):
            yticks[point.y] = _degrees(lat, "N", "S")
        for point in _crossings(line, right):
            rticks[point.y] = _degrees(lat, "N", "S")
    ax.set_xticks(list(xticks), list(xticks.values()))
    ax.set_yticks(list(yticks), list(yticks.values()))
    secondary = ax.secondary_yaxis("right")
    secondary.set_yticks(list(rticks), list(rticks.values()))
    secondary.tick_params(labelsize=TICK_PT, colors=MUTED, length=2.5, width=0.5, pad=2)


def _graticule_line(ax, view: View, lons, lats) -> LineString:
    xs, ys = view.forward.transform(lons, lats)
    ax.plot(xs, ys, color=GRATICULE, linewidth=0.35, zorder=4)
    return LineString(np.column_stack([xs, ys]))


def _crossings(line: LineString, edge: LineString):
    hit = line.intersection(edge)
    return [] if hit.is_empty else list(getattr(hit, "geoms", [hit]))


def _degrees(value: float, positive: str, negative: str) -> str:
    value = (value + 180) % 360 - 180 if positive == "E" else value
    return f"{abs(value):g}°{positive if value >= 0 else negative}"


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
        _rings(ax, x, y, [i.colour for i in items])
    items, x, y = positions(lambda i: i.kind == "incident" and i.precise)
    if items:
        _dots(ax, x, y, [i.colour for i in items])
    items, x, y = positions(lambda i: i.highlighted)
    if items:
        ax.scatter(x, y, s=(RING_D + 1.5) ** 2, facecolors="none", edgecolors="#111111", linewidths=1.4, zorder=11)


# The three symbols, shared by the map and the legend so they always agree.
def _dots(ax, x, y, colours, zorder=10):
    ax.scatter(x, y, s=DOT_D ** 2, c=colours, edgecolors="white", linewidths=0.7, zorder=zorder)


def _rings(ax, x, y, colours, zorder=9):
    fill = [matplotlib.colors.to_rgba(c, 0.38) for c in colours]
    ax.scatter(x, y, s=RING_D ** 2, c=fill, edgecolors=colours, linewidths=1.2, linestyles=DASHES, zorder=zorder)


def _site_squares(ax, x, y, colours, letters, zorder=8):
    ax.scatter(x, y, s=SITE_D ** 2, marker="s", c=colours, edgecolors="white", linewidths=0.4, zorder=zorder)
    for xi, yi, letter in zip(x, y, letters):
        ax.text(xi, yi, letter, fontsize=4.3, fontweight="bold", color="white", ha="center",
                va="center_baseline", zorder=zorder + 0.5)


def _draw_detail_outline(ax, view: View, detail: View) -> None:
    """The detail panel's window, carried into this panel's projection."""
    lons, lats = detail.inverse.transform(*_box_ring(detail.xmin, detail.ymin, detail.xmax, detail.ymax, 40))
    outline = np.column_stack(view.forward.transform(lons, lats))
    ax.add_patch(Polygon(outline, closed=True, fill=False, edgecolor=INK, linewidth=0.8, zorder=12))
    corner = outline[np.argmax(outline[:, 1] - outline[:, 0] * 1e-3)]
    _haloed(ax, "b", corner, (3, -3), ha="left", va="top", fontsize=8, fontweight="bold", zorder=12)


def _haloed(ax, text, xy, offset, zorder, **style):
    """Text with a white halo. The halo is a separate white copy: a path effect would turn the
    text itself into outlines in the SVG, and the SVG is meant to keep its text editable."""
    ax.annotate(text, xy, xytext=offset, textcoords="offset points", color="white", path_effects=HALO,
                zorder=zorder - 0.1, **style)
    ax.annotate(text, xy, xytext=offset, textcoords="offset points", color=INK, zorder=zorder, **style)


# -- scale bar ----------------------------------------------------------------------------------

def _nice_km(target: float) -> float:
    magnitude = 10 ** math.floor(math.log10(target))
    return max(f * magnitude for f in (1, 2, 5, 10) if f * magnitude <= target)


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


def _draw_scale_bar(ax, view: View, groups: list[Group]) -> tuple[float, float, float, float]:
    """A km bar in the emptiest corner, true at that corner's latitude (conic scale varies)."""
    target_pt = min(view.width_pt * 0.2, 110)
    box_w, box_h, inset = target_pt + 34, 26.0, 5.0
    corners = [(inset, inset), (view.width_pt - inset - box_w, inset),
               (inset, view.height_pt - inset - box_h), (view.width_pt - inset - box_w, view.height_pt - inset - box_h)]
    obstacles = _obstacles(groups)
    x0, y0 = min(corners, key=lambda c: sum(_overlap((c[0], c[1], c[0] + box_w, c[1] + box_h), o) for o in obstacles))
    lon, lat = view.inverse.transform(*view.from_pt(x0 + box_w / 2, y0 + box_h / 2))
    scale = Proj(view.crs).get_factors(lon, lat).meridional_scale
    km_per_pt = 1 / (view.pt_per_m * 1000 * scale)
    km = _nice_km(target_pt * km_per_pt)
    bar_pt = km / km_per_pt

    def axes(px, py):
        return px / view.width_pt, py / view.height_pt

    ax.add_patch(Rectangle(axes(x0, y0), box_w / view.width_pt, box_h / view.height_pt, transform=ax.transAxes,
                           facecolor="white", alpha=0.85, edgecolor="#bbbbbb", linewidth=0.4, zorder=12))
    bx, by = x0 + (box_w - bar_pt) / 2, y0 + 9.5
    for k in range(4):
        ax.add_patch(Rectangle(axes(bx + k * bar_pt / 4, by), bar_pt / 4 / view.width_pt, 2.8 / view.height_pt,
                               transform=ax.transAxes, facecolor=INK if k % 2 == 0 else "white",
                               edgecolor=INK, linewidth=0.4, zorder=13))
    for frac, text in ((0, "0"), (0.5, f"{km / 2:g}"), (1, f"{km:g} km")):
        ax.text(*axes(bx + frac * bar_pt, by + 4.5), text, transform=ax.transAxes, fontsize=5.6, color=INK,
                ha="center", va="bottom", zorder=13)
    ax.text(*axes(x0 + box_w / 2, y0 + 2.2), f"scale true at {abs(lat):.0f}°{'N' if lat >= 0 else 'S'}",
            transform=ax.transAxes, fontsize=4.8, color=MUTED, ha="center", va="bottom", zorder=13)
    return (x0, y0, x0 + box_w, y0 + box_h)


# -- place labels -------------------------------------------------------------------------------

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


def _draw_labels(ax, panel: Panel, scale_rect, measure: "_Measure") -> None:
    """Label key places where the label covers no symbol, leader, label or scale bar; a place
    with no free spot close by is left unlabelled rather than labelled ambiguously."""
    view, groups = panel.view, panel.groups
    taken = _obstacles(groups) + [scale_rect]
    frame = (2, 2, view.width_pt - 2, view.height_pt - 2)
    for name in panel.labels:
        lonlat = place_lonlat(name)
        if lonlat is None:
            continue
        px, py = (float(v) for v in view.lonlat_to_pt(*lonlat))
        if not (0 <= px <= view.width_pt and 0 <= py <= view.height_pt):
            continue
        w, h = measure.size(name, LABEL_PT)
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
            ax.scatter([x], [y], s=PLACE_D ** 2, color=INK, linewidths=0, zorder=7)
        _haloed(ax, name, (x, y), ((box[0] + box[2]) / 2 - px, (box[1] + box[3]) / 2 - py), zorder=14,
                ha="center", va="center", fontsize=LABEL_PT)


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


# -- title, legend, caption ---------------------------------------------------------------------

class _Measure:
    """Text sizes in points, from the Agg renderer (the SVG uses the same font metrics)."""

    def __init__(self, renderer, dpi):
        self.renderer, self.scale = renderer, 72 / dpi

    def size(self, text: str, size: float, bold: bool = False) -> tuple[float, float]:
        prop = FontProperties(size=size, weight="bold" if bold else "normal")
        w, h, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
        return w * self.scale, h * self.scale

    def wrap(self, text: str, width_pt: float, size: float, bold: bool = False) -> list[str]:
        lines, current = [], ""
        for word in re.split(r"[ \t\n]+", str(text).strip()):     # not at no-break spaces
            trial = f"{current} {word}".strip()
            if current and self.size(trial, size, bold)[0] > width_pt:
                lines.append(current)
                current = word
            else:
                current = trial
        return lines + [current] if current else lines or [""]


LINE = 0.114          # legend text line, inches
ENTRY_PAD = 0.04      # between legend entries
HEAD = 0.2            # legend heading
CAPTION_ROW = 0.122


@dataclass
class LegendRow:
    height: float
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    symbol: object = None        # callable(ax, x, y) drawing the swatch


def _legend_rows(data: MapData, panels, measure: _Measure, column_in: float) -> list[LegendRow]:
    """The legend as rows (headings and entries), labels wrapped to the column width."""
    groups = [g for p in panels if p is not None for g in p.groups]
    drawn = [i for g in groups for i in g.items]
    colours = {i.colour for i in drawn if i.kind == "incident"}
    text_pt = (column_in - 0.2) * 72
    rows: list[LegendRow] = []

    def section(heading, entries):
        if entries:
            rows.append(LegendRow(HEAD, heading=heading))
            for label, symbol in entries:
                lines = measure.wrap(label, text_pt, LEGEND_PT)
                rows.append(LegendRow(len(lines) * LINE + ENTRY_PAD, lines=lines, symbol=symbol))

    section("Incidents by type", [(label, _swatch(_dots, TYPE_COLOURS[key])) for key, label in INCIDENT_TYPES.items()
                                  if TYPE_COLOURS[key] in colours])
    precisions = {i.precision for i in drawn if i.kind == "incident"}
    entries = []
    if precisions & set(PRECISE):
        entries.append(("Settlement or exact site", _swatch(_dots, "#888888")))
    if "district" in precisions:
        entries.append(("District-level: dashed ring, shaded circle ≈\u00a040\u00a0km round the district centre",
                        _district_swatch))
    if "region" in precisions:
        entries.append(("Region-level: dashed ring, the region outlined", _region_swatch))
    if any(len(g.items) > 1 for g in groups):
        entries.append(("Records or sites at one place are packed side by side around it", _spread_swatch))
    if any(g.moved for g in groups):
        entries.append(("Moved aside to stay visible: a line leads back to the place (●)", _moved_swatch))
    section("Location", entries)
    layers = {(i.colour, i.letter) for i in drawn if i.kind == "site"}
    section("Sites (context)", [(layer.title, _swatch(_site_squares, layer.colour, layer.letter))
                                for layer in _site_layers() if (layer.colour, layer.letter) in layers])
    return rows


def _swatch(draw, colour, letter=None):
    if letter is None:
        return lambda ax, x, y: draw(ax, [x], [y], [colour])
    return lambda ax, x, y: draw(ax, [x], [y], [colour], [letter])


def _district_swatch(ax, x, y):
    ax.add_patch(Circle((x, y), 0.075, facecolor="#888888", alpha=0.15, linewidth=0))
    ax.add_patch(Circle((x, y), 0.075, fill=False, edgecolor="#888888", linewidth=0.6, linestyle=(0, (3, 2))))
    _rings(ax, [x], [y], ["#888888"])


def _region_swatch(ax, x, y):
    shape = np.array([(-0.075, -0.05), (-0.02, -0.068), (0.07, -0.04), (0.075, 0.05), (0.0, 0.068), (-0.07, 0.04)])
    ax.add_patch(Polygon(shape + (x, y), closed=True, facecolor="#777777", alpha=0.15, linewidth=0))
    ax.add_patch(Polygon(shape + (x, y), closed=True, fill=False, edgecolor=MUTED, linewidth=0.7,
                         linestyle=(0, (3, 2))))
    _rings(ax, [x], [y], ["#888888"])


def _spread_swatch(ax, x, y):
    step = SLOT / 72 * 0.9
    _dots(ax, [x - step / 2, x + step / 2, x], [y + step * 0.43, y + step * 0.43, y - step * 0.43], ["#888888"] * 3)


def _moved_swatch(ax, x, y):
    ax.plot([x - 0.08, x + 0.02], [y + 0.03, y - 0.02], color=MUTED, linewidth=0.6)
    ax.scatter([x - 0.08], [y + 0.03], s=PLACE_D ** 2, color=INK, linewidths=0)
    _dots(ax, [x + 0.045], [y - 0.03], ["#888888"])


def _legend_columns(rows: list[LegendRow], count: int) -> list[list[LegendRow]]:
    """Split rows into `count` columns of similar height. A heading stays with its first entry;
    a column that continues a section starts with a blank heading, so entries line up."""
    target = sum(r.height for r in rows) / count
    columns: list[list[LegendRow]] = [[]]
    height = 0.0
    for k, row in enumerate(rows):
        block = row.height + (rows[k + 1].height if row.heading and k + 1 < len(rows) else 0)
        if columns[-1] and len(columns) < count and height + block > target + LINE / 2:
            columns.append([] if row.heading else [LegendRow(HEAD)])
            height = sum(r.height for r in columns[-1])
        columns[-1].append(row)
        height += row.height
    return columns


# -- page layout --------------------------------------------------------------------------------

@dataclass
class Layout:
    page_h: float
    title_top: float
    legend_box: tuple[float, float, float, float]
    legend_columns: list[list[LegendRow]]
    caption_top: float

    def fraction(self, box):
        left, bottom, width, height = box
        return (left / PAGE_W, bottom / self.page_h, width / PAGE_W, height / self.page_h)


def _layout(main: Panel, detail: Panel | None, title_lines, legend: list[LegendRow], caption) -> Layout:
    """Top to bottom: title, main map, then the detail map with the legend beside it (or the
    legend in three columns), then the caption. Inches; boxes are (left, bottom, width, height)."""
    title_h = len(title_lines) * 0.23 + 0.08
    head_h = PANEL_HEAD_H if main.heading else 0
    main_h = main.view.width_in * main.view.aspect
    if detail is not None:
        columns = [legend]
        detail_h = detail.view.width_in * detail.view.aspect
        legend_h = sum(r.height for r in legend)
        row_h = max(PANEL_HEAD_H + detail_h, legend_h)
        legend_w = MAP_W - DETAIL_W - 0.5
    else:
        columns = _legend_columns(legend, 3)
        legend_h = max((sum(r.height for r in c) for c in columns), default=0)
        row_h, legend_w = legend_h, MAP_W
    caption_h = len(caption) * CAPTION_ROW + 0.06
    page_h = MARGIN_T + title_h + head_h + main_h + TICKS_H + GAP + row_h + TICKS_H * (detail is not None) \
        + GAP + caption_h + MARGIN_B
    top = page_h - MARGIN_T - title_h - head_h
    main.box = (MARGIN_L, top - main_h, MAP_W, main_h)
    row_top = top - main_h - TICKS_H - GAP
    if detail is not None:
        detail.box = (MARGIN_L, row_top - PANEL_HEAD_H - detail_h, DETAIL_W, detail_h)
        legend_box = (MAP_W + MARGIN_L - legend_w, row_top - legend_h, legend_w, legend_h)
        row_bottom = min(detail.box[1] - TICKS_H, legend_box[1])
    else:
        legend_box = (MARGIN_L, row_top - legend_h, legend_w, legend_h)
        row_bottom = legend_box[1]
    return Layout(page_h, page_h - MARGIN_T, legend_box, columns, caption_top=row_bottom - GAP)


def _draw_title(fig, layout: Layout, lines: list[str]) -> None:
    fig.text(MARGIN_L / PAGE_W, layout.title_top / layout.page_h, "\n".join(lines), fontsize=TITLE_PT,
             fontweight="bold", color=INK, ha="left", va="top", linespacing=1.15)


def _draw_legend(ax, layout: Layout, legend) -> None:
    """Drawn by hand in inch units (y down), with the map's own symbol functions."""
    width, height = layout.legend_box[2], layout.legend_box[3]
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    col_w = width / len(layout.legend_columns)
    for c, column in enumerate(layout.legend_columns):
        x, y = c * col_w, 0.0
        for row in column:
            if row.heading:
                ax.text(x, y + HEAD * 0.6, row.heading.upper(), fontsize=6.2, fontweight="bold", color=MUTED,
                        ha="left", va="center")
            elif row.symbol is not None:      # (a blank heading is just a spacer)
                row.symbol(ax, x + 0.08, y + LINE / 2 + 0.005)
                ax.text(x + 0.2, y, "\n".join(row.lines), fontsize=LEGEND_PT, color=INK, ha="left", va="top",
                        linespacing=1.2)
            y += row.height


def _notes(data: MapData, main: Panel, caption_lines: list[str] = ()) -> list[str]:
    """What the map leaves out, said in the caption (unless the caller's caption says it already)."""
    notes = []
    unlocated = int(data.incidents.geometry.isna().sum()) if not data.incidents.empty else 0
    if unlocated and not any("country level" in line for line in caption_lines):
        notes.append(f"{unlocated} record{'s' if unlocated != 1 else ''} located only at country level "
                     f"{'are' if unlocated != 1 else 'is'} not drawn.")
    if main.outside:
        notes.append(f"{main.outside} located record{'s' if main.outside != 1 else ''} "
                     f"{'lie' if main.outside != 1 else 'lies'} outside this map's extent.")
    # The outlines cover Russia and its Asian neighbours only: land west of the Caspian
    # (Europe, the Caucasus) would show in the sea colour, so say so when the map reaches there.
    view = main.view
    west, _ = view.inverse.transform(view.xmin, (view.ymin + view.ymax) / 2)
    if west < 45 and not data.countries.empty:
        names = ", ".join(sorted(n for n in data.countries["name"] if n))
        notes.append(f"Outlines are drawn for {names} only; other land is left blank.")
    return notes


def _draw_caption(fig, layout: Layout, lines: list[str]) -> None:
    if not lines:
        return
    top = layout.caption_top
    fig.add_artist(Line2D([MARGIN_L / PAGE_W, (MARGIN_L + MAP_W) / PAGE_W], [top / layout.page_h] * 2,
                          color="#bbbbbb", linewidth=0.5))
    fig.text(MARGIN_L / PAGE_W, (top - 0.06) / layout.page_h, "\n".join(lines), fontsize=CAPTION_PT,
             color="#333333", ha="left", va="top", linespacing=1.3)


# -- writing ------------------------------------------------------------------------------------

def _write_atomically(fig, path: Path, fmt: str, dpi: int, title: str, private: bool = False) -> Path:
    """Render into a temporary file beside `path`, then rename it over `path` (geo.writing):
    readers never see a half-written map, and a failure leaves nothing behind."""
    try:
        with replacing([path], private) as temporaries, \
                matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "static-map"}):
            metadata = {"Title": title, "Date": None} if fmt == "svg" else {"Title": title}
            fig.savefig(temporaries[path], format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    except OSError as exc:
        raise type(exc)(exc.errno, f"cannot write the map to {path}: {exc.strerror}") from None
    return path
