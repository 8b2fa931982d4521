"""The offline basemap: country and federal-subject outlines (Natural Earth) on a sea colour.
An OpenStreetMap base layer is offered for users with a network; it loads nothing until chosen."""
from __future__ import annotations

import folium

from layers.base import LegendEntry, MapData

SEA = "#dbe7ef"
# Outlines sit in their own pane just above tiles, below site symbols (390) and incidents (400+).
BASEMAP_PANE = "basemap"
ATTRIBUTION = "Outlines: Natural Earth (public domain) · Places: GeoNames (CC BY 4.0)"


class Basemap:
    name = "basemap"
    title = "Offline outlines"
    show = True

    def add_to(self, m: folium.Map, data: MapData) -> None:
        folium.map.CustomPane(BASEMAP_PANE, z_index=250, pointer_events=False).add_to(m)
        group = folium.FeatureGroup(name=self.title, overlay=False, control=True, show=True,
                                    attr=ATTRIBUTION)
        countries = folium.GeoJson(
            data.outline("countries"), name="countries", interactive=False, pane=BASEMAP_PANE,
            style_function=lambda f: {"fillColor": "#fbfaf6" if f["properties"]["code"] == "RU" else "#eeebe3",
                                      "fillOpacity": 1, "color": "#8a8a8a", "weight": 1.2},
        ).add_to(group)
        subjects = folium.GeoJson(
            data.outline("subjects"), name="federal subjects", interactive=False, pane=BASEMAP_PANE,
            style_function=lambda f: {"fill": False, "color": "#b9b4a7", "weight": 0.7},
        ).add_to(group)
        if data.basemap_url:
            for layer, name in ((countries, "countries"), (subjects, "subjects")):
                layer.embed, layer.embed_link = False, f"{data.basemap_url}/{name}.geojson"
        group.add_to(m)
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (needs internet)", overlay=False,
                         control=True, show=False, max_zoom=18).add_to(m)

    def legend(self, data: MapData) -> list[LegendEntry]:
        return []


def outline_collection(frame) -> dict:
    """Outlines as a GeoJSON dict with only code and name (what the styles and files need)."""
    return frame[["code", "name", "geometry"]].__geo_interface__


LAYER = Basemap()
