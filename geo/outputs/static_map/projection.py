"""Each map's projection and window: a Lambert conformal conic fitted to the panel."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import geopandas
from pyproj import CRS, Transformer

from geo.outputs.static_map.style import FAR_EAST, MIN_ACROSS_M, PAD


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


def _projected(frame: geopandas.GeoDataFrame, view: View) -> geopandas.GeoDataFrame:
    """Outlines in the view's projection, cut to the window (smaller files, faster drawing)."""
    if frame.empty:
        return frame
    projected = frame[frame.geometry.notna()].to_crs(view.crs)
    margin = (view.xmax - view.xmin) * 0.05
    clipped = projected.clip_by_rect(view.xmin - margin, view.ymin - margin, view.xmax + margin, view.ymax + margin)
    projected = projected.set_geometry(clipped)
    return projected[~projected.geometry.is_empty]
