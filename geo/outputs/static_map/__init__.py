"""Print-quality static maps (PNG, SVG, PDF) for reports, drawn offline: no tiles, no network.

The symbols are the web map's own (layers/): a colour per incident type, location precision
drawn honestly (dot, district circle, region outline), lettered squares for sites. Every record
and site gets its own symbol: those at one place are packed in a small honeycomb centred on it,
and honeycombs that would overlap are pushed apart — over land, never out to sea — with a
leader line back to the place. The places where records are are labelled, and the largest
towns in view for orientation.

Maps are drawn in a Lambert conformal conic projection fitted to each panel, so Russia's Far
East keeps its shape; all land is drawn (Natural Earth), borders for the seven countries the
register's places lie in. When the records span all of Russia and many lie in the Far East, a
Far East detail panel is added below.

The package is split by job: projection (windows), markers (honeycombs), frame (basemap,
graticule, scale bar), labels, legend (legend, caption, page layout); this module puts a page
together and writes it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.outputs.route_drawing import draw_routes
from geo.language import _
from geo.outputs.static_map.fonts import font_rc
from geo.outputs.static_map.frame import (_draw_basemap, _draw_detail_outline, _draw_frame, _draw_graticule,
                                          _draw_scale_bar, land_in_points, other_land_in_view)
from geo.outputs.static_map.labels import Label, _draw_labels, panel_labels, place_lonlat
from geo.outputs.static_map.legend import (_draw_caption, _draw_legend, _draw_title, _layout, _legend_rows, _Measure,
                                           _notes)
from geo.outputs.static_map.markers import _draw_groups, _draw_precision_areas, _groups
from geo.outputs.static_map.projection import View, _fit_view, _within
from geo.outputs.static_map.style import (A4, CAPTION_PT, DETAIL_MIN_RECORDS, DETAIL_MIN_SHARE, DETAIL_MIN_SPAN_M,
                                          FAR_EAST, INK, TITLE_PT, Page)
from geo.writing import replacing
from layers.base import MapData

__all__ = ["FORMATS", "Figure", "Page", "place_lonlat", "render_static_map"]

FORMATS = ("png", "svg", "pdf")
REFERENCE_TOWNS, DETAIL_REFERENCE_TOWNS = 8, 5


def render_static_map(data: MapData, path: Path, fmt: str, *, title: str | None, caption_lines: list[str],
                      extent: tuple[float, float, float, float] | None = None, dpi: int = 300,
                      private: bool = False, withheld_places=frozenset(), page: Page = A4,
                      legend_columns: int = 3, detail: bool = True) -> Path:
    """Draw `data` as a static map and write it atomically to `path` as PNG, SVG or PDF.

    extent is (west, south, east, north) in degrees; None fits the drawn incidents (padded 15%,
    at least 1,500 km across). Country-level records have no point: the caption counts them.
    private writes the file readable by its owner only (full releases). withheld_places are
    gazetteer ids a public release withholds: no label names them. A title of None draws none
    (a briefing page has its own heading); detail=False never adds the Far East detail panel.
    Text is drawn as written: a `$` in a title or quote
    is a dollar sign, not the start of mathtext. PDF and SVG keep the map as vectors and text.
    """
    with matplotlib.rc_context({"text.parse_math": False, **font_rc()}):
        return _render(data, Path(path), fmt, title, caption_lines, extent, dpi, private,
                       _withheld_names(withheld_places), page, legend_columns, detail)


def _withheld_names(ids) -> frozenset[str]:
    if not ids:
        return frozenset()
    from geo.language.places import names_in_every_language
    from geo.places.place_index import PlaceIndex
    places = [p for p in PlaceIndex.load().places if p.id in ids]
    # in every language the labels may be in (geo.language.places), and each place's own Russian name
    return frozenset(p.name for p in places) | frozenset(p.name_ru for p in places if p.name_ru) \
        | names_in_every_language(ids)


def _render(data: MapData, path: Path, fmt: str, title: str | None, caption_lines: list[str], extent, dpi: int,
            private: bool, withheld: frozenset[str], page: Page, legend_columns: int, with_detail: bool) -> Path:
    fmt = str(fmt).lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"unknown map format {fmt!r}: expected one of {', '.join(FORMATS)}")
    path = Path(path)
    located = data.incidents[data.incidents.geometry.notna()] if not data.incidents.empty else data.incidents

    main = Panel(_fit_view(located, extent, page.map_w))
    detail = _detail_panel(located, main.view, page) if extent is None and with_detail else None
    if detail is not None:
        main.heading, main.merge_pt, main.detail = "a  " + _("All located records"), 12.0, detail.view
        detail.labels = panel_labels(_in_box(located, FAR_EAST), detail.view, DETAIL_REFERENCE_TOWNS, withheld)
        outside = located[[not _within((g.x, g.y), FAR_EAST) for g in located.geometry]]
        main.labels = tuple(label for label in panel_labels(outside, main.view, REFERENCE_TOWNS, withheld)
                            if not _within((label.lon, label.lat), FAR_EAST))
    else:
        main.labels = panel_labels(located, main.view, REFERENCE_TOWNS, withheld)

    fig = Figure(figsize=(page.width, 11.0), dpi=dpi)
    measure = _Measure(FigureCanvasAgg(fig).get_renderer(), dpi)
    for panel in filter(None, (main, detail)):
        panel.groups, panel.outside = _groups(panel, located, data, land_in_points(panel.view, data))
        panel.other_land = other_land_in_view(panel.view, data)
    column = page.map_w - page.detail_w - 0.5 if detail else page.map_w / legend_columns - 0.1
    legend = _legend_rows(data, [main, detail], measure, column)
    title_lines = measure.wrap(title, page.map_w * 72, TITLE_PT, bold=True) if title else []
    caption = [line for text in [*caption_lines, *_notes(data, main, caption_lines)]
               for line in measure.wrap(text, page.map_w * 72, CAPTION_PT)]
    layout = _layout(page, main, detail, title_lines, legend, caption, legend_columns)
    fig.set_size_inches(page.width, layout.page_h)

    for panel in filter(None, (main, detail)):
        _draw_panel(fig.add_axes(layout.fraction(panel.box)), panel, data, located, measure)
    _draw_title(fig, layout, title_lines)
    if legend:
        _draw_legend(fig.add_axes(layout.fraction(layout.legend_box)), layout, legend)
    _draw_caption(fig, layout, caption)
    return _write_atomically(fig, path, fmt, dpi, title or "", private)


def _in_box(located, box):
    return located[[_within((g.x, g.y), box) for g in located.geometry]] if not located.empty else located


@dataclass
class Panel:
    view: View
    heading: str | None = None
    merge_pt: float = 3.0               # places closer than this share one honeycomb
    labels: tuple[Label, ...] = ()      # places to label, most important first
    detail: View | None = None          # outlined on an overview
    groups: list = field(default_factory=list)
    outside: int = 0
    other_land: bool = False            # shows land beyond the outlined countries
    box: tuple[float, float, float, float] = (0, 0, 0, 0)    # inches: left, bottom, width, height


def _detail_panel(located, main: View, page: Page) -> Panel | None:
    """A Far East detail when the records span Russia but many of them lie in the Far East."""
    if located.empty or main.xmax - main.xmin < DETAIL_MIN_SPAN_M:
        return None
    inside = _in_box(located, FAR_EAST)
    few = len(inside) < max(DETAIL_MIN_RECORDS, DETAIL_MIN_SHARE * len(located))
    if few or len(inside) == len(located):
        return None
    # Nearly square: it stands beside the legend, which is about as tall.
    return Panel(_fit_view(inside, None, page.detail_w, aspect=(0.9, 1.05)), heading="b  " + _("Far East (detail)"))


def _draw_panel(ax, panel: Panel, data: MapData, located, measure: _Measure) -> None:
    view = panel.view
    _draw_frame(ax, view)
    _draw_basemap(ax, view, data)
    _draw_graticule(ax, view)
    _draw_precision_areas(ax, view, data, located)
    draw_routes(ax, view.forward, data.routes)   # case routes, when asked for (geo.outputs.route_drawing)
    _draw_groups(ax, view, panel.groups)
    if panel.detail is not None:
        _draw_detail_outline(ax, view, panel.detail)
    scale_rect = _draw_scale_bar(ax, view, panel.groups)
    _draw_labels(ax, panel, scale_rect, measure)
    if panel.heading:
        ax.set_title(panel.heading, loc="left", fontsize=8, fontweight="bold", color=INK, pad=4)


def _write_atomically(fig, path: Path, fmt: str, dpi: int, title: str, private: bool = False) -> Path:
    """Render into a temporary file beside `path`, then rename it over `path` (geo.writing):
    readers never see a half-written map, and a failure leaves nothing behind."""
    metadata = {"svg": {"Title": title, "Date": None}, "pdf": {"Title": title, "CreationDate": None}}
    try:
        with replacing([path], private) as temporaries, matplotlib.rc_context(
                {"svg.fonttype": "none", "svg.hashsalt": "static-map", "pdf.fonttype": 42, **font_rc()}):
            fig.savefig(temporaries[path], format=fmt, dpi=dpi, metadata=metadata.get(fmt, {"Title": title}),
                        facecolor="white")
    except OSError as exc:
        raise type(exc)(exc.errno, f"cannot write the map to {path}: {exc.strerror}") from None
    return path
