"""Assemble the folium map from the layer registry: layers, legend, layer control, offline assets."""
from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.outputs.details import POPUP_CSS
from geo.outputs.html_text import esc
from geo.outputs.offline_assets import localise
from geo.outputs.template_safety import LiteralHtml, check_inert
from layers import LAYERS
from geo.view.aggregate import counts_per_subject
from geo.view.dataset import BASEMAP_STATIC_DIR, Bundle
from geo.view.selection import MAX_ZOOM, MIN_ZOOM
from geo.paths import ROOT
from layers.base import MapData

MAP_JS = ("leaflet", "jquery")          # jquery: folium fetches served GeoJSON with $.ajax
MAP_CSS_FILES = ("leaflet_css",)
FAR_EAST_CENTER = (48.5, 133.0)
FAR_EAST_ZOOM = 4


class Legend(MacroElement):
    """A collapsible legend box (plain HTML/CSS, nothing to download). The body is escaped HTML
    (legend_html): a macro's output is rendered a second time as a template."""

    _template = Template("""
        {% macro html(this, kwargs) %}
        <details class="map-legend"{% if this.open %} open{% endif %}><summary>Legend</summary>{{ this.body }}</details>
        {% endmacro %}""")

    def __init__(self, body: str, open: bool = True):
        super().__init__()
        self._name = "Legend"
        self.open = open
        self.body = body


# In the app, these layers change with every filter and pan; st_folium swaps them in as one feature
# group without redrawing the map. The others make up the base map, which stays put.
DYNAMIC_LAYERS = ("incidents", "regions")
BASE_LAYERS = tuple(layer for layer in LAYERS if layer.name not in DYNAMIC_LAYERS)


def dynamic_group(data: MapData, with_regions: bool = False, asset_base_url: str = "/app/static/vendor"):
    """The incident markers/cells (and the regions choropleth when asked) as one feature group."""
    group = folium.FeatureGroup(name="Incidents", control=False)
    for layer in LAYERS:
        if layer.name == "incidents" or (with_regions and layer.name == "regions"):
            layer.add_to(group, data)
    for child in group._children.values():   # the regions layer is off by default on a full map
        if isinstance(child, folium.FeatureGroup):
            child.show = True
    check_inert(group)
    return localise(group, asset_base_url)


def legend_html(data: MapData, layers=LAYERS) -> str:
    """The legend's sections (incident types first) as HTML, for the map and for the app."""
    sections = [(layer.title, layer.legend(data)) for layer in layers if layer.name != "basemap"]
    sections.sort(key=lambda s: s[0] != "Incidents")
    parts = []
    for heading, entries in sections:
        if heading == "Incidents per region":
            heading += " (when switched on)"
        if entries:
            rows = "".join(f"<li>{e.swatch_html} {esc(e.label)}</li>" for e in entries)
            parts.append(f"<h6>{esc(heading)}</h6><ul>{rows}</ul>")
    return "".join(parts)


MAP_CSS = f"""
<style>
html body .leaflet-container {{ background: #dbe7ef; }}
.map-legend h6 {{ margin:6px 0 2px; font-size:11px; text-transform:uppercase; color:#555; }}
.map-legend ul {{ list-style:none; margin:0; padding:0; }}
.map-legend li {{ margin:2px 0; white-space:nowrap; }}
.map-legend {{ position:absolute; z-index:1000; right:10px; bottom:26px; background:rgba(255,255,255,.93);
  padding:5px 9px; border-radius:6px; box-shadow:0 1px 4px rgba(0,0,0,.3); font:11px/1.25 system-ui,sans-serif;
  max-height:70%; overflow:auto; max-width:250px; }}
.map-legend summary {{ font-weight:600; cursor:pointer; }}
.site-icon {{ background:none; border:none; }}
.incident-cell {{ display:flex; align-items:center; justify-content:center; border-radius:50%;
  background:rgba(0,114,178,.78); color:#fff; font:600 11px/1 system-ui,sans-serif; border:2px solid #fff;
  box-shadow:0 0 0 1px rgba(0,0,0,.25); }}
{POPUP_CSS}
</style>"""


def build_map(data: MapData, center=FAR_EAST_CENTER, zoom=FAR_EAST_ZOOM, layers=LAYERS,
              asset_base_url: str | None = "/app/static/vendor", legend_open: bool = True,
              fit_to_records: bool = False) -> folium.Map:
    """The map of `data`. With asset_base_url=None the assets are left for inline() to embed;
    fit_to_records frames the drawn incidents instead of the given centre and zoom."""
    m = folium.Map(location=center, zoom_start=zoom, tiles=None, min_zoom=MIN_ZOOM, maxZoom=MAX_ZOOM,
                   control_scale=True, prefer_canvas=False)
    # Our layers use plain Leaflet (circle markers, div icons, GeoJSON); folium's defaults would
    # also load Bootstrap, Font Awesome and awesome-markers (~1.5 MB) that nothing here draws with.
    m.default_js = [(name, url) for name, url in m.default_js if name in MAP_JS]
    m.default_css = [(name, url) for name, url in m.default_css if name in MAP_CSS_FILES]
    for layer in layers:
        layer.add_to(m, data)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    Legend(legend_html(data, layers), open=legend_open).add_to(m)
    drawn = data.incidents.geometry.dropna()
    if fit_to_records and len(drawn):
        west, south, east, north = drawn.total_bounds
        pad = 1.0 if len(drawn) > 1 else 3.0   # degrees around the records
        # leave room for the title bar above and the open legend on the right
        m.fit_bounds([[south - pad, west - pad], [north + pad, east + pad]], max_zoom=8,
                     padding_top_left=(10, 50), padding_bottom_right=(270, 10))
    m.get_root().header.add_child(LiteralHtml(MAP_CSS))
    check_inert(m)
    if asset_base_url is not None:
        localise(m, asset_base_url)
    return m


def map_data(bundle: Bundle, incidents, highlight: tuple[str, ...] = (), served_basemap: bool = False,
             popups: bool = False, plan=None, with_counts: bool = True) -> MapData:
    """The data for a map of the given (already filtered) incidents. With served_basemap the
    outlines are fetched from /app/static/basemap/ (written by `python -m geo basemap`) when there."""
    basemap_url = None
    if served_basemap and (ROOT / BASEMAP_STATIC_DIR / "subjects.geojson").exists():
        basemap_url = "/app/" + BASEMAP_STATIC_DIR
    return MapData(incidents=incidents, sites=bundle.sites, subjects=bundle.subjects, countries=bundle.countries,
                   subject_counts=counts_per_subject(incidents, bundle.subject_names) if with_counts else None,
                   titles=bundle.titles,
                   highlight=highlight, basemap_url=basemap_url, popups=popups, plan=plan,
                   outlines=bundle.outlines if bundle.outlines is not None else {})


def legend_block(data: MapData) -> str:
    """The legend as a self-styled HTML block for pages outside the map (the app's side panel)."""
    css = ("<style>.app-legend{font:13px/1.35 system-ui,sans-serif}.app-legend h6{margin:8px 0 3px;font-size:11px;"
           "text-transform:uppercase;color:#555}.app-legend ul{list-style:none;margin:0;padding:0}"
           ".app-legend li{margin:3px 0}</style>")
    return f'{css}<div class="app-legend">{legend_html(data)}</div>'
