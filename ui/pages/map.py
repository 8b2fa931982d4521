"""Map page: the briefing, the map with the incidents in view, a record's details, the records list."""
import streamlit as st
from streamlit_folium import st_folium

from geo.errors import GeoError
from geo.outputs.html_text import markdown_literal as md
from geo.outputs.mapview import BASE_LAYERS, FAR_EAST_CENTER, FAR_EAST_ZOOM, build_map, dynamic_group, legend_block, map_data
from geo.evidence.sources import DOC_LABELS
from geo.view import selection
from geo.view.scale import Viewport, plan
from ui import briefing, data as shared, session
from ui.details import record_details
from ui.sidebar import filters

PICKER_LIMIT, TABLE_LIMIT = 2_000, 1_000   # what a list or table can usefully show at once

data = shared.bundle_or_stop()
state = st.session_state
if shared.public_deployment():
    st.sidebar.caption("Public release: personal names are withheld and sensitive locations coarsened.")
active, step = briefing.sidebar(data)
view = filters(data)
in_filter = view.mask(data.incidents)
shown = data.incidents[in_filter]
by_date = shown.sort_values("date_start")   # for the record picker and the table
unmapped = shown[shown.geometry.isna()]

# -- Header -----------------------------------------------------------------------------------
st.markdown("## North Korean workers and refugees in Russia: documented incidents")
c1, c2, c3 = st.columns(3)
c1.metric("Incidents in view", f"{len(shown)} of {len(data.incidents)}")
c2.metric("On the map", len(shown) - len(unmapped))
c3.metric("Country-level only (listed below)", len(unmapped))
st.caption("Showing: " + md(view.describe(data.subject_names, DOC_LABELS)))
if step:
    st.info(f"**{md(active.title)} — {state['step'] + 1}/{len(active.steps)}: {md(step.heading)}**  \n{md(step.text)}")

# -- Map and details ------------------------------------------------------------------------
# The base map (outlines, sites, legend) is built from the whole register, so it is the same on
# every run and stays drawn; the incidents in view travel as a feature group (geo.view.scale: markers,
# or counted cells when a large dataset is zoomed out).
center, zoom = state.get("view") or (FAR_EAST_CENTER, FAR_EAST_ZOOM)
state.setdefault("base_view", (center, zoom))
viewport = Viewport.from_leaflet(state.get("bounds"), zoom) or Viewport.around(center, zoom)
incident_plan = plan(data.incidents, viewport, mask=in_filter.to_numpy(), coords=data.coords)
drawn = map_data(data, shown, highlight=step.highlight if step else (), plan=incident_plan,
                 with_counts=state.get("show_regions", False))
map_col, detail_col = st.columns([5, 3])
with map_col:
    if shown.empty:
        st.info("No incident matches these filters. Widen the time window or select more types.")
    elif not incident_plan.cells.empty:
        st.caption(f"{incident_plan.in_view:,} incidents in view, counted in {len(incident_plan.cells):,} cells: "
                   "zoom in (or click a cell) to see individual markers.")
    base_center, base_zoom = state["base_view"]
    try:
        base_map = build_map(map_data(data, data.incidents, served_basemap=True, with_counts=False),
                             center=base_center, zoom=base_zoom, layers=BASE_LAYERS, legend_open=False)
        incidents_group = dynamic_group(drawn, with_regions=state.get("show_regions", False))
        returned = st_folium(
            base_map, feature_group_to_add=incidents_group,
            key="map", height=680, use_container_width=True, center=center, zoom=zoom,
            returned_objects=["last_object_clicked_tooltip", "center", "zoom", "bounds"])
    except GeoError as exc:   # static/vendor missing, or text that must not reach the map
        st.error(f"The map cannot be drawn: {exc}")
        returned = None
    st.toggle("Colour regions by number of incidents", key="show_regions")
    # st_folium mirrors its value at st.session_state["map"] (its on_change does); same as `returned`.
    interaction = state.get("map") or returned or {}
    clicked = selection.record_id_from_tooltip(interaction.get("last_object_clicked_tooltip"))
    if clicked and clicked != state.get("last_clicked"):
        state["last_clicked"] = clicked
        state["selected"] = clicked
    if interaction.get("center") and interaction.get("zoom"):
        state["view"] = ((interaction["center"]["lat"], interaction["center"]["lng"]), interaction["zoom"])
        state["bounds"] = interaction.get("bounds")

with detail_col:
    # The picker lists the records in view (the first PICKER_LIMIT by date on a large dataset).
    chosen = state.get("selected")
    ids = by_date["id"].head(PICKER_LIMIT).tolist()
    if chosen in data.titles and chosen not in ids:
        ids.insert(0, chosen)
    st.selectbox("Record", [None] + ids, index=(ids.index(chosen) + 1) if chosen in ids else 0,
                 format_func=lambda i: "Click a marker or choose a record…" if i is None else data.titles.get(i, i),
                 key=f"record_picker_{chosen}")
    picked = state.get(f"record_picker_{chosen}")
    if picked != chosen:
        state["selected"] = chosen = picked
    if chosen in data.incidents.index:
        record_details(data, chosen)
    with st.expander("Legend", expanded=chosen not in data.incidents.index):
        st.html(legend_block(drawn))

# -- Below the map ----------------------------------------------------------------------------
st.markdown("#### Records in view")
if not unmapped.empty:
    st.markdown(f"**{len(unmapped)} records are located only at country level** and are not drawn on the map.")
if len(shown) > TABLE_LIMIT:
    st.caption(f"The first {TABLE_LIMIT:,} of {len(shown):,} records by date; export the view for all of them.")
table = by_date.head(TABLE_LIMIT)[["date_label", "type_label", "title", "place_name", "location_precision",
                                   "subject_name", "people_affected", "id"]].rename(columns={
    "date_label": "Date", "type_label": "Type", "title": "Title", "place_name": "Place",
    "location_precision": "Place precision", "subject_name": "Region", "people_affected": "People", "id": "Record"})
st.dataframe(table, hide_index=True, width="stretch")

# -- Widgets -> URL ---------------------------------------------------------------------------
params = view.to_params()
if active:
    params.update(briefing=active.id, step=str(state["step"] + 1))
if state.get("selected"):
    params["rec"] = state["selected"]
if state.get("view"):
    params.update(selection.format_view(*state["view"]))
session.write_url(params)
