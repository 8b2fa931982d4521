"""The filter sidebar shared by the Map, Statistics and Export pages: widgets -> IncidentFilter.

The widget values live in session state under fixed keys (FILTER_KEYS), kept across pages by
ui.session.keep_across_pages, so a filter set on the map is the one the Export page exports.
"""
from __future__ import annotations

import streamlit as st

from geo.evidence.sources import DOC_LABELS
from geo.evidence.vocabulary import ACTORS, INCIDENT_TYPES
from geo.view.dataset import Bundle
from geo.view.filters import IncidentFilter
from geo.view.link import within_years

FILTER_KEYS = ("years", "month_only", "types", "actors", "subjects", "docs")


def show_filter(f: IncidentFilter, data: Bundle) -> None:
    """Put a filter into the sidebar widgets (from the URL, or from a briefing step)."""
    first_year, last_year = data.year_range()
    f, _ = within_years(f, first_year, last_year)   # a slider value outside its range would fail the page
    st.session_state.update({
        "years": (f.start_year or first_year, f.end_year or last_year),
        "month_only": f.month_or_better,
        "types": list(f.types if f.types is not None else INCIDENT_TYPES),
        "actors": list(f.actors or ()), "subjects": list(f.subjects or ()), "docs": list(f.docs or ()),
    })


def filters(data: Bundle) -> IncidentFilter:
    """Draw the filter widgets in the sidebar and return the filter they set."""
    first_year, last_year = data.year_range()
    with st.sidebar:
        st.header("Filters")
        if first_year < last_year:
            st.slider("Time window", first_year, last_year, key="years",
                      help="A record counts when its date range overlaps the window.")
        else:   # a slider needs two different ends
            st.caption(f"Time window: every record is from {first_year}.")
        st.toggle("Only records dated at least to the month", key="month_only")
        st.multiselect("Incident types", list(INCIDENT_TYPES), format_func=INCIDENT_TYPES.get, key="types")
        st.multiselect("Actors / perpetrators", list(ACTORS), format_func=ACTORS.get, key="actors",
                       placeholder="All actors")
        st.multiselect("Regions (federal subjects)", sorted(data.subject_names, key=data.subject_names.get),
                       format_func=data.subject_names.get, key="subjects", placeholder="All regions")
        st.multiselect("Source documents", list(data.doc_titles), format_func=lambda d: DOC_LABELS.get(d, d),
                       key="docs", placeholder="All sources")
    state = st.session_state
    chosen = IncidentFilter(
        start_year=state["years"][0] if state["years"][0] > first_year else None,
        end_year=state["years"][1] if state["years"][1] < last_year else None,
        month_or_better=state["month_only"],
        types=None if set(state["types"]) == set(INCIDENT_TYPES)
        else tuple(k for k in INCIDENT_TYPES if k in state["types"]),
        actors=tuple(state["actors"]) or None, subjects=tuple(state["subjects"]) or None,
        docs=tuple(state["docs"]) or None,
    )
    # What the link asked for and could not have, above the page, until the filters are changed.
    state.setdefault("link_filter", chosen)
    if chosen == state["link_filter"]:
        for warning in state.get("url_warnings", ()):
            st.warning(f"Shared link: {warning}")
    return chosen
