"""Title, legend and caption, and the page layout around the maps."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Polygon

from geo.evidence.vocabulary import INCIDENT_TYPES
from geo.outputs.route_drawing import legend_entries as route_legend_entries
from geo.language import _, ngettext
from geo.outputs.static_map.markers import _dots, _rings, _site_layers, _site_squares
from geo.outputs.static_map.style import (CAPTION_PT, GAP, INK, LEGEND_PT, MARGIN_B, MARGIN_L, MARGIN_T, MUTED,
                                          PANEL_HEAD_H, PLACE_D, SLOT, TICKS_H, TITLE_PT, Page)
from layers.base import MapData
from layers.incidents import PRECISE, TYPE_COLOURS
from layers.symbols import TYPE_SHAPES

if TYPE_CHECKING:
    from geo.outputs.static_map import Panel


class _Measure:
    """Text sizes in points, from the Agg renderer (the SVG uses the same font metrics)."""

    def __init__(self, renderer, dpi):
        self.renderer, self.scale = renderer, 72 / dpi

    def size(self, text: str, size: float, bold: bool = False) -> tuple[float, float]:
        prop = FontProperties(size=size, weight="bold" if bold else "normal")
        w, h, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
        return w * self.scale, h * self.scale

    def wrap(self, text: str, width_pt: float, size: float, bold: bool = False) -> list[str]:
        lines, current = [], ""
        for word in re.split(r"[ \t\n]+", str(text).strip()):     # not at no-break spaces
            trial = f"{current} {word}".strip()
            if current and self.size(trial, size, bold)[0] > width_pt:
                lines.append(current)
                current = word
            else:
                current = trial
        return lines + [current] if current else lines or [""]


LINE = 0.114          # legend text line, inches


ENTRY_PAD = 0.04      # between legend entries


HEAD = 0.2            # legend heading


CAPTION_ROW = 0.122


@dataclass
class LegendRow:
    height: float
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    symbol: object = None        # callable(ax, x, y) drawing the swatch


def _legend_rows(data: MapData, panels, measure: _Measure, column_in: float) -> list[LegendRow]:
    """The legend as rows (headings and entries), labels wrapped to the column width."""
    groups = [g for p in panels if p is not None for g in p.groups]
    drawn = [i for g in groups for i in g.items]
    shapes = {i.shape for i in drawn if i.kind == "incident"}
    types = {key for key, shape in TYPE_SHAPES.items() if shape in shapes}    # one shape a type
    text_pt = (column_in - 0.2) * 72
    rows: list[LegendRow] = []

    def section(heading, entries):
        if entries:
            rows.append(LegendRow(HEAD, heading=heading))
            for label, symbol in entries:
                lines = measure.wrap(label, text_pt, LEGEND_PT)
                rows.append(LegendRow(len(lines) * LINE + ENTRY_PAD, lines=lines, symbol=symbol))

    section(_("Incidents by type"), [(label, _type_swatch(key)) for key, label in INCIDENT_TYPES.items()
                                  if key in types])
    precisions = {i.precision for i in drawn if i.kind == "incident"}
    entries = []
    if precisions & set(PRECISE):
        entries.append((_("Settlement or exact site"), _swatch(_dots, "#888888")))
    if "district" in precisions:
        entries.append((_("District-level: dashed ring, shaded circle ≈ 40 km round the district centre").replace(" 40 km", "\u00a040\u00a0km"),
                        _district_swatch))
    if "region" in precisions:
        entries.append((_("Region-level: dashed ring, the region outlined"), _region_swatch))
    if any(len(g.items) > 1 for g in groups):
        entries.append((_("Records or sites at one place are packed side by side around it"), _spread_swatch))
    if any(g.moved for g in groups):
        entries.append((_("Moved aside to stay visible: a line leads back to the place (●)"), _moved_swatch))
    section(_("Location"), entries)
    section(_("Case routes"), route_legend_entries(data.routes))
    layers = {(i.colour, i.letter) for i in drawn if i.kind == "site"}
    section(_("Sites (context)"), [(_(layer.title), _swatch(_site_squares, layer.colour, layer.letter))
                                for layer in _site_layers() if (layer.colour, layer.letter) in layers])
    return rows


def _swatch(draw, colour, letter=None):
    if letter is None:
        return lambda ax, x, y: draw(ax, [x], [y], [colour])
    return lambda ax, x, y: draw(ax, [x], [y], [colour], [letter])


def _type_swatch(kind: str):
    return lambda ax, x, y: _dots(ax, [x], [y], [TYPE_COLOURS[kind]], [TYPE_SHAPES[kind]])


def _district_swatch(ax, x, y):
    ax.add_patch(Circle((x, y), 0.075, facecolor="#888888", alpha=0.15, linewidth=0))
    ax.add_patch(Circle((x, y), 0.075, fill=False, edgecolor="#888888", linewidth=0.6, linestyle=(0, (3, 2))))
    _rings(ax, [x], [y], ["#888888"])


def _region_swatch(ax, x, y):
    shape = np.array([(-0.075, -0.05), (-0.02, -0.068), (0.07, -0.04), (0.075, 0.05), (0.0, 0.068), (-0.07, 0.04)])
    ax.add_patch(Polygon(shape + (x, y), closed=True, facecolor="#777777", alpha=0.15, linewidth=0))
    ax.add_patch(Polygon(shape + (x, y), closed=True, fill=False, edgecolor=MUTED, linewidth=0.7,
                         linestyle=(0, (3, 2))))
    _rings(ax, [x], [y], ["#888888"])


def _spread_swatch(ax, x, y):
    step = SLOT / 72 * 0.9
    _dots(ax, [x - step / 2, x + step / 2, x], [y + step * 0.43, y + step * 0.43, y - step * 0.43], ["#888888"] * 3)


def _moved_swatch(ax, x, y):
    ax.plot([x - 0.08, x + 0.02], [y + 0.03, y - 0.02], color=MUTED, linewidth=0.6)
    ax.scatter([x - 0.08], [y + 0.03], s=PLACE_D ** 2, color=INK, linewidths=0)
    _dots(ax, [x + 0.045], [y - 0.03], ["#888888"])


def _legend_columns(rows: list[LegendRow], count: int) -> list[list[LegendRow]]:
    """Split rows into `count` columns of similar height. A heading stays with its first entry;
    a column that continues a section starts with a blank heading, so entries line up."""
    target = sum(r.height for r in rows) / count
    columns: list[list[LegendRow]] = [[]]
    height = 0.0
    for k, row in enumerate(rows):
        block = row.height + (rows[k + 1].height if row.heading and k + 1 < len(rows) else 0)
        if columns[-1] and len(columns) < count and height + block > target + LINE / 2:
            columns.append([] if row.heading else [LegendRow(HEAD)])
            height = sum(r.height for r in columns[-1])
        columns[-1].append(row)
        height += row.height
    return columns


@dataclass
class Layout:
    page: Page
    page_h: float
    title_top: float
    legend_box: tuple[float, float, float, float]
    legend_columns: list[list[LegendRow]]
    caption_top: float

    def fraction(self, box):
        left, bottom, width, height = box
        return (left / self.page.width, bottom / self.page_h, width / self.page.width, height / self.page_h)


def _layout(page: Page, main: Panel, detail: Panel | None, title_lines, legend: list[LegendRow], caption,
            legend_columns: int = 3) -> Layout:
    """Top to bottom: title, main map, then the detail map with the legend beside it (or the
    legend in columns), then the caption. Inches; boxes are (left, bottom, width, height)."""
    title_h = len(title_lines) * 0.23 + 0.08 if title_lines else 0.0
    head_h = PANEL_HEAD_H if main.heading else 0
    main_h = main.view.width_in * main.view.aspect
    if detail is not None:
        columns = [legend]
        detail_h = detail.view.width_in * detail.view.aspect
        legend_h = sum(r.height for r in legend)
        row_h = max(PANEL_HEAD_H + detail_h, legend_h)
        legend_w = page.map_w - page.detail_w - 0.5
    else:
        columns = _legend_columns(legend, legend_columns)
        legend_h = max((sum(r.height for r in c) for c in columns), default=0)
        row_h, legend_w = legend_h, page.map_w
    caption_h = len(caption) * CAPTION_ROW + 0.06
    page_h = MARGIN_T + title_h + head_h + main_h + TICKS_H + GAP + row_h + TICKS_H * (detail is not None) \
        + GAP + caption_h + MARGIN_B
    top = page_h - MARGIN_T - title_h - head_h
    main.box = (MARGIN_L, top - main_h, page.map_w, main_h)
    row_top = top - main_h - TICKS_H - GAP
    if detail is not None:
        detail.box = (MARGIN_L, row_top - PANEL_HEAD_H - detail_h, page.detail_w, detail_h)
        legend_box = (page.map_w + MARGIN_L - legend_w, row_top - legend_h, legend_w, legend_h)
        row_bottom = min(detail.box[1] - TICKS_H, legend_box[1])
    else:
        legend_box = (MARGIN_L, row_top - legend_h, legend_w, legend_h)
        row_bottom = legend_box[1]
    return Layout(page, page_h, page_h - MARGIN_T, legend_box, columns, caption_top=row_bottom - GAP)


def _draw_title(fig, layout: Layout, lines: list[str]) -> None:
    if not lines:
        return
    fig.text(MARGIN_L / layout.page.width, layout.title_top / layout.page_h, "\n".join(lines), fontsize=TITLE_PT,
             fontweight="bold", color=INK, ha="left", va="top", linespacing=1.15)


def _draw_legend(ax, layout: Layout, legend) -> None:
    """Drawn by hand in inch units (y down), with the map's own symbol functions."""
    width, height = layout.legend_box[2], layout.legend_box[3]
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    col_w = width / len(layout.legend_columns)
    for c, column in enumerate(layout.legend_columns):
        x, y = c * col_w, 0.0
        for row in column:
            if row.heading:
                ax.text(x, y + HEAD * 0.6, row.heading.upper(), fontsize=6.2, fontweight="bold", color=MUTED,
                        ha="left", va="center")
            elif row.symbol is not None:      # (a blank heading is just a spacer)
                row.symbol(ax, x + 0.08, y + LINE / 2 + 0.005)
                ax.text(x + 0.2, y, "\n".join(row.lines), fontsize=LEGEND_PT, color=INK, ha="left", va="top",
                        linespacing=1.2)
            y += row.height


def _notes(data: MapData, main: "Panel", caption_lines: list[str] = ()) -> list[str]:
    """What the map leaves out, said in the caption (unless the caller's caption says it already)."""
    notes = []
    unlocated = int(data.incidents.geometry.isna().sum()) if not data.incidents.empty else 0
    # (its translations keep the words of the export caption's "… located only at country level are not drawn")
    if unlocated and not any(_("located only at country level") in line for line in caption_lines):
        notes.append(ngettext("{n} record located only at country level is not drawn.",
                              "{n} records located only at country level are not drawn.", unlocated).format(n=unlocated))
    if main.outside:
        notes.append(ngettext("{n} located record lies outside this map's extent.",
                              "{n} located records lie outside this map's extent.", main.outside).format(n=main.outside))
    # All land is drawn; borders only for the countries the register's places lie in. Say so
    # when the map reaches land beyond them (Europe, the Caucasus, Central Asia).
    if main.other_land and not data.countries.empty:
        names = ", ".join(sorted(n for n in data.countries["name"] if n))
        notes.append(_("Borders are drawn for {countries}; other land is shown without borders.").format(countries=names))
    return notes


def _draw_caption(fig, layout: Layout, lines: list[str]) -> None:
    if not lines:
        return
    top = layout.caption_top
    page = layout.page
    fig.add_artist(Line2D([MARGIN_L / page.width, (MARGIN_L + page.map_w) / page.width], [top / layout.page_h] * 2,
                          color="#bbbbbb", linewidth=0.5))
    fig.text(MARGIN_L / page.width, (top - 0.06) / layout.page_h, "\n".join(lines), fontsize=CAPTION_PT,
             color="#333333", ha="left", va="top", linespacing=1.3)
