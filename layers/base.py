"""What every map layer declares, and the data a map is drawn from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import folium
import geopandas
import pandas as pd
from folium.utilities import JsCode

# Bind each feature's own tooltip (and popup, when there is one) to its marker. Both strings are
# escaped HTML made in Python. A tooltip bound to the marker itself is what st_folium reports on
# click, even inside a marker cluster.
BIND_TOOLTIP_AND_POPUP = JsCode("""function(feature, layer) {
    layer.bindTooltip(feature.properties.tooltip_html, {sticky: true});
    if (feature.properties.popup_html) { layer.bindPopup(feature.properties.popup_html, {maxWidth: 440}); }
}""")


@dataclass(frozen=True)
class LegendEntry:
    label: str
    swatch_html: str   # a small inline-styled element; no external assets


@dataclass
class MapData:
    """Everything the layers draw: already filtered, so layers never filter."""
    incidents: geopandas.GeoDataFrame
    sites: dict[str, geopandas.GeoDataFrame]
    subjects: geopandas.GeoDataFrame      # display outlines (geo.view.dataset.display_outlines)
    countries: geopandas.GeoDataFrame
    subject_counts: pd.DataFrame | None   # None when nothing draws counts (saves a pass on big data)
    titles: dict[str, str] = field(default_factory=dict)   # record id -> title, for related links
    highlight: tuple[str, ...] = ()
    # Where the browser can fetch the basemap outlines (the app serves them statically, so they
    # are not re-sent on every filter change); None embeds them (standalone exports).
    basemap_url: str | None = None
    popups: bool = False   # the app shows details beside the map; standalone exports need popups
    plan: object = None    # geo.view.scale.Plan: which records to draw one by one, which to count in cells
    outlines: dict = field(default_factory=dict)   # "countries"/"subjects" -> GeoJSON dict, made once

    def outline(self, name: str) -> dict:
        if name not in self.outlines:
            frame = self.countries if name == "countries" else self.subjects
            self.outlines[name] = frame[["code", "name", "geometry"]].__geo_interface__
        return self.outlines[name]


class MapLayer(Protocol):
    name: str
    title: str
    show: bool

    def add_to(self, m: folium.Map, data: MapData) -> None: ...

    def legend(self, data: MapData) -> list[LegendEntry]: ...


def dot(colour: str, size: int = 12, ring: str | None = None, dashed: bool = False) -> str:
    border = f"2px {'dashed' if dashed else 'solid'} {ring or '#333'}"
    return (f'<span style="display:inline-block;width:{size}px;height:{size}px;border-radius:50%;'
            f'background:{colour};border:{border};vertical-align:middle"></span>')


def square(colour: str, letter: str) -> str:
    return (f'<span style="display:inline-block;width:16px;height:16px;line-height:16px;border-radius:3px;'
            f'background:{colour};color:#fff;font:bold 11px system-ui,sans-serif;text-align:center;'
            f'vertical-align:middle">{letter}</span>')
