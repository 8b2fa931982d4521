"""What every map layer declares, and the data a map is drawn from."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

import folium
import geopandas
import pandas as pd
from folium.utilities import JsCode

from geo.outputs.template_safety import RenderedOnce

# Tooltips wrap long titles and stay inside the map (geo.outputs.mapview keeps them in view):
# "auto" opens them towards the side of the map with more room; sticky ones follow the pointer.
TOOLTIP_OPTIONS = {"sticky": True, "direction": "auto", "className": "map-tip", "opacity": 1}

# The text of escaped HTML (geo.outputs.html_text.esc), for attributes such as aria-label: a
# textarea's content is only ever text, so this decodes entities and runs nothing.
TEXT_OF_HTML = "(function (html) { var t = document.createElement('textarea'); t.innerHTML = html; return t.value; })"

# Bind each feature's own tooltip (and popup, when there is one) to its marker, and label the
# marker for screen readers. All three are escaped HTML made in Python (every text reaching folium
# is: geo.outputs.template_safety); the label is decoded back to text for its attribute. A
# tooltip bound to the marker itself is what st_folium reports on click, even inside a cluster.
BIND_TOOLTIP_AND_POPUP = JsCode("""function(feature, layer) {
    layer.bindTooltip(feature.properties.tooltip_html, %s);
    if (feature.properties.popup_html) { layer.bindPopup(feature.properties.popup_html, {maxWidth: 440}); }
    if (feature.properties.label_html) {
        layer.on('add', function () { var el = layer.getElement && layer.getElement();
            if (el) { el.setAttribute('aria-label', %s(feature.properties.label_html)); } });
    }
}""" % (json.dumps(TOOLTIP_OPTIONS), TEXT_OF_HTML))


class DataGeoJson(folium.GeoJson, RenderedOnce):
    """folium.GeoJson whose script (the layer's data, often hundreds of kB) is put into the page
    as data, not compiled again as a template (geo.outputs.template_safety.RenderedOnce)."""


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
    # The time window in force ((start, end) timestamps, either None for an open end), or None:
    # a record dated more broadly than the window is drawn hollow (it may or may not fall in it).
    window: tuple | None = None
    routes: list | None = None     # geo.view.routes.Route: case routes to draw (None: the layer is off)
    selected_route: str | None = None
    # Descriptions of killings, deaths and ill-treatment behind a "show description" click in
    # popups (public releases and briefings; geo.outputs.details.incident_html).
    guard_descriptions: bool = False
    # The distance filter in force: (lat, lon, km, site name) of its site, drawn as a dashed ring.
    near: tuple | None = None

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


def square(colour: str, letter: str) -> str:
    return (f'<span style="display:inline-block;width:16px;height:16px;line-height:16px;border-radius:3px;'
            f'background:{colour};color:#fff;font:bold 11px system-ui,sans-serif;text-align:center;'
            f'vertical-align:middle">{letter}</span>')
