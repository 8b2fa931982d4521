"""The frame of a map: basemap, graticule, detail outline and scale bar."""
from __future__ import annotations

import math
from functools import lru_cache

import geopandas
import numpy as np
import shapely
from pyogrio.errors import DataSourceError
from matplotlib.patches import Polygon, Rectangle
from pyproj import Proj
from shapely.geometry import LineString

from geo.language import _
from geo.outputs.static_map.labels import _haloed
from geo.outputs.static_map.markers import Group, _obstacles, _overlap
from geo.outputs.static_map.projection import View, _box_ring, _projected
from geo.outputs.static_map.style import (COAST_EDGE, COUNTRY_EDGE, GRATICULE, INK, MUTED, OTHER_FILL,
                                          RUSSIA_FILL, SUBJECT_EDGE, TICK_PT)
from geo.paths import LAND_GEOJSON
from layers.base import MapData
from layers.basemap import SEA


def _draw_frame(ax, view: View) -> None:
    ax.set_xlim(view.xmin, view.xmax)
    ax.set_ylim(view.ymin, view.ymax)
    ax.set_aspect("equal", adjustable="box")
    ax.set_facecolor(SEA)
    for spine in ax.spines.values():
        spine.set_edgecolor("#666666")
        spine.set_linewidth(0.8)
    ax.tick_params(labelsize=TICK_PT, colors=MUTED, length=2.5, width=0.5, pad=2)


@lru_cache(maxsize=1)
def load_land() -> geopandas.GeoDataFrame:
    """All land the print maps reach (Natural Earth 1:50m, data/boundaries/land.geojson); empty
    when the file is missing (then only the seven countries are land)."""
    try:
        return geopandas.read_file(LAND_GEOJSON)
    except (OSError, ValueError, DataSourceError):
        return geopandas.GeoDataFrame(geometry=[], crs="EPSG:4326")


def land_in_points(view: View, data: MapData):
    """The land (all of it, and the outlined countries) as one shape in the view's points."""
    parts = [_projected(load_land(), view), _projected(data.countries, view)]
    shapes = [g for frame in parts if not frame.empty for g in frame.geometry]
    if not shapes:
        return None
    land = shapely.union_all(shapely.make_valid(np.array(shapes, dtype=object)))
    return shapely.transform(land, lambda xy: np.column_stack(view.to_pt(xy[:, 0], xy[:, 1])))


def other_land_in_view(view: View, data: MapData) -> bool:
    """Does the map show land beyond the outlined countries (drawn without borders)?"""
    land, countries = _projected(load_land(), view), _projected(data.countries, view)
    if land.empty:
        return False
    window = shapely.box(view.xmin, view.ymin, view.xmax, view.ymax)
    other = shapely.union_all(land.geometry.values).intersection(window)
    if not countries.empty:
        other = other.difference(shapely.union_all(countries.geometry.values).buffer(20_000))
    return other.area > 1e-4 * window.area


def _draw_basemap(ax, view: View, data: MapData) -> None:
    land = _projected(load_land(), view)
    if not land.empty:       # beyond the outlined countries: land without borders, never sea
        land.plot(ax=ax, color=OTHER_FILL, edgecolor=COAST_EDGE, linewidth=0.35, zorder=0.9)
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


def _draw_detail_outline(ax, view: View, detail: View) -> None:
    """The detail panel's window, carried into this panel's projection."""
    lons, lats = detail.inverse.transform(*_box_ring(detail.xmin, detail.ymin, detail.xmax, detail.ymax, 40))
    outline = np.column_stack(view.forward.transform(lons, lats))
    ax.add_patch(Polygon(outline, closed=True, fill=False, edgecolor=INK, linewidth=0.8, zorder=12))
    corner = outline[np.argmax(outline[:, 1] - outline[:, 0] * 1e-3)]
    _haloed(ax, "b", corner, (3, -3), ha="left", va="top", fontsize=8, fontweight="bold", zorder=12)


def _nice_km(target: float) -> float:
    magnitude = 10 ** math.floor(math.log10(target))
    return max(f * magnitude for f in (1, 2, 5, 10) if f * magnitude <= target)


WIDE_MAP_M = 3_000_000      # on a map this wide the scale varies by more than a few per cent


def _draw_scale_bar(ax, view: View, groups: list[Group]) -> tuple[float, float, float, float]:
    """A km bar in the emptiest corner. A conic projection's scale changes with latitude only:
    the bar is true at the latitude of the map's centre, and says so (and that it varies, on a
    map thousands of kilometres across)."""
    target_pt = min(view.width_pt * 0.2, 110)
    box_w, box_h, inset = target_pt + 34, 26.0, 5.0
    corners = [(inset, inset), (view.width_pt - inset - box_w, inset),
               (inset, view.height_pt - inset - box_h), (view.width_pt - inset - box_w, view.height_pt - inset - box_h)]
    obstacles = _obstacles(groups)
    x0, y0 = min(corners, key=lambda c: sum(_overlap((c[0], c[1], c[0] + box_w, c[1] + box_h), o) for o in obstacles))
    lon, lat = view.inverse.transform((view.xmin + view.xmax) / 2, (view.ymin + view.ymax) / 2)
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
    for frac, text in ((0, "0"), (0.5, f"{km / 2:g}"), (1, _("{km} km").format(km=f"{km:g}"))):
        ax.text(*axes(bx + frac * bar_pt, by + 4.5), text, transform=ax.transAxes, fontsize=5.6, color=INK,
                ha="center", va="bottom", zorder=13)
    note = (_("scale true at {lat}°N") if lat >= 0 else _("scale true at {lat}°S")).format(lat=f"{abs(lat):.0f}")
    if view.xmax - view.xmin > WIDE_MAP_M:
        note += ", " + _("varies elsewhere")
    ax.text(*axes(x0 + box_w / 2, y0 + 2.2), note,
            transform=ax.transAxes, fontsize=4.8, color=MUTED, ha="center", va="bottom", zorder=13)
    return (x0, y0, x0 + box_w, y0 + box_h)
