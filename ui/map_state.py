"""What the map shows: the views the app asks for and what the map reports back.

The app asks the map to move with a *view request* (a briefing step, a selected record, "show
all"): a numbered target that the map carries out once (geo.outputs.mapview.ViewRequest). The map
reports where the user panned and which marker was clicked; st_folium keeps its last report in
st.session_state["map"] across runs, so a report is taken only when it is new — an old report must
never undo a newer request (that was the cause of briefing steps showing the previous step's view).
"""
from __future__ import annotations

import streamlit as st

from geo.view import routes, selection
from geo.view.dataset import Bundle
from ui.page_timer import on_timer


def request(target: dict | None) -> None:
    """Ask the map to go to `target`: {center, zoom} or {bounds, max_zoom}, optionally with a
    record to bring into view (focus)."""
    if not target:
        return
    state = st.session_state
    state["view_seq"] = state.get("view_seq", 0) + 1
    state["view_request"] = {**target, "seq": state["view_seq"]}
    if "center" in target:
        state["view"] = (tuple(target["center"]), target["zoom"])
        state["bounds"] = None
    elif "bounds" in target:
        state["view"] = state["bounds"] = None   # known once the map reports where the frame put it


def request_view(center, zoom) -> None:
    request({"center": [float(center[0]), float(center[1])], "zoom": zoom})


def select(record_id: str | None, data: Bundle, on_screen: bool = False) -> None:
    """Show a record's details, highlight it and bring it into view. `on_screen` (a click on its
    marker): it is in view already, so keep the zoom and only pan if it sits near an edge."""
    state = st.session_state
    state["selected"] = record_id
    if record_id not in data.incidents.index:
        return
    if on_screen:
        request({"focus": record_id, "inside": True})
        return
    zoom = state["view"][1] if state.get("view") else None
    request(selection.record_target(data.incidents.loc[record_id], data.subjects, zoom))


def select_from_widget(key: str, data: Bundle, drawn_with: str | None) -> None:
    """on_change of the record picker, which was drawn showing `drawn_with`: select what it holds
    now. Streamlit may call on_change when only the options changed (a briefing step changes the
    filters), with the value the picker was drawn with: that is not a choice and moves nothing."""
    value = st.session_state.get(key)
    if value != drawn_with:
        select(value, data)


def take_report(data: Bundle) -> None:
    """Take what the map reported since the last run: its view, and a click on a marker."""
    state = st.session_state
    report = state.get("map") or {}
    center, zoom = report.get("center"), report.get("zoom")
    if center and zoom and (center, zoom) != state.get("report_seen"):
        state["report_seen"] = (center, zoom)
        state["view"] = ((center["lat"], center["lng"]), zoom)
        state["bounds"] = report.get("bounds")
    clicks = report.get("last_object_clicked_count")
    if clicks is not None and clicks != state.get("clicks_seen"):
        state["clicks_seen"] = clicks   # a reloaded map counts from 0 again
        tooltip = report.get("last_object_clicked_tooltip")
        record_id = selection.record_id_from_tooltip(tooltip)
        if clicks and record_id in data.incidents.index:
            select(record_id, data, on_screen=True)
        elif clicks and record_id in data.site_places:   # a site: offer "incidents within N km of it"
            state["clicked_site"] = record_id
        elif clicks and routes.route_id_from_tooltip(tooltip):
            state["selected_route"] = routes.route_id_from_tooltip(tooltip)


def renew() -> None:
    """The map was drawn afresh (the user came back from another page): put it where it was, and
    bring the records of the last request into view again."""
    state = st.session_state
    last = {k: v for k, v in (state.get("view_request") or {}).items() if k not in ("seq", "bounds", "max_zoom")}
    if state.get("view"):
        request({**last, "center": list(state["view"][0]), "zoom": state["view"][1]})
    elif state.get("view_request"):
        request({k: v for k, v in state["view_request"].items() if k != "seq"})


# -- the map first, on a browser's first visit --------------------------------------------------
FOLLOW_UP_SECONDS = 2.0   # if the map has not reported by then (it failed to load), draw the rest anyway


def map_first() -> bool:
    """True on a browser session's first run of the map page. That run draws the map and the
    controls; the timeline's chart and the records table follow in the next run, which the map
    starts itself: st_folium reports its view once Leaflet has painted. Streamlit's frontend loads
    the chart's and the table's code (~2 MB) when they first appear, in the same browser thread
    as the map's iframe, so drawn together the markers came ~0.5 s later (docs/benchmarks.md).
    AppTest has no browser (no request headers) and nothing reports there: it draws everything."""
    state = st.session_state
    first = not state.get("map_page_drawn") and browser_connected()
    state["map_page_drawn"] = True
    return first


def browser_connected() -> bool:
    """A browser (or another client over HTTP) runs this session; AppTest sends no headers."""
    return bool(st.context.headers)


def follow_up(seconds: float = FOLLOW_UP_SECONDS) -> None:
    """The last thing on a page that left something for the next run (an element drawn before the
    map would move the map's place in the page, and Streamlit would load it afresh in the next
    run): a timer that reruns the page after `seconds` unless another run came first. After a
    map_first run, the map's report normally starts that run; the timer is there in case it
    never comes (the map's script failed in the browser)."""
    on_timer(seconds, lambda: st.rerun(scope="app"))
