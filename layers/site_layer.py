"""The shape every site layer shares: a lettered square per site, popup with sources."""
from __future__ import annotations

from dataclasses import dataclass

import folium

from geo.details import site_html
from geo.html_text import esc
from layers.base import LegendEntry, MapData, square

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
    title: str
    colour: str
    letter: str
    show: bool = True

    def add_to(self, m: folium.Map, data: MapData) -> None:
        frame = data.sites.get(self.name)
        ensure_sites_pane(m)
        group = folium.FeatureGroup(name=f"{self.title}", show=self.show)
        if frame is not None and not frame.empty:
            for _, p in frame[frame.geometry.notna()].iterrows():
                folium.Marker(
                    location=(p.geometry.y, p.geometry.x),
                    icon=folium.DivIcon(html=square(self.colour, self.letter), icon_size=(16, 16),
                                        icon_anchor=(8, 8), class_name="site-icon"),
                    pane=SITES_PANE,
                    tooltip=folium.Tooltip(esc(f'{p["name"]} · {p["kind_label"]} [{p["id"]}]')),
                    popup=folium.Popup(site_html(p), max_width=440, lazy=True),
                ).add_to(group)
        group.add_to(m)

    def legend(self, data: MapData) -> list[LegendEntry]:
        return [LegendEntry(self.title, square(self.colour, self.letter))]
