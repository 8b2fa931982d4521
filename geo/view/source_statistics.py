"""The statistics tab: one bar chart per group of series, on one scale per group, and the table of
every figure with its document. Plain Vega-Lite dicts (as geo.view.charts), built once per run.

One scale per group is the point: applications (207) and grants (1) stand side by side at their
true lengths, and figures of different documents for the same thing sit next to each other with
their sources. A range is a bar from low to high; a statement without a number is written out,
never drawn as a bar at zero.
"""
from __future__ import annotations

import pandas as pd

from geo.evidence.statistics import Group, Series, Statistics, Value, figure_text
from geo.language import N_, _

EXACT_COLOUR = "#0072B2"     # blue: a number as stated (Okabe-Ito)
INEXACT_COLOUR = "#E69F00"   # orange: "about", "more than", or a range
STATEMENT_COLOUR = "#555555"  # grey: words without a number
EXACT, INEXACT, STATEMENT = N_("exact figure"), N_("approximate, bound or range"), N_("statement, no number")

TABLE_COLUMNS = [N_("Topic"), N_("Series"), N_("Period"), N_("What"), N_("Figure"), N_("Unit"), N_("As written"),
                 N_("Source"), N_("Where in the source"), N_("Notes")]
ROW_HEIGHT = 34
BAR_WIDTH = 420


def stated_as(v: Value) -> str:
    if v.statement:
        return STATEMENT
    return EXACT if v.qualifier is None and not v.is_range else INEXACT


def _rows(group_series: list[Series]) -> list[dict]:
    rows = []
    for s in group_series:
        for v in s.values:
            source = s.source_of(v)
            what = f"{v.period} · {v.label}" if v.label else v.period
            rows.append({
                # One row per figure; the axis shows the series, then period, label and document.
                "row": f"{s.title}|{what} [{source.doc}]",
                "series": s.title, "period": v.period, "label": v.label or "", "figure": figure_text(v),
                "as_written": v.as_written, "doc": source.doc, "locator": source.locator, "unit": s.unit,
                "bar_from": None if v.statement else (v.low if v.is_range else 0),
                "bar_to": None if v.statement else (v.high if v.is_range else v.value),
                "stated_as": _(stated_as(v)),
            })
    return rows


def group_chart(group: Group, group_series: list[Series]) -> dict:
    """Horizontal bars for every figure of the group, one shared x scale."""
    rows = _rows(group_series)
    docs = sorted({r["doc"] for r in rows})
    order = [r["row"] for r in rows]
    y = {"field": "row", "type": "nominal", "sort": order, "title": None,
         "axis": {"labelExpr": "split(datum.label, '|')", "labelLimit": 460, "labelFontSize": 11}}
    tooltip = [{"field": f, "type": "nominal", "title": _(t)} for f, t in (
        ("series", "Series"), ("period", "Period"), ("label", "What"), ("figure", "Figure"),
        ("as_written", "As written"), ("doc", "Source"), ("locator", "Where in the source"))]
    colour = {"field": "stated_as", "type": "nominal", "title": _("Figure"),
              "scale": {"domain": [_(EXACT), _(INEXACT), _(STATEMENT)], "range": [EXACT_COLOUR, INEXACT_COLOUR, STATEMENT_COLOUR]},
              "legend": None}
    numbers = {"filter": "datum.bar_to != null"}
    return {
        "title": {"text": group.title, "anchor": "start", "fontSize": 13,
                  "subtitle": [_("One scale for every bar in this chart. Sources: {documents}.").format(
                      documents=", ".join(docs))],
                  "subtitleFontSize": 10, "subtitleColor": "#555555"},
        "width": BAR_WIDTH, "height": ROW_HEIGHT * len(rows),
        "data": {"values": rows},
        "encoding": {"y": y, "tooltip": tooltip},
        "layer": [
            {"transform": [numbers], "mark": {"type": "bar", "height": 14},
             "encoding": {"x": {"field": "bar_from", "type": "quantitative", "title": None,
                                "scale": {"zero": True, "nice": True}, "axis": {"format": ",d", "tickMinStep": 1}},
                          "x2": {"field": "bar_to"}, "color": colour}},
            {"transform": [numbers], "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11},
             "encoding": {"x": {"field": "bar_to", "type": "quantitative"}, "text": {"field": "figure"}}},
            {"transform": [{"filter": "datum.bar_to == null"}],
             "mark": {"type": "text", "align": "left", "fontSize": 11, "fontStyle": "italic", "color": STATEMENT_COLOUR},
             "encoding": {"x": {"datum": 0, "type": "quantitative"}, "text": {"field": "figure"}}},
        ],
    }


def statistics_chart(stats: Statistics) -> dict:
    """Every group's chart, one under the other (each group has its own scale)."""
    charts = [group_chart(g, stats.in_group(g.id)) for g in stats.groups if stats.in_group(g.id)]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": _("Statistics from the sources: figures as each document states them"), "anchor": "start",
                  "fontSize": 15,
                  "subtitle": [_("Blue: exact figure. Orange: approximate (“about”, “more than”) or a range "
                                 "(a bar from low to high). Grey: a statement without a number."),
                               _("Bars compare within one chart; the charts have different scales.")]},
        "vconcat": charts, "spacing": 28,
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11}},
    }


def statistics_table(stats: Statistics) -> pd.DataFrame:
    """One row per figure, the figure as text (a range reads '30,000–40,000', never empty), with
    its document, locator and the series' notes."""
    titles = {g.id: g.title for g in stats.groups}
    rows = []
    for g in stats.groups:
        for s in stats.in_group(g.id):
            for v in s.values:
                source = s.source_of(v)
                rows.append(dict(zip(TABLE_COLUMNS, (
                    titles[s.group], s.title, v.period, v.label or "", figure_text(v), s.unit, v.as_written,
                    source.doc, source.locator, s.notes or ""))))
    return pd.DataFrame(rows, columns=TABLE_COLUMNS).rename(columns=_)


def disagreements(stats: Statistics) -> list[tuple[str, str]]:
    """(group title, notes) for the groups whose notes say where the documents disagree."""
    return [(g.title, g.notes) for g in stats.groups if g.notes]
