"""Map page: the map with the incidents in view beside the briefing or a record's details, then the
records list. The map is the first thing on the page, visible without scrolling."""
import streamlit as st

from geo.errors import GeoError
from geo.outputs.export import DEFAULT_TITLE
from geo.evidence.sources import DOC_LABELS
from geo.outputs.html_text import markdown_literal as md
from geo.outputs.mapview import FAR_EAST_CENTER, FAR_EAST_ZOOM, dynamic_group, legend_block, map_data
from geo.view import routes as case_routes, search
from geo.view.scale import Viewport, plan
from ui import briefing, data as shared, map_component, map_state, session, spatial, timeline
from ui.details import record_details
from ui.records_table import records_table, table_height
from ui.sidebar import filters
from geo.language import _, current, ngettext, number

PICKER_LIMIT, TABLE_LIMIT = 2_000, 1_000   # what a list or table can usefully show at once
MAP_HEIGHT = 600                            # with the header, fits a 1280×800 window
TABLE_AFTER_STEP = 0.4                      # s after Back or Next: the table of the new window follows

data = shared.bundle_or_stop()
state = st.session_state
if shared.public_deployment():
    st.sidebar.caption(_("Public release: personal names are withheld and sensitive locations coarsened."))
active, step = briefing.sidebar(data)
timeline.take_selection(data)   # a drag on the timeline moves the slider: before the sidebar draws it
view = filters(data)
# What the map reported since the last run (a pan, a click) comes first, so that this run draws
# the map with the selection and view it leads to.
map_state.take_report(data)
if session.arrived_on_page():
    map_state.renew()
map_first = map_state.map_first()   # a browser's first run: the chart and the table follow the map
stepped = timeline.stepped()        # Back or Next: the table follows the map too (below the map)
table_later = map_first or (stepped and map_state.browser_connected())
in_filter = view.mask(data.incidents, data.coords)
shown = data.incidents[in_filter]
by_date = shown.sort_values("date_start")   # for the record picker and the table
unmapped = shown[shown.geometry.isna()]

# -- Header: one line of counts, so the map starts near the top --------------------------------
st.markdown("# " + _(DEFAULT_TITLE))
st.markdown(_("**{shown} of {total}** incidents in view · **{mapped}** on the map · **{unmapped}** located only at "
              "country level (listed below the map)").format(shown=number(len(shown)), total=number(len(data.incidents)),
                                                             mapped=number(len(shown) - len(unmapped)),
                                                             unmapped=number(len(unmapped))))
st.caption(_("Showing: {view}").format(view=md(view.describe(data.subject_names, DOC_LABELS))))

# -- Map and side panel ------------------------------------------------------------------------
# The base map (outlines, sites, legend) is built from the whole register at a fixed view, so it
# is the same on every run and stays drawn; the incidents in view travel as a feature group
# (geo.view.scale: markers, or counted cells when a large dataset is zoomed out), with the latest
# view request (ui.map_state), which moves the map once.
center, zoom = state.get("view") or (FAR_EAST_CENTER, FAR_EAST_ZOOM)
viewport = Viewport.from_leaflet(state.get("bounds"), zoom) or Viewport.around(center, zoom)
incident_plan = plan(data.incidents, viewport, mask=in_filter.to_numpy(), coords=data.coords)
chosen = state.get("selected")
highlight = tuple(step.highlight if step else ()) + ((chosen,) if chosen in shown.index else ())
routes, more_routes = None, 0
if state.get("show_routes"):   # the cases with a step among the markers drawn
    routes, more_routes = case_routes.routes(data.incidents, in_filter.to_numpy(),
                                             touching=set(incident_plan.markers.index))
route_by_case = {r.case: r for r in routes or ()}
drawn = map_data(data, shown, highlight=highlight, plan=incident_plan, with_counts=state.get("show_regions", False),
                 window=view.window(), routes=routes, selected_route=state.get("selected_route"), near=view.near_ring())
map_col, side_col = st.columns([2, 1])
with map_col:
    if shown.empty:
        st.info(_("No incident matches these filters. Widen the time window or select more types."))
    elif not incident_plan.cells.empty:
        st.caption(_("{n} incidents in view, counted in {cells} cells: zoom in (or click a cell) to see individual "
                     "markers.").format(n=number(incident_plan.in_view), cells=number(len(incident_plan.cells))))
    try:
        incidents_group = dynamic_group(drawn, with_regions=state.get("show_regions", False),
                                        view_request=state.get("view_request"))
        map_component.draw(map_component.prepared_base_map(), incidents_group, key="map", height=MAP_HEIGHT)
    except GeoError as exc:   # static/vendor missing, or text that must not reach the map
        st.error(_("The map cannot be drawn: {problem}").format(problem=exc))
    regions_col, routes_col = st.columns(2)
    regions_col.toggle(_("Colour regions by number of incidents"), key="show_regions")
    routes_col.toggle(_("Case routes"), key="show_routes",
                      help=_("The records of each case joined in date order, arrows pointing onwards; click a route "
                             "to list its steps."))
    if routes is not None and not routes:
        st.caption(_("No case has two or more places among the incidents drawn."))
    elif more_routes:
        st.caption(_("{drawn} routes are drawn and {more} more are not: zoom in or narrow the filters.").format(
            drawn=len(routes), more=more_routes))
    timeline.panel(data, view, chart=not map_first)

with side_col:
    if step:
        with st.container(border=True):
            st.markdown(f"**{md(active.title)}**  \n" + _("Step {n} of {total}").format(n=state['step'] + 1,
                                                                                     total=len(active.steps))
                        + f": **{md(step.heading)}**")
            st.markdown(md(step.text))
    if state.get("selected_route") in route_by_case:
        spatial.route_card(data, route_by_case[state["selected_route"]])
    if state.get("clicked_site") in data.site_places:
        spatial.site_card(data, view, state["clicked_site"])
    # Search and pick a record among those in view (the first PICKER_LIMIT by date on a large dataset).
    query = st.text_input(_("Search records in view"), key="record_search",
                          placeholder=_("Title, place, region, type, date or id — e.g. Kazan"))
    found = by_date[search.matches(shared.search_index().loc[by_date.index], query)] if query else by_date
    ids = found["id"].head(PICKER_LIMIT).tolist()
    if query:
        st.caption(ngettext("{n} record matches “{query}”.", "{n} records match “{query}”.", len(found)).format(
            n=number(len(found)), query=md(query)))
    if chosen in data.titles and chosen not in ids:
        ids.insert(0, chosen)
    # The language in the key: after a switch, the browser's copy of the picker holds a label of the
    # old language, which the new one cannot read back (it would become a record id).
    picker_key = f"record_picker_{current()}_{chosen}"
    st.selectbox(_("Record ({n} listed)").format(n=number(len(ids))), [None] + ids,
                 index=(ids.index(chosen) + 1) if chosen in ids else 0,
                 format_func=lambda i: _("Click a marker or choose a record…") if i is None else data.titles.get(i, i),
                 key=picker_key, on_change=map_state.select_from_widget, args=(picker_key, data, chosen))
    if chosen in data.incidents.index:
        if data.incidents.loc[chosen].geometry is None:
            st.caption(_("Located only at country level: listed, not drawn on the map."))
        elif chosen not in shown.index:
            st.caption(_("Outside the current filters, so not drawn on the map: widen them to see it there."))
        record_details(data, chosen, guard=shared.public_deployment() or active is not None)
        spatial.site_of_record(data, chosen)
    with st.expander(_("Legend"), expanded=chosen not in data.incidents.index and not step):
        st.html(legend_block(drawn))

# -- Below the map ----------------------------------------------------------------------------
st.markdown("## " + _("Records in view"))
if not unmapped.empty:
    st.markdown(ngettext("**{n} record is located only at country level** and is not drawn on the map.",
                         "**{n} records are located only at country level** and are not drawn on the map.",
                         len(unmapped)).format(n=number(len(unmapped))))
if state.get("playing"):   # the table follows when playback pauses: a step stays quick
    st.caption(_("The table of records is shown when playback pauses."))
    session.write_url(session.map_params(view, active))
    st.stop()
if len(shown) > TABLE_LIMIT:
    st.caption(_("The first {limit} of {n} records by date; export the view for all of them.").format(
        limit=number(TABLE_LIMIT), n=number(len(shown))))
if table_later:
    # The map first (a browser's first run, or a step with Back or Next: the step shows as quickly
    # as one while playing); the table in the next run, in the place kept for it.
    st.space(table_height(min(len(shown), TABLE_LIMIT)))
    map_state.follow_up(map_state.FOLLOW_UP_SECONDS if map_first else TABLE_AFTER_STEP)
else:
    records_table(by_date.head(TABLE_LIMIT), data.titles)

# -- Widgets -> URL ---------------------------------------------------------------------------
session.write_url(session.map_params(view, active))
