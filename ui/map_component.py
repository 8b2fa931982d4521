"""The map on both map pages: streamlit-folium's component, fed a base map turned into its script
once per base map instead of on every run.

st_folium(map, feature_group_to_add=group) renders the whole map twice on each call (branca then
compiles every element's output as a Jinja template again), so a run that only changes the
incidents paid for the unchanged base map: at 100,000 incidents ~25 % of a playback step's server
time, and a deep copy of the map before it. Here `prepare` does st_folium's work on the base map
once (cached with the base map), and `draw` renders only the incidents' feature group and hands
the component the same arguments st_folium would (a contract test compares them).

Imported only by the pages: importing streamlit_folium declares its component, which must happen
in a script run (the launcher's warm-up thread does not import this module).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import folium
import folium.elements
import streamlit as st
import streamlit_folium as component

from ui import data as shared

REPORTED = ("last_object_clicked_tooltip", "last_object_clicked_count", "center", "zoom", "bounds")


@dataclass(frozen=True)
class PreparedMap:
    """What st_folium sends for a base map: its script, header and HTML, and the files it loads."""
    script: str
    header: str
    html: str
    map_id: str
    css_links: list[str]
    js_links: list[str]
    bounds: list
    zoom: float | None


def prepare(base_map: folium.Map) -> PreparedMap:
    """st_folium's rendering of `base_map` (a copy of it: rendering renames its elements)."""
    m = copy.deepcopy(base_map)
    m.get_root().render()
    m.render()
    html, header = component._get_html(m), component._get_header(m)
    script = component._get_map_string(m)
    css, js = _links(m)
    try:
        bounds = m.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    return PreparedMap(script=script, header=header, html=html, map_id=component.get_full_id(m), css_links=css,
                       js_links=js, bounds=bounds, zoom=m.options.get("zoom"))


def _links(element, css: list[str] | None = None, js: list[str] | None = None) -> tuple[list[str], list[str]]:
    """The CSS and JS files `element` and what it holds need, after `css` and `js`, in st_folium's
    order, without repeats. (st_folium also puts d3 from a CDN first for a branca colour scale; the
    app's maps have none: geo.outputs.offline_assets refuses one.)"""
    css, js = list(css or []), list(js or [])

    def walk(el):
        if isinstance(el, folium.elements.JSCSSMixin):
            css.extend(href for _, href in el.default_css)
            js.extend(src for _, src in el.default_js)
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(element)
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


@st.cache_resource(show_spinner=False, max_entries=6)
def _prepared(key: tuple, public: bool, lang: str) -> PreparedMap:
    return prepare(shared.base_map_of(key, public, lang))


def prepared_base_map() -> PreparedMap:
    return _prepared(*shared.base_map_key())


def group_script(group: folium.FeatureGroup) -> str:
    """st_folium's script for a feature group added to the map (named map_div in the page)."""
    parent = folium.Map(tiles=None)
    parent._id = "div"   # what st_folium's renaming makes of the base map: map_div
    return component._get_feature_group_string(group, map=parent, idx=0)


def draw(prepared: PreparedMap, group: folium.FeatureGroup, key: str, height: int, reported=REPORTED):
    """The map with `group` on it, full width, `height` px high; st.session_state[key] holds what it
    reports (the same as st_folium(..., key=key, use_container_width=True, returned_objects=reported))."""
    hash_key = component.generate_js_hash(prepared.script, key, False)   # st_folium's key for its state (~1 ms)
    script = group_script(group)
    css, js = _links(group, prepared.css_links, prepared.js_links)   # st_folium walks the map with the group on it
    first = {"bounds": _bounds_dict(prepared.bounds), "zoom": prepared.zoom}
    defaults = {name: first.get(name) for name in _REPORT_ORDER if name in reported}

    def keep_report():
        st.session_state[key] = st.session_state.get(hash_key, {})

    return component._component_func(
        script=prepared.script, header=prepared.header, html=prepared.html, id=prepared.map_id, key=hash_key,
        height=height, width=None, returned_objects=list(reported), default=defaults, zoom=None, center=None,
        feature_group=script, return_on_hover=False, layer_control=None, pixelated=False,
        css_links=css, js_links=js, on_change=keep_report, wrap_longitude=False)


# st_folium's report, in its order (its defaults dict is built in this order)
_REPORT_ORDER = ("last_clicked", "last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
                 "last_object_clicked_popup", "all_drawings", "last_active_drawing", "bounds", "zoom",
                 "last_circle_radius", "last_circle_polygon", "selected_layers", "selected_tags",
                 "last_geocoder_result")


def _bounds_dict(bounds: list) -> dict:
    (south, west), (north, east) = bounds
    return {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}
