"""Case routes on print maps (PNG/SVG/PDF, geo.outputs.static_map): each case's places joined in date order, an arrowhead at
the middle of each leg pointing onwards; a leg to a place known only to its district or region is
dotted, as on the interactive map (layers.routes). Drawn between the records' true places (not
where the print map packs their symbols side by side), under the symbols.

`draw_routes(ax, forward, routes)` draws into matplotlib axes whose data coordinates are the print
map's projected metres (`forward` is the pyproj Transformer from EPSG:4326 to them);
`legend_entries()` gives the legend rows with their swatches.
"""
from __future__ import annotations

from matplotlib.patches import FancyArrowPatch

from geo.language import _
from layers.routes import LEGEND_LABELS, ROUTE_COLOUR

LINE_PT, HALO_PT = 1.3, 2.8
DOTTED = (0, (1.0, 2.2))
ZORDER = 5        # above the outlines and precision areas, below leaders (6) and symbols (7+)
LABELS = LEGEND_LABELS


def _leg(ax, x0, y0, x1, y1, dotted: bool) -> None:
    style = dict(color=ROUTE_COLOUR, linewidth=LINE_PT, solid_capstyle="round", zorder=ZORDER)
    ax.plot([x0, x1], [y0, y1], color="white", linewidth=HALO_PT, solid_capstyle="round", zorder=ZORDER, alpha=0.85)
    ax.plot([x0, x1], [y0, y1], linestyle=DOTTED if dotted else "solid", **style)
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    # a short piece ending at the middle carries the arrowhead, so it sits mid-leg at any length
    tx, ty = mx - (x1 - x0) * 0.02, my - (y1 - y0) * 0.02
    ax.add_patch(FancyArrowPatch((tx, ty), (mx, my), arrowstyle="-|>", mutation_scale=9, color=ROUTE_COLOUR,
                                 linewidth=0.6, zorder=ZORDER + 0.5, shrinkA=0, shrinkB=0))


def draw_routes(ax, forward, routes) -> int:
    """Draw every leg of `routes` (geo.view.routes.Route); returns how many legs were drawn."""
    drawn = 0
    for route in routes or ():
        for leg in route.legs():
            (x0, x1), (y0, y1) = forward.transform([leg.start.lon, leg.end.lon], [leg.start.lat, leg.end.lat])
            _leg(ax, x0, y0, x1, y1, leg.dashed)
            drawn += 1
    return drawn


def swatch(dotted: bool = False):
    """A legend symbol: draw(ax, x, y) centred at (x, y) in the print legend's inches."""
    def draw(ax, x, y):
        _leg(ax, x - 0.08, y, x + 0.08, y, dotted)
    return draw


def legend_entries(routes) -> list[tuple[str, object]]:
    """(label, swatch) rows for the print legend; none when no route is drawn."""
    if not routes:
        return []
    entries = [(_(LABELS[0]), swatch())]
    if any(leg.dashed for route in routes for leg in route.legs()):
        entries.append((_(LABELS[1]), swatch(dotted=True)))
    return entries
