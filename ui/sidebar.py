"""The filter sidebar shared by the Map, Statistics and Export pages: widgets -> IncidentFilter.

The widget values live in session state under fixed keys (FILTER_KEYS), kept across pages by
ui.session.keep_across_pages, so a filter set on the map is the one the Export page exports.
"""
from __future__ import annotations

import streamlit as st

from geo.evidence.sources import DOC_LABELS
from geo.evidence.vocabulary import ACTORS, INCIDENT_TYPES
from geo.view import proximity
from geo.view.dataset import Bundle
from geo.view.filters import IncidentFilter
from geo.view.link import within_years
from geo.language import _

# "time_months": the window's months when the timeline or playback set one that does not run
# over whole years; it holds while the slider shows its years. "near"/"near_km": within N km of a site.
FILTER_KEYS = ("years", "time_months", "month_only", "types", "actors", "subjects", "docs", "near", "near_km")


def show_filter(f: IncidentFilter, data: Bundle) -> None:
    """Put a filter into the sidebar widgets (from the URL, a briefing step, the timeline or playback)."""
    first_year, last_year = data.year_range()
    f = within_years(f, first_year, last_year)[0]   # a slider value outside its range would fail the page
    years = (f.start_year or first_year, f.end_year or last_year)
    months = None
    if f.start_month is not None or f.end_month is not None:
        months = (years[0], f.start_month or 1, years[1], f.end_month or 12)
    st.session_state.update({
        "years": years, "time_months": months,
        "month_only": f.month_or_better,
        "types": list(f.types if f.types is not None else INCIDENT_TYPES),
        "actors": list(f.actors or ()), "subjects": list(f.subjects or ()), "docs": list(f.docs or ()),
        "near": f.near if f.near in data.site_places else None,
        "near_km": float(f.within_km or proximity.DEFAULT_KM),
    })


def site_label(place: proximity.SitePlace) -> str:
    return "{name} ({kind})".format(name=place.name, kind=place.kind_label.lower())


def filters(data: Bundle) -> IncidentFilter:
    """Draw the filter widgets in the sidebar and return the filter they set."""
    first_year, last_year = data.year_range()
    with st.sidebar:
        st.header(_("Filters"))
        if first_year < last_year:
            st.slider(_("Time window"), first_year, last_year, key="years",
                      help=_("A record counts when its date range overlaps the window."))
        else:   # a slider needs two different ends
            st.caption(_("Time window: every record is from {year}.").format(year=first_year))
        st.toggle(_("Only records dated at least to the month"), key="month_only")
        st.multiselect(_("Incident types"), list(INCIDENT_TYPES), format_func=INCIDENT_TYPES.get, key="types")
        st.multiselect(_("Actors / perpetrators"), list(ACTORS), format_func=ACTORS.get, key="actors",
                       placeholder=_("All actors"))
        st.multiselect(_("Regions (federal subjects)"), sorted(data.subject_names, key=data.subject_names.get),
                       format_func=data.subject_names.get, key="subjects", placeholder=_("All regions"))
        st.multiselect(_("Source documents"), list(data.doc_titles), format_func=lambda d: DOC_LABELS.get(d, d),
                       key="docs", placeholder=_("All sources"))
        near_a_site(data)
    state = st.session_state
    start_month = end_month = None
    months = state.get("time_months")
    if months and (months[0], months[2]) == tuple(state["years"]):   # set by the timeline, still in force
        start_month, end_month = months[1], months[3]
    else:
        state["time_months"] = None
    chosen = IncidentFilter(
        start_year=state["years"][0] if state["years"][0] > first_year or start_month not in (None, 1) else None,
        end_year=state["years"][1] if state["years"][1] < last_year or end_month not in (None, 12) else None,
        start_month=start_month if start_month != 1 else None, end_month=end_month if end_month != 12 else None,
        month_or_better=state["month_only"],
        types=None if set(state["types"]) == set(INCIDENT_TYPES)
        else tuple(k for k in INCIDENT_TYPES if k in state["types"]),
        actors=tuple(state["actors"]) or None, subjects=tuple(state["subjects"]) or None,
        docs=tuple(state["docs"]) or None,
    ).with_near(data.site_places.get(state.get("near")), state.get("near_km"))
    # What the link asked for and could not have, above the page, until the filters are changed.
    state.setdefault("link_filter", chosen)
    if chosen == state["link_filter"]:
        for warning in state.get("url_warnings", ()):
            st.warning(_("Shared link: {problem}").format(problem=warning))
    return chosen


def near_a_site(data: Bundle) -> None:
    """Within N km of a worksite, court, crossing, detention site or office (or a site clicked on the map)."""
    places = data.site_places
    state = st.session_state
    if state.get("near") not in places:
        state["near"] = None
    st.selectbox(_("Near a site"), [None, *sorted(places, key=lambda i: (places[i].kind_label, places[i].name))],
                 key="near", format_func=lambda i: _("Anywhere") if i is None else site_label(places[i]),
                 placeholder=_("Anywhere (or click a site on the map)"),
                 help=_("Keeps the incidents within a distance of the site, measured on the Earth's ellipsoid. "
                      "Only records placed at a settlement, a site or a district count; region- and "
                      "country-level records have no point to measure from."))
    if state.get("near"):
        choices = sorted({*map(float, proximity.DISTANCES_KM), float(state.get("near_km") or proximity.DEFAULT_KM)})
        if state.get("near_km") not in choices:
            state["near_km"] = float(proximity.DEFAULT_KM)
        st.select_slider(_("Within"), choices, key="near_km",
                         format_func=lambda km: "{km} km".format(km=proximity.format_km(km)))
