"""Charts for the patterns view (altair), coloured as on the map."""
from __future__ import annotations

import altair as alt
import pandas as pd

from geo.vocabulary import INCIDENT_TYPES
from layers.incidents import TYPE_COLOURS


def timeline_chart(per_year: pd.DataFrame) -> alt.Chart:
    """Stacked bars: incidents per year by type (a range counts in its first year)."""
    present = [k for k in INCIDENT_TYPES if k in set(per_year["type"])]
    scale = alt.Scale(domain=[INCIDENT_TYPES[k] for k in present], range=[TYPE_COLOURS[k] for k in present])
    return (
        alt.Chart(per_year, title=alt.Title("Incidents per year by type",
                                            subtitle="A record dated to a range is counted in its first year"))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("sum(incidents):Q", title="Incidents"),
            color=alt.Color("type_label:N", title="Type", scale=scale),
            tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("type_label:N", title="Type"),
                     alt.Tooltip("incidents:Q", title="Incidents")],
        )
        .properties(height=260)
    )
