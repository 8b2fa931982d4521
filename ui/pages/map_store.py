"""Map page of a large team store (more than ui.data.SCALE_FROM incidents): the incidents stay in
PostgreSQL. A filter change is one indexed query for the counts above the map and what the screen
shows (markers, or counted cells when zoomed out: geo.store.postgis.filter_change); a pan or zoom
asks only for the viewport; the list under the map is the first page in date order. So the app
process holds what the screen shows, not the dataset.

A viewer (public release) sees counts and counted cells only: individual records, their details
and the list are never sent, so no name or exact place can reach the browser from here."""
from dataclasses import replace

import streamlit as st

from geo.errors import GeoError
from geo.evidence.sources import DOC_LABELS
from geo.language import _, number
from geo.outputs.html_text import markdown_literal as md
from geo.outputs.mapview import FAR_EAST_CENTER, FAR_EAST_ZOOM, dynamic_group, legend_block, map_data
from geo.view import selection
from geo.view.scale import MARKER_LIMIT, Viewport
from ui import data as shared, map_component, map_state, session
from ui.details import record_details
from ui.records_table import records_table
from ui.sidebar import filters

TABLE_LIMIT = 1_000
MAP_HEIGHT = 600


def store_unreachable(exc: GeoError, retry_key: str) -> None:
    """The store went away: one line and a retry button; the next run tries again."""
    st.error(_("The map cannot ask the store right now: {error}").format(error=md(str(exc))))
    st.button(_("Try again"), key=retry_key, icon=":material/refresh:")
    st.stop()

data = shared.bundle_or_stop()
store = shared.store()
state = st.session_state
public = shared.public_deployment()
if public:
    st.sidebar.caption(_("Public release: counts only — names and exact places are not shown."))
view = filters(data)

# What the map reported (a pan, a click on a marker): taken before this run asks the store.
report = state.get("map") or {}
if report.get("center") and report.get("zoom") and (report["center"], report["zoom"]) != state.get("report_seen"):
    state["report_seen"] = (report["center"], report["zoom"])
    state["view"] = ((report["center"]["lat"], report["center"]["lng"]), report["zoom"])
    state["bounds"] = report.get("bounds")
clicks = report.get("last_object_clicked_count")
if clicks is not None and clicks != state.get("clicks_seen"):
    state["clicks_seen"] = clicks
    clicked = selection.record_id_from_tooltip(report.get("last_object_clicked_tooltip"))
    if clicks and clicked and not public:
        state["selected"] = clicked
if session.arrived_on_page():
    map_state.renew()

center, zoom = state.get("view") or (FAR_EAST_CENTER, FAR_EAST_ZOOM)
viewport = Viewport.from_leaflet(state.get("bounds"), zoom) or Viewport.around(center, zoom)
limit = 0 if public else MARKER_LIMIT          # a viewer: cells only, never a record
try:
    version = store.data_version()
    held = state.get("store_counts")
    if held and held[0] == (view, version):   # same filter: a pan or zoom asks for the viewport only
        counts, incident_plan = held[1], shared.map_answer(view, viewport, limit, version, pan=True)[1]
    else:
        counts, incident_plan = shared.map_answer(view, viewport, limit, version)
        state["store_counts"] = ((view, version), counts)
    chosen = state.get("selected") if not public else None
    record = store.incidents([chosen]) if chosen else None
except GeoError as exc:
    store_unreachable(exc, "store_map_retry")

st.markdown("# " + _("Documented incidents: North Korean workers and refugees in Russia"))
st.markdown(_("**{total}** incidents in view · **{drawn}** on the map · **{not_drawn}** located only at country "
              "level").format(total=number(counts.total), drawn=number(counts.drawn),
                              not_drawn=number(counts.not_drawn)))
st.caption(_("Showing: {view}").format(view=md(view.describe(data.subject_names, DOC_LABELS))))

# the legend lists the types of the markers on screen (cells alone: none)
drawn = map_data(data, incident_plan.markers, highlight=(chosen,) if chosen else (), plan=incident_plan,
                 with_counts=False)
map_col, side_col = st.columns([2, 1])
with map_col:
    if not counts.total:
        st.info(_("No incident matches these filters. Widen the time window or select more types."))
    elif not incident_plan.cells.empty:
        st.caption(_("{in_view} incidents in view, counted in {cells} cells: {hint}").format(
            in_view=number(incident_plan.in_view), cells=number(len(incident_plan.cells)),
            hint=_("zoom in (or click a cell) to see individual markers.") if not public else
            _("the public release of a dataset this large is shown as counts.")))
    try:
        map_component.draw(map_component.prepared_base_map(),
                           dynamic_group(drawn, view_request=state.get("view_request")), key="map", height=MAP_HEIGHT)
    except GeoError as exc:
        st.error(_("The map cannot be drawn: {error}").format(error=md(str(exc))))

try:   # asked once the map is on its way to the browser: the list is not what a filter change waits for
    listed = shared.store_listing(view, TABLE_LIMIT, version) if not public else None
except GeoError as exc:
    store_unreachable(exc, "store_list_retry")

with side_col:
    if listed is not None:
        ids = listed["id"].tolist()
        if chosen and chosen not in ids:
            ids.insert(0, chosen)
        titles = {**dict(zip(listed["id"], listed["title"])),
                  **(dict(zip(record["id"], record["title"])) if record is not None else {})}
        picker_key = f"record_picker_{chosen}"
        st.selectbox(_("Record (the first {count} by date)").format(count=number(len(listed))), [None] + ids,
                     index=(ids.index(chosen) + 1) if chosen in ids else 0,
                     format_func=lambda i: _("Click a marker or choose a record…") if i is None else titles.get(i, i),
                     key=picker_key)
        if state.get(picker_key) != chosen:     # a record chosen in the picker: show its details
            state["selected"] = state[picker_key]
            st.rerun()
    if record is not None and not record.empty:
        row = record.iloc[0]
        if row.geometry is None:
            st.caption(_("Located only at country level: listed, not drawn on the map."))
        record_details(replace(data, incidents=record, titles=titles), chosen)
    with st.expander(_("Legend"), expanded=record is None):
        st.html(legend_block(drawn))

if listed is not None:
    st.markdown("## " + _("Records in view"))
    if counts.total > TABLE_LIMIT:
        st.caption(_("The first {count} of {total} records by date; narrow the filters to list others.").format(
            count=number(TABLE_LIMIT), total=number(counts.total)))
    records_table(listed)

params = view.to_params()
if chosen:
    params["rec"] = chosen
if state.get("view"):
    params.update(selection.format_view(*state["view"]))
session.write_url(params)
