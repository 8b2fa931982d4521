"""Incident-type symbols: a colour and a shape per type, so a type never depends on hue alone.

Each colour has at least 3:1 contrast against every surface a marker sits on (Russia's land, the
other countries' land, the sea; WCAG 1.4.11 for graphics), and each type has its own shape. The
same SVG draws the map markers, the map legend and the app's legend. Precision is a separate cue:
a symbol alone is a settlement or exact site; a symbol inside a dashed ring is a district- or
region-level place. A highlighted record (selected, or named by a briefing step) is larger and
ringed in black.
"""
from __future__ import annotations

import math
from urllib.parse import quote

from geo.evidence.vocabulary import INCIDENT_TYPES

# Okabe–Ito / Paul Tol hues, darkened where needed for 3:1 on the light land colours.
TYPE_COLOURS = {
    "abduction": "#D55E00",
    "arrest_detention": "#0072B2",
    "court_decision": "#5A55C8",
    "administrative_decision": "#3D6B8C",
    "forcible_return": "#A67300",
    "killing": "#000000",
    "death": "#6E6E6E",
    "ill_treatment": "#C4457F",
    "surveillance_intimidation": "#882255",
    "forced_labour": "#7A7A1F",
    "asylum_application": "#117733",
    "asylum_decision": "#008F68",
    "escape": "#1D8AA8",
    "release_resettlement": "#8C5A2B",
    "agreement_policy": "#8E4FAE",
    "advocacy": "#B8336A",
}
# What a marker sits on (layers.basemap): Russia, other countries, sea.
SURFACES = {"Russia": "#fbfaf6", "other countries": "#eeebe3", "sea": "#dbe7ef"}


def _polygon(points: list[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"


def _regular_points(sides: int, radius: float, start_deg: float = -90,
                    inner: float | None = None) -> list[tuple[float, float]]:
    """A regular polygon (or a star, with an inner radius) centred on (10, 10)."""
    count = sides * (2 if inner else 1)
    points = []
    for i in range(count):
        r = inner if inner and i % 2 else radius
        angle = math.radians(start_deg + 360 * i / count)
        points.append((10 + r * math.cos(angle), 10 + r * math.sin(angle)))
    return points


def _cross_points(angle_deg: float) -> list[tuple[float, float]]:
    arm, half = 8.0, 2.6
    base = [(-half, -arm), (half, -arm), (half, -half), (arm, -half), (arm, half), (half, half), (half, arm),
            (-half, arm), (-half, half), (-arm, half), (-arm, -half), (-half, -half)]
    a = math.radians(angle_deg)
    return [(10 + x * math.cos(a) - y * math.sin(a), 10 + x * math.sin(a) + y * math.cos(a)) for x, y in base]


def _arc_points(cx: float, cy: float, r: float, start_deg: float, end_deg: float, steps: int) -> list[tuple[float, float]]:
    return [(cx + r * math.cos(math.radians(a)), cy + r * math.sin(math.radians(a)))
            for a in (start_deg + (end_deg - start_deg) * i / steps for i in range(steps + 1))]


# Each shape's outline in a 20×20 box centred on (10, 10), y downwards (as in SVG): the print maps
# draw these (geo.outputs.static_map), the web draws SHAPES, made from the same points.
SHAPE_OUTLINES = {
    "circle": _arc_points(10, 10, 7.5, 0, 360, 36)[:-1],
    "square": [(3.5, 3.5), (16.5, 3.5), (16.5, 16.5), (3.5, 16.5)],
    "diamond": _regular_points(4, 9, -90),
    "triangle up": _regular_points(3, 9.5, -90),
    "triangle down": _regular_points(3, 9.5, 90),
    "triangle right": _regular_points(3, 9.5, 0),
    "triangle left": _regular_points(3, 9.5, 180),
    "pentagon": _regular_points(5, 8.6),
    "hexagon": _regular_points(6, 8.6, 0),
    "star": _regular_points(5, 9.8, inner=4.2),
    "plus": _cross_points(0),
    "cross": _cross_points(45),
    "bar": [(1.5, 5.5), (18.5, 5.5), (18.5, 14.5), (1.5, 14.5)],
    "tall bar": [(5.5, 1.5), (14.5, 1.5), (14.5, 18.5), (5.5, 18.5)],
    "half disc": _arc_points(10, 14.5, 8.5, 180, 360, 18),
    "hourglass": [(2.5, 2.5), (17.5, 2.5), (11.2, 10), (17.5, 17.5), (2.5, 17.5), (8.8, 10)],
}
# SVG paths in a 20×20 box centred on (10, 10); round shapes as true arcs.
SHAPES = {name: _polygon(points) for name, points in SHAPE_OUTLINES.items()}
SHAPES.update({
    "circle": "M2.5,10a7.5,7.5 0 1,0 15,0a7.5,7.5 0 1,0 -15,0Z",
    "square": "M3.5,3.5H16.5V16.5H3.5Z",
    "bar": "M1.5,5.5H18.5V14.5H1.5Z",
    "tall bar": "M5.5,1.5H14.5V18.5H5.5Z",
    "half disc": "M1.5,14.5A8.5,8.5 0 0,1 18.5,14.5Z",
    "hourglass": "M2.5,2.5H17.5L11.2,10L17.5,17.5H2.5L8.8,10Z",
})
TYPE_SHAPES = {
    "abduction": "star",
    "arrest_detention": "square",
    "court_decision": "diamond",
    "administrative_decision": "tall bar",
    "forcible_return": "triangle down",
    "killing": "cross",
    "death": "plus",
    "ill_treatment": "triangle up",
    "surveillance_intimidation": "hexagon",
    "forced_labour": "pentagon",
    "asylum_application": "half disc",
    "asylum_decision": "circle",
    "escape": "triangle right",
    "release_resettlement": "triangle left",
    "agreement_policy": "bar",
    "advocacy": "hourglass",
}
assert set(TYPE_COLOURS) == set(TYPE_SHAPES) == set(INCIDENT_TYPES)

MARKER_PX = {False: 24, True: 34}   # icon box, normal and highlighted


def symbol_svg(kind: str, precise: bool = True, highlighted: bool = False, size: int | None = None,
               colour: str | None = None, hollow: bool = False) -> str:
    """The symbol of an incident type as inline SVG (a 30×30 view box around a 20×20 shape).
    Hollow (outlined in the type's colour, white inside): a record dated more broadly than the
    time window, which may or may not have happened in it. Only constants of this module go in:
    no record text."""
    size = size or MARKER_PX[highlighted]
    fill = colour or TYPE_COLOURS[kind]
    parts = []
    if not precise:   # district- or region-level place
        parts.append('<circle cx="15" cy="15" r="13.6" fill="rgba(68,68,68,.14)" stroke="#444" stroke-width="1.6" '
                     'stroke-dasharray="3.2 2.4"/>')
    if highlighted:
        parts.append('<circle cx="15" cy="15" r="14" fill="none" stroke="#111" stroke-width="2.2"/>')
    if hollow:   # a white casing under the outline keeps it visible on any surface
        shape = SHAPES[TYPE_SHAPES[kind]]
        parts.append(f'<path transform="translate(5 5)" d="{shape}" fill="#fff" stroke="#fff" stroke-width="4.2" '
                     'stroke-linejoin="round"/>')
        parts.append(f'<path transform="translate(5 5)" d="{shape}" fill="#fff" stroke="{fill}" stroke-width="2.2" '
                     'stroke-linejoin="round"/>')
    else:
        parts.append(f'<path transform="translate(5 5)" d="{SHAPES[TYPE_SHAPES[kind]]}" fill="{fill}" stroke="#fff" '
                     'stroke-width="1.4" stroke-linejoin="round"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 30 30" '
            f'aria-hidden="true" focusable="false" style="display:block">{"".join(parts)}</svg>')


def symbol_img(kind: str, precise: bool = True, highlighted: bool = False, size: int = 22,
               colour: str | None = None, hollow: bool = False) -> str:
    """The symbol as an <img> (a data: URI), for legends: it survives HTML sanitisers that drop
    inline SVG (Streamlit's st.html). Decorative: the legend's text says what it means."""
    svg = symbol_svg(kind, precise, highlighted, size, colour, hollow).replace(' aria-hidden="true" focusable="false"', "")
    return (f'<img src="data:image/svg+xml,{quote(svg)}" width="{size}" height="{size}" alt="" '
            'style="vertical-align:middle">')


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
