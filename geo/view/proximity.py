"""Spatial questions: which incidents lie within N km of a site, and how many lie near each site.

Distances are geodesic, on the WGS84 ellipsoid (pyproj.Geod), never degrees: a degree of longitude
is 111 km at the equator and 56 km at Moscow. Only records whose point means a place count: an
exact site, a settlement, or a district (measured from the district's centre). A region-level
record sits at its region's label point and a country-level one has no point, so "within 50 km"
says nothing about them; they are left out and counted apart (`Near.left_out`).

A cheap box around the site (in degrees, generous) picks the candidates first, so a question over
100k records computes a few thousand geodesic distances, not 100k per site.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Geod

WGS84 = Geod(ellps="WGS84")
# The precisions whose point stands for the place itself (district: its centre, ~40 km across).
MEASURABLE = ("exact_site", "settlement", "district")
# A site can be the centre of a question when its own point is one of those.
SITE_CENTRE_PRECISIONS = MEASURABLE
DISTANCES_KM = (10, 25, 50, 100, 250, 500)   # the choices the app offers; any positive number works
DEFAULT_KM = 50
MAX_KM = 5_000


@dataclass(frozen=True)
class SitePlace:
    """A site that questions can be measured from."""
    id: str
    name: str
    kind_label: str
    layer: str
    lon: float
    lat: float
    precision: str


def site_places(sites: Mapping[str, pd.DataFrame]) -> dict[str, SitePlace]:
    """Every site with a point precise enough to measure from, by id, in layer then name order."""
    places: dict[str, SitePlace] = {}
    for layer, frame in sites.items():
        if frame is None or frame.empty:
            continue
        usable = frame[frame.geometry.notna() & frame["location_precision"].isin(SITE_CENTRE_PRECISIONS)]
        for _, p in usable.sort_values("name").iterrows():
            places[p["id"]] = SitePlace(p["id"], p["name"], p["kind_label"], layer, float(p.geometry.x),
                                        float(p.geometry.y), p["location_precision"])
    return places


def distances_km(lon: np.ndarray, lat: np.ndarray, centre_lon: float, centre_lat: float) -> np.ndarray:
    """Geodesic distance of each point from the centre, in km (NaN where a point is missing)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = np.full(lon.shape, np.nan)
    ok = ~(np.isnan(lon) | np.isnan(lat))
    if ok.any():
        _, _, metres = WGS84.inv(np.full(ok.sum(), centre_lon), np.full(ok.sum(), centre_lat), lon[ok], lat[ok])
        out[ok] = np.asarray(metres) / 1000.0
    return out


def _candidates(lon: np.ndarray, lat: np.ndarray, centre_lon: float, centre_lat: float, km: float) -> np.ndarray:
    """A superset of the points within km: a box 10 % wider than the circle (degrees of latitude
    are 110.6–111.7 km; of longitude, that times the cosine of the farthest latitude)."""
    reach_lat = km * 1.1 / 110.5
    north = min(centre_lat + reach_lat, 90.0)
    south = max(centre_lat - reach_lat, -90.0)
    widest = max(abs(north), abs(south))
    if widest >= 89.0:
        reach_lon = 180.0
    else:
        reach_lon = min(km * 1.1 / (111.4 * math.cos(math.radians(widest))), 180.0)
    with np.errstate(invalid="ignore"):
        near_lat = (lat >= south) & (lat <= north)
        dlon = np.abs((lon - centre_lon + 180.0) % 360.0 - 180.0)
        return near_lat & (dlon <= reach_lon)


def within_mask(lon: np.ndarray, lat: np.ndarray, precision: pd.Series | np.ndarray, centre_lon: float,
                centre_lat: float, km: float) -> np.ndarray:
    """True for the records whose measurable point lies within km of the centre (geodesic)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    measurable = np.isin(np.asarray(precision, dtype=object), MEASURABLE)
    keep = measurable & _candidates(lon, lat, centre_lon, centre_lat, km)
    if keep.any():
        idx = np.flatnonzero(keep)
        keep[idx] = distances_km(lon[idx], lat[idx], centre_lon, centre_lat) <= km
    return keep


@dataclass(frozen=True)
class Near:
    """The answer to "which incidents lie within km of this site"."""
    mask: np.ndarray        # over the frame asked about
    left_out: int           # records near by their label point but not measurable (region level)


def near(incidents: pd.DataFrame, coords, centre: SitePlace, km: float, among=None) -> Near:
    """Which of `incidents` (where `among` is true) lie within km of `centre`; `coords` are the
    frame's (lon, lat) arrays (geo.view.scale.coordinates)."""
    lon, lat = coords
    precision = incidents["location_precision"].to_numpy()
    among = np.ones(len(incidents), dtype=bool) if among is None else np.asarray(among, dtype=bool)
    mask = among & within_mask(lon, lat, precision, centre.lon, centre.lat, km)
    rough = among & ~np.isin(precision, MEASURABLE) & _candidates(lon, lat, centre.lon, centre.lat, km)
    return Near(mask, int(rough.sum()))


def per_site_counts(incidents: pd.DataFrame, coords, places: Mapping[str, SitePlace], km: float,
                    among=None) -> pd.DataFrame:
    """For each site: how many of the incidents (where `among` is true) lie within km, most first.
    Columns: id, name, kind_label, layer, incidents."""
    lon, lat = coords
    precision = incidents["location_precision"].to_numpy()
    among = np.ones(len(incidents), dtype=bool) if among is None else np.asarray(among, dtype=bool)
    measurable = among & np.isin(precision, MEASURABLE)
    lon_m, lat_m = np.asarray(lon)[measurable], np.asarray(lat)[measurable]
    rows = []
    for place in places.values():
        inside = within_mask(lon_m, lat_m, np.full(len(lon_m), "settlement", dtype=object), place.lon,
                             place.lat, km)
        rows.append((place.id, place.name, place.kind_label, place.layer, int(inside.sum())))
    frame = pd.DataFrame(rows, columns=["id", "name", "kind_label", "layer", "incidents"])
    return frame.sort_values(["incidents", "name"], ascending=[False, True], ignore_index=True)


def parse_km(raw) -> float | None:
    """A distance from a link or a form: a positive number of km up to MAX_KM, else None."""
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or value <= 0 or value > MAX_KM:
        return None
    return value


def format_km(km: float) -> str:
    """50.0 -> '50', 12.5 -> '12.5' (for links and captions)."""
    return f"{km:g}"
