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


def parse_view(center: str | None, zoom: str | None) -> tuple[tuple[float, float], int] | None:
    """'48.5,133.0' and '5' from the URL -> ((lat, lon), zoom), or None when absent or invalid."""
    try:
        lat, lon = (float(v) for v in (center or "").split(","))
        z = int(zoom)
    except (TypeError, ValueError):
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 360 and MIN_ZOOM <= z <= MAX_ZOOM:
        return (lat, lon), z
    return None


def format_view(center: tuple[float, float], zoom) -> dict[str, str]:
    """(lat, lon) and zoom -> URL parameters (the inverse of parse_view)."""
    return {"c": f"{center[0]:.3f},{center[1]:.3f}", "z": str(int(zoom))}
