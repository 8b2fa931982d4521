"""Session state that outlives a page: read the shared link once, keep widget values across pages,
and write each page's state back to the URL."""
from __future__ import annotations

import streamlit as st

from geo.outputs.mapview import FAR_EAST_CENTER, FAR_EAST_ZOOM
from geo.view import selection
from geo.view.dataset import Bundle
from geo.view.filters import IncidentFilter
from geo.view.link import read_link
from ui import briefing, language, map_state, timeline
from ui.sidebar import FILTER_KEYS, show_filter

# Widget values that must survive a visit to a page that does not draw the widget (Streamlit drops
# the state of widgets that are not drawn in a run; re-assigning it keeps it).
KEPT_KEYS = (*FILTER_KEYS, "briefing", "show_regions", "show_routes", "record_search", "export_mode", "export_title",
             "export_format", "export_routes", "deck_briefing", "deck_format", "user_name", "review_doc",
             *timeline.KEPT_KEYS, language.KEY)
KEPT_PREFIXES = ("rf_",)    # the record form's fields: an open form survives a look at the map


def start(data: Bundle) -> None:
    """On a session's first run, take the view from the URL; on every run, keep widget state.

    The map opens where the link says (c, z), else on the linked record (rec), else framing every
    record the link's filters keep; a briefing step (briefing, step) sets its own view."""
    state = st.session_state
    if "ready" not in state:
        link = read_link(st.query_params.to_dict(), years=data.year_range(), subject_names=data.subject_names,
                         doc_titles=data.doc_titles, record_ids=data.titles, briefing_steps=briefing.step_counts(),
                         site_places=data.site_places)
        show_filter(link.filter, data)
        warnings = (*link.warnings, *([state["lang_warning"]] if state.get("lang_warning") else []))
        state.update({"selected": None, "view": None, "url_warnings": warnings, "step": 0, "ready": True,
                      "show_routes": link.routes})
        if link.play:
            timeline.start_from_link(data, link)
        if link.view:
            map_state.request_view(*link.view)
            state["selected"] = link.selected
        elif link.selected:
            map_state.select(link.selected, data)
        if not state.get("view_request"):
            map_state.request(selection.records_bounds(data.incidents[link.filter.mask(data.incidents)])
                              or {"center": list(FAR_EAST_CENTER), "zoom": FAR_EAST_ZOOM})
        briefing.start_from_link(data, link)
    for key in KEPT_KEYS:
        if key in state:
            state[key] = state[key]
    for key in [k for k in state if isinstance(k, str) and k.startswith(KEPT_PREFIXES)]:
        state[key] = state[key]


def enter_page(name: str) -> None:
    """Called by the navigation before a page runs: remember which page this run shows."""
    state = st.session_state
    state["arrived"] = state.get("page") != name
    state["page"] = name


def arrived_on_page() -> bool:
    """True on the first run of a page after another page (its components are drawn afresh)."""
    return st.session_state.pop("arrived", False)


def map_params(view: IncidentFilter, active_briefing) -> dict[str, str]:
    """The map page's URL: filters, briefing step, selected record, map centre and zoom."""
    state = st.session_state
    params = view.to_params()
    if active_briefing:
        params.update(briefing=active_briefing.id, step=str(state["step"] + 1))
    if state.get("selected"):
        params["rec"] = state["selected"]
    if state.get("view"):
        params.update(selection.format_view(*state["view"]))
    if state.get("show_routes"):
        params["routes"] = "1"
    params.update(timeline.url_params())
    return params


def write_url(params: dict[str, str]) -> None:
    """Make the address bar show this page's state (a shared link reopens it). Always sent: the
    server's copy of the query string comes with each rerun request and can predate the previous
    run's change (two map reports in quick succession), so comparing with it can skip the write
    the browser still needs. The browser changes its history only when the string differs. The
    language (when not English) goes into every page's address."""
    st.query_params.from_dict({**params, **language.url_params()})
