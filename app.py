"""Streamlit layout of the incident map. Logic lives in geo/ and layers/; this file arranges it.

Run with ./start.sh (it sets up, builds missing layers and serves the offline assets).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

import os

from geo.view import aggregate

from geo.view import charts

from geo.view import selection
from geo.outputs.briefing_export import briefing_bytes
from geo.outputs.briefings import BriefingError, load_briefings
from geo.outputs.export import FORMATS, MEDIA_TYPES, ExportError, export_bytes, file_name, make_view
from geo.outputs.redaction import FULL, PUBLIC, release_bundle
from geo.view.dataset import Bundle, load_bundle
from geo.errors import GeoError
from geo.paths import DATA_DIR, layers_dir
from geo.view.filters import IncidentFilter
from geo.outputs.html_text import markdown_literal as md
from geo.outputs.mapview import BASE_LAYERS, FAR_EAST_CENTER, FAR_EAST_ZOOM, build_map, dynamic_group, legend_block, map_data
from geo.view.scale import Viewport, plan
from geo.evidence.sources import DOC_LABELS
from geo.evidence.statistics import load_statistics, statistics_chart, statistics_frame
from geo.evidence.vocabulary import ACTORS, INCIDENT_TYPES, LOCATION_PRECISIONS

PICKER_LIMIT, TABLE_LIMIT = 2_000, 1_000   # what a list or table can usefully show at once

st.set_page_config(page_title="DPRK workers and refugees in Russia: incident map", page_icon="🗺️",
                   layout="wide")


@st.cache_data(show_spinner=False)
def source_statistics():
    series = load_statistics()
    return statistics_chart(series).to_dict(), statistics_frame(series)


# INCIDENT_MAP_MODE=public (./start.sh --public) for a public deployment: names never leave the server.
PUBLIC_DEPLOYMENT = os.environ.get("INCIDENT_MAP_MODE", "").lower() == PUBLIC


@st.cache_resource(show_spinner="Loading the register…")
def bundle(data_dir: str, public: bool) -> Bundle:
    loaded = load_bundle(Path(data_dir))
    return release_bundle(loaded, PUBLIC) if public else loaded


@st.cache_resource(show_spinner=False)
def briefings(data_dir: str, public: bool):
    try:
        return load_briefings(bundle(data_dir, public)), None
    except BriefingError as exc:
        return [], str(exc)


try:
    data = bundle(str(layers_dir()), PUBLIC_DEPLOYMENT)
except GeoError as exc:
    st.error(f"The map data could not be loaded. {exc}")
    st.markdown("To create it, run in the project folder:")
    st.code("./start.sh        # sets up and builds what is missing\n# or only the data:\n.venv/bin/python -m geo build")
    st.stop()

first_year, last_year = data.year_range()

available_briefings, briefing_problem = briefings(str(layers_dir()), PUBLIC_DEPLOYMENT)
briefings_by_id = {b.id: b for b in available_briefings}


def set_filter_widgets(f: IncidentFilter) -> None:
    """Show a filter in the sidebar widgets (from the URL, or from a briefing step)."""
    st.session_state.update({
        "years": (max(first_year, f.start_year or first_year), min(last_year, f.end_year or last_year)),
        "month_only": f.month_or_better,
        "types": list(f.types if f.types is not None else INCIDENT_TYPES),
        "actors": list(f.actors or ()), "subjects": list(f.subjects or ()), "docs": list(f.docs or ()),
    })


def go_to_step(number: int) -> None:
    briefing = briefings_by_id[st.session_state["briefing"]]
    step = briefing.steps[number]
    set_filter_widgets(step.filter)
    st.session_state.update(step=number, view=(step.center, step.zoom), bounds=None,
                            selected=step.highlight[0] if step.highlight else None)


def start_briefing() -> None:
    if st.session_state.get("briefing"):
        go_to_step(0)


def select(record_id: str) -> None:
    st.session_state["selected"] = record_id


# -- URL -> widgets (first run of a session only; afterwards the widgets own the state) --------
if "ready" not in st.session_state:
    url = IncidentFilter.from_params(st.query_params.to_dict(), data.subject_names, data.doc_titles)
    set_filter_widgets(url)
    st.session_state.update({
        "selected": st.query_params.get("rec"),
        "view": selection.parse_view(st.query_params.get("c"), st.query_params.get("z")),
        "url_warnings": url.warnings,
        "briefing": st.query_params.get("briefing") if st.query_params.get("briefing") in briefings_by_id else None,
        "step": 0,
        "ready": True,
    })
    if st.session_state["briefing"]:
        go_to_step(min(max(int(st.query_params.get("step", "1") or 1) - 1, 0),
                       len(briefings_by_id[st.session_state["briefing"]].steps) - 1)
                   if str(st.query_params.get("step", "1")).isdigit() else 0)

# -- Sidebar: briefing and filters --------------------------------------------------------------
with st.sidebar:
    if PUBLIC_DEPLOYMENT:
        st.caption("Public release: personal names are withheld and sensitive locations coarsened.")
    st.header("Briefing")
    st.selectbox("Guided briefing", [None, *briefings_by_id], key="briefing", on_change=start_briefing,
                 placeholder="None — explore freely",
                 format_func=lambda i: "None (explore freely)" if i is None else briefings_by_id[i].title)
    if briefing_problem and layers_dir() == DATA_DIR:
        st.error(f"A briefing file could not be used: {briefing_problem}")
    elif briefing_problem:   # briefings cite the seed register's records; another dataset lacks them
        st.caption("The briefings refer to the seed register's records and are not available for this dataset.")
    active = briefings_by_id.get(st.session_state.get("briefing"))
    if active:
        number = st.session_state["step"]
        st.caption(f"Step {number + 1} of {len(active.steps)}")
        back, forward = st.columns(2)
        back.button("◀ Back", key="step_back", disabled=number == 0, on_click=go_to_step, args=(number - 1,),
                    width="stretch")
        forward.button("Next ▶", key="step_next", disabled=number + 1 == len(active.steps), on_click=go_to_step,
                       args=(number + 1,), width="stretch")
    st.header("Filters")
    st.slider("Time window", first_year, last_year, key="years",
              help="A record counts when its date range overlaps the window.")
    st.toggle("Only records dated at least to the month", key="month_only")
    st.multiselect("Incident types", list(INCIDENT_TYPES), format_func=INCIDENT_TYPES.get, key="types")
    st.multiselect("Actors / perpetrators", list(ACTORS), format_func=ACTORS.get, key="actors",
                   placeholder="All actors")
    st.multiselect("Regions (federal subjects)", sorted(data.subject_names, key=data.subject_names.get),
                   format_func=data.subject_names.get, key="subjects", placeholder="All regions")
    st.multiselect("Source documents", list(data.doc_titles), format_func=lambda d: DOC_LABELS.get(d, d),
                   key="docs", placeholder="All sources")
    for warning in st.session_state["url_warnings"]:
        st.warning(f"Link parameter ignored: {warning}")

state = st.session_state
view = IncidentFilter(
    start_year=state["years"][0] if state["years"][0] > first_year else None,
    end_year=state["years"][1] if state["years"][1] < last_year else None,
    month_or_better=state["month_only"],
    types=None if set(state["types"]) == set(INCIDENT_TYPES) else tuple(k for k in INCIDENT_TYPES if k in state["types"]),
    actors=tuple(state["actors"]) or None, subjects=tuple(state["subjects"]) or None,
    docs=tuple(state["docs"]) or None,
)
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
step = active.steps[state["step"]] if active else None
if step:
    st.info(f"**{md(active.title)} — {state['step'] + 1}/{len(active.steps)}: {md(step.heading)}**  \n{md(step.text)}")

# -- Map and details ------------------------------------------------------------------------
# The base map (outlines, sites, legend) is built from the whole register, so it is the same on
# every run and stays drawn; the incidents in view travel as a feature group (geo.view.scale: markers, or
# counted cells when a large dataset is zoomed out).
center, zoom = state["view"] or (FAR_EAST_CENTER, FAR_EAST_ZOOM)
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
    returned = st_folium(
        build_map(map_data(data, data.incidents, served_basemap=True, with_counts=False), center=base_center, zoom=base_zoom,
                  layers=BASE_LAYERS, legend_open=False),
        feature_group_to_add=dynamic_group(drawn, with_regions=state.get("show_regions", False)),
        key="map", height=680, use_container_width=True, center=center, zoom=zoom,
        returned_objects=["last_object_clicked_tooltip", "center", "zoom", "bounds"])
    st.toggle("Colour regions by number of incidents", key="show_regions")
    # st_folium mirrors its value at st.session_state["map"] (its on_change does); same as `returned`.
    interaction = st.session_state.get("map") or returned or {}
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
    picked = st.session_state.get(f"record_picker_{chosen}")
    if picked != chosen:
        state["selected"] = chosen = picked
    if chosen in data.incidents.index:
        p = data.incidents.loc[chosen]
        st.subheader(md(p["title"]))
        st.markdown(f"**{md(p['type_label'])}** · {md(p['date_label'])}  \n"
                    f"Date as written: “{md(p['date_as_written'])}”")
        for reading in p["date_readings"] or []:
            st.markdown(f"- Reading in {md(DOC_LABELS.get(reading['doc'], reading['doc']))}: “{md(reading['as_written'])}”")
        st.markdown(f"**Place:** {md(p['place_as_written'])} → {md(p['place_name'])} "
                    f"({md(LOCATION_PRECISIONS[p['location_precision']])} precision) · "
                    f"{md(p['subject_name'] or p['country'])}")
        if p["people_affected"] == p["people_affected"] and p["people_affected"] is not None:
            st.markdown(f"**People affected:** {int(p['people_affected'])} (lowest figure in the sources)")
        if p["actor_labels"]:
            st.markdown(f"**Actors:** {md(', '.join(p['actor_labels']))}")
        if p["outcome"]:
            st.markdown(f"**Outcome:** {md(p['outcome'])}")
        st.markdown("**Sources**")
        for s in p["sources"]:
            st.markdown(f"*{md(DOC_LABELS.get(s['doc'], s['doc']))}* \\[{md(s['doc'])}\\], {md(s['locator'])}")
            st.markdown("> " + md(s["quote"]))
        if p["related"]:
            st.markdown("**Same case** (click to follow the chain)")
            for rel in p["related"]:
                st.button(data.titles.get(rel, rel), key=f"rel-{chosen}-{rel}", on_click=select, args=(rel,))
        if p["notes"]:
            with st.expander("Curator's notes"):
                st.markdown(md(p["notes"]))
    with st.expander("Legend", expanded=chosen not in data.incidents.index):
        st.html(legend_block(drawn))

# -- Below the map ----------------------------------------------------------------------------
records_tab, patterns_tab, stats_tab, export_tab, about_tab = st.tabs(
    ["Records in view", "Patterns", "Statistics from the sources", "Export", "About the data"])
with records_tab:
    if not unmapped.empty:
        st.markdown(f"**{len(unmapped)} records are located only at country level** and are not drawn on the map.")
    if len(shown) > TABLE_LIMIT:
        st.caption(f"The first {TABLE_LIMIT:,} of {len(shown):,} records by date; export the view for all of them.")
    table = by_date.head(TABLE_LIMIT)[["date_label", "type_label", "title", "place_name", "location_precision", "subject_name",
                   "people_affected", "id"]].rename(columns={
        "date_label": "Date", "type_label": "Type", "title": "Title", "place_name": "Place",
        "location_precision": "Place precision", "subject_name": "Region", "people_affected": "People", "id": "Record"})
    st.dataframe(table, hide_index=True, width="stretch")
with patterns_tab:
    per_year = aggregate.per_year_by_type(shown)
    if not per_year.empty:
        st.vega_lite_chart(charts.timeline_spec(per_year), width="stretch")
    st.markdown("**Incidents per region** (the map's “Incidents per region” layer shows the same counts)")
    st.dataframe(aggregate.counts_per_subject(shown, data.subject_names), hide_index=True, width="stretch")
with stats_tab:
    spec, figures = source_statistics()
    st.vega_lite_chart(spec, width="content")
    st.dataframe(figures, hide_index=True, width="stretch")
def offer_download(state_key: str) -> None:
    """A download button for a file prepared earlier in this session (name, bytes, media type)."""
    if state.get(state_key):
        name, content, mime = state[state_key]
        st.download_button(f"Download {name} ({len(content) / 1e3:.0f} kB)", content, file_name=name, mime=mime,
                           key=f"{state_key}_download")


with export_tab:
    st.markdown("Download the current view (filters and time window as above) for a report or a partner.")
    modes = [PUBLIC] if PUBLIC_DEPLOYMENT else [PUBLIC, FULL]
    release = st.radio("Release", modes, key="export_mode", horizontal=True, format_func={
        PUBLIC: "Public — names withheld, sensitive places coarsened",
        FULL: "Full — for trusted partners only (contains names)"}.get)
    title = st.text_input("Title on the map", "Documented incidents: North Korean workers and refugees in Russia",
                          key="export_title")
    fmt = st.selectbox("Format", FORMATS, key="export_format", format_func={
        "html": "Interactive map, one HTML file (works offline)", "png": "Image for print (PNG, 300 dpi)",
        "svg": "Image for print (SVG)", "geojson": "Data: GeoJSON", "csv": "Data: CSV (Excel)",
        "gpkg": "Data: GeoPackage (QGIS)"}.get)
    if st.button("Prepare file", key="export_prepare"):
        with st.spinner("Preparing the file…"):
            try:
                export_view = make_view(data, view, release, title)
                state["export_file"] = (file_name(export_view, fmt), export_bytes(export_view, fmt), MEDIA_TYPES[fmt])
            except ExportError as exc:
                state["export_file"] = None
                st.error(str(exc))
    offer_download("export_file")
    if available_briefings:
        st.markdown("**Briefing as a document** — one page per step with its map, for people who cannot run the app.")
        chosen_briefing = st.selectbox("Briefing", list(briefings_by_id), key="deck_briefing",
                                       format_func=lambda i: briefings_by_id[i].title)
        deck_format = st.radio("Deck format", ["html", "pdf"], key="deck_format", horizontal=True)
        if st.button("Prepare briefing", key="deck_prepare"):
            with st.spinner("Drawing one map per step…"):
                content = briefing_bytes(data, briefings_by_id[chosen_briefing], deck_format, release)
                state["deck_file"] = (f"{chosen_briefing}-{release}.{deck_format}", content, MEDIA_TYPES[deck_format])
        offer_download("deck_file")
with about_tab:
    st.markdown("**Sources** (cited by id in every record)")
    for doc, title in data.doc_titles.items():
        st.markdown(f"- `{doc}` — {md(title)}")
    st.markdown("Outlines: Natural Earth (public domain). Places: GeoNames (CC BY 4.0). "
                "Location precision is shown on the map: dashed rings are district- or region-level places.")

# -- Widgets -> URL ---------------------------------------------------------------------------
params = view.to_params()
if active:
    params.update(briefing=active.id, step=str(state["step"] + 1))
if state.get("selected"):
    params["rec"] = state["selected"]
if state.get("view"):
    params.update(selection.format_view(*state["view"]))
if params != st.query_params.to_dict():
    st.query_params.from_dict(params)
