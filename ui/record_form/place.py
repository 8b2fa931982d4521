"""The form's place: search the gazetteer of all Russia, see the candidates on a small map, choose
one — or click the map for a researched point (which then needs a note on where its coordinate
comes from) — and the precision, never finer than the place."""
from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.errors import GeoError
from geo.evidence.editing import HELP
from geo.evidence.vocabulary import LOCATION_PRECISIONS
from geo.outputs.html_text import markdown_literal as md
from geo.outputs.place_map import place_map
from geo.places.choice import POINT_PRECISIONS, allowed_precisions
from geo.places.place_index import PlaceIndex
from geo.places.search import locate_point, search_places
from ui.record_form.state import KEPT, POINT, form, read_choice
from geo.language import _


@st.cache_resource(show_spinner=False)
def _cached_index() -> PlaceIndex:
    return PlaceIndex.load()


def _index() -> PlaceIndex:
    with st.spinner(_("Loading the gazetteer of all Russia…")):
        return _cached_index()


def describe(place: dict, subject_names: dict[str, str]) -> str:
    """“Khabarovsk — settlement, Khabarovsk Krai (geonames:2022890)”."""
    if place.get("gazetteer_id") == KEPT:
        where = subject_names.get(place.get("subject"), place.get("country") or "")
        return _("{name} — {precision}, {region} (the record's place now)").format(
            name=place['name'], precision=LOCATION_PRECISIONS[place['precision']], region=where)
    where = subject_names.get(place.get("subject")) or place.get("country") or ""
    source = place.get("gazetteer_id") or ""
    kind = LOCATION_PRECISIONS.get(place.get("precision"), place.get("precision") or "")
    return f"{place.get('name')} — {kind}{', ' + where if where else ''} ({source})"


def _take_click(info: dict) -> None:
    """A click on the small map (reported on the next run): on a listed place's dot, that place is
    chosen; anywhere else, a researched point there."""
    returned = st.session_state.get("placemap") or {}
    clicked = returned.get("last_clicked")
    if not clicked:
        return
    point = (round(clicked["lat"], 5), round(clicked["lng"], 5))
    if point == info.get("clicked"):
        return
    info["clicked"] = point
    dot = returned.get("last_object_clicked") or {}
    if dot and abs(dot.get("lat", 0) - clicked["lat"]) < 1e-6 and abs(dot.get("lng", 0) - clicked["lng"]) < 1e-6:
        listed = sorted((abs(p["lat"] - dot["lat"]) + abs(p["lon"] - dot["lng"]), k)
                        for k, p in info["options"].items() if p.get("lat") is not None)
        if listed and listed[0][0] < 1.0:      # the click was on this dot (within its radius at any zoom shown)
            st.session_state["rf_place_pick"] = listed[0][1]
            st.session_state["rf_precision"] = None
            return
    located = locate_point(*point)
    info.update(point=point, point_subject=located.subject, point_country=located.country)
    st.session_state["rf_place_pick"] = POINT
    st.session_state["rf_precision"] = None


def place_fields(data, errors: dict) -> None:
    info = form()
    _take_click(info)
    st.text_input(_("Place as written in the source"), key="rf_place_as_written", help=HELP["place"])
    query = st.text_input(_("Search the gazetteer"), key="rf_place_q", placeholder=_("Хабаровск, Habarovsk, khabar…"),
                          help=_("Latin or Cyrillic, any case ending; the first letters are enough."))
    for place in search_places(query, _index()) if query else []:
        info["options"].setdefault(place.id, {**place.as_dict(), "curated": place.curated})
    options = list(info["options"])
    if info.get("point"):
        options.append(POINT)
    labels = {key: describe(info["options"][key], data.subject_names) for key in info["options"]}
    if info.get("point"):
        lat, lon = info["point"]
        where = data.subject_names.get(info.get("point_subject")) or info.get("point_country") or _("outside the map's outlines")
        labels[POINT] = _("Researched point at {lat}, {lon} ({region})").format(lat=f"{lat:.5f}", lon=f"{lon:.5f}", region=where)
    if st.session_state.get("rf_place_pick") not in options:
        st.session_state["rf_place_pick"] = None
    if options:
        st.radio(_("Place"), options, key="rf_place_pick", format_func=lambda k: labels.get(k, k), index=None,
                 help=_("The proposal's reading first, then its alternatives and your search results."))
    else:
        st.caption(_("No place yet: search the gazetteer, or click the map below for a researched point."))
    _small_map(data, info, labels)
    if st.session_state.get("rf_place_pick") == POINT:
        st.text_input(_("Name of the point"), key="rf_point_name", placeholder=_("e.g. Tynda logging camp No. 3"))
        st.radio(_("The point is"), POINT_PRECISIONS, key="rf_point_precision", horizontal=True,
                 format_func=LOCATION_PRECISIONS.get)
        st.text_input(_("Where the coordinate comes from (required)"), key="rf_point_note",
                      placeholder=_("e.g. satellite image, Google Earth 2023-05; the report's map on p. 4"),
                      help=_("A researched point without its source would be an invented coordinate."))
    allowed = allowed_precisions(read_choice())
    if st.session_state.get("rf_precision") not in allowed:
        st.session_state["rf_precision"] = allowed[0] if allowed else None
    st.selectbox(_("Location precision"), allowed, key="rf_precision", format_func=LOCATION_PRECISIONS.get,
                 help=HELP["precision"], placeholder=_("choose a place first"))
    for message in errors.get("place", []):
        st.error(_("Place: {problem}").format(problem=message))


def _small_map(data, info: dict, labels: dict) -> None:
    pick = st.session_state.get("rf_place_pick")
    shown = [(labels[k], info["options"][k]) for k in info["options"]]
    try:
        small = place_map(data, shown, pick, info.get("point"))
    except GeoError as exc:
        st.caption(_("The map cannot be drawn: {problem}").format(problem=md(str(exc))))
        return
    st_folium(small, key="placemap", height=300, use_container_width=True,
              returned_objects=["last_clicked", "last_object_clicked"])
    st.caption(_("The dots are the places listed above (hover for the name; the chosen one is orange). Click the "
               "map to set a researched point instead (purple)."))
