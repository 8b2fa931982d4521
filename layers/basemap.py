"""The offline basemap: country and federal-subject outlines (Natural Earth) on a sea colour.
An OpenStreetMap base layer is offered for users with a network; it loads nothing until chosen."""
from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.language import N_, _
from layers.base import LegendEntry, MapData

SEA = "#dbe7ef"
# Outlines sit in their own pane just above tiles, below site symbols (390) and incidents (400+).
BASEMAP_PANE = "basemap"
ATTRIBUTION = N_("Outlines: Natural Earth (public domain) · Places: GeoNames (CC BY 4.0)")
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


COUNTRY_STYLES = {"RU": {"fillColor": "#fbfaf6", "fillOpacity": 1, "color": "#8a8a8a", "weight": 1.2},
                  "default": {"fillColor": "#eeebe3", "fillOpacity": 1, "color": "#8a8a8a", "weight": 1.2}}
SUBJECT_STYLE = {"fill": False, "color": "#b9b4a7", "weight": 0.7}


class ServedOutlines(MacroElement):
    """Outlines the browser fetches from a file the app serves (fetched once, then cached), in the
    background: the map and its markers are drawn without waiting for them, and no library is
    needed to fetch (folium's own GeoJson would load jQuery and fetch with a synchronous request,
    blocking the page for both files in turn). Styled by each outline's code; the template is
    constant and its values are JSON."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (group) {
            var styles = {{ this.styles_json }};
            var layer = L.geoJson(null, {pane: {{ this.pane_json }}, interactive: false, style: function (f) {
                return styles[f.properties.code] || styles["default"]; }});
            layer.addTo(group);
            fetch({{ this.url_json }}).then(function (r) { return r.json(); })
                .then(function (data) { layer.addData(data); });
        })({{ this._parent.get_name() }});
        {% endmacro %}""")

    def __init__(self, url: str, styles: dict, pane: str):
        super().__init__()
        self._name = "ServedOutlines"
        self.url_json = json.dumps(url)
        self.styles_json = json.dumps(styles)
        self.pane_json = json.dumps(pane)


class Basemap:
    name = "basemap"
    title = N_("Offline outlines")
    show = True

    def add_to(self, m: folium.Map, data: MapData) -> None:
        folium.map.CustomPane(BASEMAP_PANE, z_index=250, pointer_events=False).add_to(m)
        group = folium.FeatureGroup(name=_(self.title), overlay=False, control=True, show=True,
                                    attr=_(ATTRIBUTION))
        if data.basemap_url:   # the app: fetched by the browser, once
            ServedOutlines(f"{data.basemap_url}/countries.geojson", COUNTRY_STYLES, BASEMAP_PANE).add_to(group)
            ServedOutlines(f"{data.basemap_url}/subjects.geojson", {"default": SUBJECT_STYLE}, BASEMAP_PANE).add_to(group)
        else:                  # a standalone file: embedded
            folium.GeoJson(
                data.outline("countries"), name="countries", interactive=False, pane=BASEMAP_PANE,
                style_function=lambda f: COUNTRY_STYLES.get(f["properties"]["code"], COUNTRY_STYLES["default"]),
            ).add_to(group)
            folium.GeoJson(data.outline("subjects"), name="federal subjects", interactive=False, pane=BASEMAP_PANE,
                           style_function=lambda f: SUBJECT_STYLE).add_to(group)
        group.add_to(m)
        # The tile URL itself, not the provider's name: looking a name up flattens xyzservices'
        # whole catalogue (~60 ms on every map).
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name=_("OpenStreetMap (needs internet)"), overlay=False,
                         control=True, show=False, max_zoom=18).add_to(m)

    def legend(self, data: MapData) -> list[LegendEntry]:
        return []


def outline_collection(frame) -> dict:
    """Outlines as a GeoJSON dict with only code and name (what the styles and files need)."""
    return frame[["code", "name", "geometry"]].__geo_interface__


LAYER = Basemap()
