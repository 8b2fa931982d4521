"""Which record the user is looking at: from a map click (the tooltip ends in `[record-id]`)."""
from __future__ import annotations

import re

MIN_ZOOM, MAX_ZOOM = 2, 13   # the zoom levels the map offers (geo.outputs.mapview)
_ID_AT_END = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\]\s*$")


def record_id_from_tooltip(tooltip: str | None) -> str | None:
    if not tooltip:
        return None
    match = _ID_AT_END.search(tooltip.strip())
    return match.group(1) if match else None


def parse_view(center: str | None, zoom: str | None) -> tuple[tuple[float, float], float] | None:
    """'48.5,133.0' and '5' (or '2.5': the map zooms in half steps) from the URL -> ((lat, lon),
    zoom), or None when absent or invalid."""
    try:
        lat, lon = (float(v) for v in (center or "").split(","))
        z = round(float(zoom) * 2) / 2
    except (TypeError, ValueError, OverflowError):
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 360 and MIN_ZOOM <= z <= MAX_ZOOM:
        return (lat, lon), z
    return None


def format_view(center: tuple[float, float], zoom) -> dict[str, str]:
    """(lat, lon) and zoom -> URL parameters (the inverse of parse_view)."""
    return {"c": f"{center[0]:.3f},{center[1]:.3f}", "z": f"{round(float(zoom) * 2) / 2:g}"}


# How close a selected record is shown, by the precision of its place (a region is framed whole).
PRECISION_ZOOM = {"exact_site": 10, "settlement": 9, "district": 8}
REGION_MAX_ZOOM = 7


def record_target(record, subjects, current_zoom: int | None = None) -> dict | None:
    """Where the map goes to show a selected record: its point at a zoom that suits its precision
    (never zooming out from a closer view), or the whole outline of its region; None for a record
    with no point (country level)."""
    point = record.geometry
    if point is None or getattr(point, "is_empty", True):
        return None
    precision = record["location_precision"]
    if precision == "region" and record.get("subject_code") in subjects.index:
        west, south, east, north = subjects.loc[record["subject_code"]].geometry.bounds
        return {"bounds": [[south, west], [north, east]], "max_zoom": REGION_MAX_ZOOM, "focus": record["id"]}
    zoom = max(PRECISION_ZOOM.get(precision, REGION_MAX_ZOOM), current_zoom or 0)
    return {"center": [round(point.y, 5), round(point.x, 5)], "zoom": zoom, "focus": record["id"]}


def records_bounds(incidents, max_zoom: int = 9) -> dict | None:
    """A request that frames every drawn record of `incidents`, or None when none has a point."""
    points = incidents.geometry.dropna()
    if points.empty:
        return None
    west, south, east, north = points.total_bounds
    return {"bounds": [[south, west], [north, east]], "max_zoom": max_zoom}
