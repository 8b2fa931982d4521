"""Draw what the screen can show, not the whole dataset.

Given the filtered incidents and the map's viewport, `plan` picks the records in view. Up to
MARKER_LIMIT of them are drawn one by one; above that they are counted in a grid of screen-sized
cells (about CELL_PX pixels at the current zoom), each drawn as one circle with its count, which
zooms in when clicked. Every record in view is either a marker or counted in exactly one cell, so
the numbers on screen add up to the records in view. Vectorised with numpy: the cost is bounded by
the screen, plus one pass over the coordinates.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MARKER_LIMIT = 1500
CELL_PX = 64


@dataclass(frozen=True)
class Viewport:
    west: float
    south: float
    east: float
    north: float
    zoom: int

    @classmethod
    def around(cls, center: tuple[float, float], zoom: int, width_px: int = 1000, height_px: int = 700) -> "Viewport":
        """The area a map of this size shows at this centre and zoom (Web Mercator)."""
        lat, lon = center
        half_w = 360 * width_px / (256 * 2 ** zoom) / 2
        y = _mercator_y(lat)
        half_h = math.pi * height_px / (256 * 2 ** zoom)
        return cls(lon - half_w, _lat_from_y(y - half_h), lon + half_w, _lat_from_y(y + half_h), zoom)

    @classmethod
    def from_leaflet(cls, bounds: dict | None, zoom) -> "Viewport | None":
        """st_folium's returned bounds {_southWest: {lat, lng}, _northEast: {...}} and zoom."""
        try:
            sw, ne = bounds["_southWest"], bounds["_northEast"]
            return cls(float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]), int(zoom))
        except (KeyError, TypeError, ValueError):
            return None


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _lat_from_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


@dataclass
class Plan:
    markers: pd.DataFrame      # records drawn one by one
    cells: pd.DataFrame        # lat, lon, count, west, south, east, north
    in_view: int               # drawn records inside the viewport
    not_drawn: int             # records with no point (country level) among the filtered
    markers_in_view: int = 0

    @property
    def shown(self) -> int:
        """What the screen shows for the viewport: its markers plus the counts in its cells."""
        return self.markers_in_view + int(self.cells["count"].sum())


def coordinates(incidents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """lon and lat arrays (NaN where a record has no point)."""
    geometry = incidents.geometry
    has = geometry.notna().to_numpy()
    lon = np.full(len(incidents), np.nan)
    lat = np.full(len(incidents), np.nan)
    if has.any():
        lon[has] = geometry[has].x.to_numpy()
        lat[has] = geometry[has].y.to_numpy()
    return lon, lat


def plan(incidents: pd.DataFrame, viewport: Viewport, limit: int = MARKER_LIMIT, mask=None, coords=None) -> Plan:
    """Plan the records of `incidents` (those where `mask` is true) for this viewport. Pass the
    dataset's `coords` (from `coordinates`, computed once) and the filter's mask to avoid copying a
    large frame on every change: only the rows drawn as markers are taken out of it."""
    lon, lat = coords if coords is not None else coordinates(incidents)
    drawn = ~np.isnan(lon)
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        not_drawn = int((mask & ~drawn).sum())
        drawn = drawn & mask
    else:
        not_drawn = int((~drawn).sum())
    west, east = viewport.west, viewport.east
    if east - west >= 360:
        in_lon = drawn
    else:   # longitudes may wrap past 180 when the user pans east of Chukotka
        shifted = (lon - west) % 360
        in_lon = drawn & (shifted <= (east - west))
    inside = in_lon & (lat >= viewport.south) & (lat <= viewport.north)
    count = int(inside.sum())
    empty_cells = pd.DataFrame(columns=["lat", "lon", "count", "west", "south", "east", "north"])
    if drawn.sum() <= limit:   # everything fits: draw it all, so panning needs no new plan
        return Plan(incidents.iloc[np.flatnonzero(drawn)], empty_cells, count, not_drawn, count)
    if count <= limit:
        return Plan(incidents.iloc[np.flatnonzero(inside)], empty_cells, count, not_drawn, count)
    size = 360 / (256 * 2 ** viewport.zoom) * CELL_PX        # degrees of longitude per cell
    cx = np.floor(((lon[inside] - west) % 360) / size).astype(np.int64)
    cy = np.floor((lat[inside] - viewport.south) / size).astype(np.int64)
    keys, index, counts = np.unique(cx * 1_000_003 + cy, return_inverse=True, return_counts=True)
    mean_lon = np.bincount(index, weights=lon[inside]) / counts
    mean_lat = np.bincount(index, weights=lat[inside]) / counts
    col, row = keys // 1_000_003, keys % 1_000_003
    cells = pd.DataFrame({
        "lat": mean_lat, "lon": mean_lon, "count": counts,
        "west": west + col * size, "east": west + (col + 1) * size,
        "south": viewport.south + row * size, "north": viewport.south + (row + 1) * size,
    })
    return Plan(incidents.iloc[0:0], cells, count, not_drawn)
