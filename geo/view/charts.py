"""Charts for the patterns view, as Vega-Lite specs coloured as on the map.

Written as plain dicts rather than through altair: the spec is rebuilt on every filter change and
altair's validation costs more than the rest of a rerun.
"""
from __future__ import annotations

import pandas as pd

from geo.evidence.vocabulary import INCIDENT_TYPES
from geo.language import _
from layers.incidents import TYPE_COLOURS


def timeline_spec(per_year: pd.DataFrame) -> dict:
    """Stacked bars: incidents per year by type (a range counts in its first year)."""
    present = [k for k in INCIDENT_TYPES if k in set(per_year["type"])]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": _("Incidents per year by type"),
                  "subtitle": _("A record dated to a range is counted in its first year")},
        "height": 260,
        "data": {"values": per_year[["year", "type_label", "incidents"]].to_dict("records")},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": _("Year")},
            "y": {"aggregate": "sum", "field": "incidents", "type": "quantitative", "title": _("Incidents")},
            "color": {"field": "type_label", "type": "nominal", "title": _("Type"),
                      "scale": {"domain": [INCIDENT_TYPES[k] for k in present],
                                "range": [TYPE_COLOURS[k] for k in present]}},
            "tooltip": [{"field": "year", "type": "ordinal", "title": _("Year")},
                        {"field": "type_label", "type": "nominal", "title": _("Type")},
                        {"field": "incidents", "type": "quantitative", "title": _("Incidents")}],
        },
    }
