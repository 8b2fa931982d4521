"""The shape every site layer shares: a lettered square per site, popup with sources."""
from __future__ import annotations

from dataclasses import dataclass

import folium

from geo.language import _
from geo.outputs.details import site_html
from geo.outputs.html_text import esc
from layers.base import DataGeoJson, BIND_TOOLTIP_AND_POPUP, LegendEntry, MapData, square

# Sites are context: drawn in a pane below the incident markers (Leaflet's overlay pane is 400),
# so an incident at a court's own coordinates stays visible and clickable.
SITES_PANE = "sites"
SITES_PANE_Z = 390


def ensure_sites_pane(m: folium.Map) -> None:
    if not any(isinstance(c, folium.map.CustomPane) and c.name == SITES_PANE for c in m._children.values()):
        folium.map.CustomPane(SITES_PANE, z_index=SITES_PANE_Z).add_to(m)


@dataclass(frozen=True)
class SiteLayer:
    name: str       # the build's layer name: data/<name>.geojson
    title: str          # English, marked N_ where declared; shown in the interface's language
    colour: str
    letter: str
    show: bool = True

    def add_to(self, m: folium.Map, data: MapData) -> None:
        frame = data.sites.get(self.name)
        ensure_sites_pane(m)
        title = _(self.title)
        group = folium.FeatureGroup(name=title, show=self.show)
        if frame is not None and not frame.empty:
            # One GeoJson per layer (not a Marker element per site): far cheaper to render.
            drawn = frame[frame.geometry.notna()]
            features = [{   # rows as dicts: iterrows builds a Series per row, ten times slower
                "type": "Feature", "id": p["id"],
                "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
                "properties": {"id": p["id"], "tooltip_html": esc(f'{p["name"]} · {p["kind_label"]} [{p["id"]}]'),
                               "label_html": esc(f'{title}: {p["name"]} ({p["kind_label"]})'),
                               "popup_html": site_html(p)},  # the app has no site panel: always a popup
            } for p, x, y in zip(drawn.drop(columns="geometry").to_dict("records"), drawn.geometry.x, drawn.geometry.y)]
            icon = folium.DivIcon(html=square(self.colour, self.letter), icon_size=(16, 16), icon_anchor=(8, 8),
                                  class_name="site-icon")
            DataGeoJson({"type": "FeatureCollection", "features": features}, name=title,
                           marker=folium.Marker(icon=icon, pane=SITES_PANE), on_each_feature=BIND_TOOLTIP_AND_POPUP,
                           control=False).add_to(group)
        group.add_to(m)

    def legend(self, data: MapData) -> list[LegendEntry]:
        return [LegendEntry(_(self.title), square(self.colour, self.letter))]
