"""Incidents per federal subject (choropleth), following the filters. Off by default."""
from __future__ import annotations

import folium

from geo.language import N_, _, ngettext
from geo.outputs.html_text import esc
from layers.base import LegendEntry, MapData

# Sequential, colour-blind safe (ColorBrewer YlOrBr); upper bounds of each class.
BINS = [(1, "#fee391"), (4, "#fec44f"), (9, "#fe9929"), (19, "#d95f0e"), (float("inf"), "#993404")]


def colour_for(count: int) -> str | None:
    if count <= 0:
        return None
    return next(colour for upper, colour in BINS if count <= upper)


class Regions:
    name = "regions"
    title = N_("Incidents per region")
    show = False

    def add_to(self, m: folium.Map, data: MapData) -> None:
        counts = dict(zip(data.subject_counts["code"], data.subject_counts["incidents"]))
        frame = data.subjects[data.subjects["code"].isin(counts)][["code", "name", "geometry"]].copy()
        frame["incidents"] = frame["code"].map(counts).astype(int)
        frame["label"] = [esc(f"{n}: " + ngettext("{n} incident", "{n} incidents", c).format(n=c))
                          for n, c in zip(frame["name"], frame["incidents"])]
        group = folium.FeatureGroup(name=_(self.title), show=self.show)
        if not frame.empty:
            folium.GeoJson(
                frame.__geo_interface__,
                style_function=lambda f: {"fillColor": colour_for(f["properties"]["incidents"]), "fillOpacity": 0.7,
                                          "color": "#7a5a2a", "weight": 0.8},
                tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
            ).add_to(group)
        group.add_to(m)

    def legend(self, data: MapData) -> list[LegendEntry]:
        entries, lower = [], 1
        for upper, colour in BINS:
            label = f"{lower}+" if upper == float("inf") else (f"{lower}" if upper == lower else f"{lower}–{int(upper)}")
            entries.append(LegendEntry(ngettext("{range} incident", "{range} incidents", 1 if label == "1" else 5).format(range=label),
                                       f'<span style="display:inline-block;width:14px;height:10px;background:{colour}"></span>'))
            lower = int(upper) + 1 if upper != float("inf") else lower
        return entries


LAYER = Regions()
