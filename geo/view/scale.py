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
CELL_KEY = 1_000_003   # a cell's key: column * CELL_KEY + row, counted from the viewport's south-west cell


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


class Grid:
    """The cells of a zoom level: one global grid, CELL_PX pixels (90 / 2**zoom degrees) a side, from
    (-180, -90), so a cell stays put when the map pans and a coarser level's cell is exactly 2**k
    finer ones (geo.store's rollup counts per cell). A point's column is floor((lon + 180) / 90 *
    2**zoom): the PostGIS store computes it with the same float operations, so both agree on
    every point. Columns and rows are numbered from the viewport's south-west cell."""

    def __init__(self, viewport: Viewport):
        self.zoom, self.scale = viewport.zoom, float(2 ** viewport.zoom)
        self.size = 90 / self.scale                     # = 360 / (256 * 2**zoom) * CELL_PX
        self.columns = 4 * 2 ** viewport.zoom
        wrapped_west = (viewport.west + 180) % 360
        self.first_column = int(math.floor(wrapped_west / 90 * self.scale))
        self.first_row = int(math.floor((viewport.south + 90) / 90 * self.scale))
        self.west = viewport.west - wrapped_west + self.first_column * self.size   # the first column's edge
        self.south = -90 + self.first_row * self.size

    def cell(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        column = np.floor((lon + 180) / 90 * self.scale).astype(np.int64)
        row = np.floor((lat + 90) / 90 * self.scale).astype(np.int64)
        return (column - self.first_column) % self.columns, row - self.first_row

    def bounds(self, col, row) -> dict:
        return {"west": self.west + col * self.size, "east": self.west + (col + 1) * self.size,
                "south": self.south + row * self.size, "north": self.south + (row + 1) * self.size}


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
    grid = Grid(viewport)
    cx, cy = grid.cell(lon[inside], lat[inside])
    keys, index, counts = np.unique(cx * CELL_KEY + cy, return_inverse=True, return_counts=True)
    mean_lon = np.bincount(index, weights=lon[inside]) / counts
    mean_lat = np.bincount(index, weights=lat[inside]) / counts
    col, row = keys // CELL_KEY, keys % CELL_KEY
    cells = pd.DataFrame({"lat": mean_lat, "lon": mean_lon, "count": counts, **grid.bounds(col, row)})
    return Plan(incidents.iloc[0:0], cells, count, not_drawn)
