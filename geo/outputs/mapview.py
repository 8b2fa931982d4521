"""Assemble the folium map from the layer registry: layers, legend, layer control, offline assets."""
from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.language import _, ngettext
from geo.outputs.description_guard import DescriptionMemory
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
from layers.cluster_icon import CLUSTER_CSS

MAP_JS = ("leaflet",)   # folium's jQuery is only for its served GeoJSON, which layers.basemap fetches itself
MAP_CSS_FILES = ("leaflet_css",)
FAR_EAST_CENTER = (48.5, 133.0)
FAR_EAST_ZOOM = 4
ZOOM_SNAP = 0.5   # fitting all of Russia into a narrow map needs the half step between 2 and 3


class Legend(MacroElement):
    """A collapsible legend box (plain HTML/CSS, nothing to download). The body is escaped HTML
    (legend_html): a macro's output is rendered a second time as a template."""

    _template = Template("""
        {% macro html(this, kwargs) %}
        <details class="map-legend"{% if this.open %} open{% endif %}><summary>{{ this.summary }}</summary>{{ this.body }}</details>
        {% endmacro %}""")

    def __init__(self, body: str, open: bool = True):
        super().__init__()
        self._name = "Legend"
        self.open = open
        self.body = body
        self.summary = esc(_("Legend"))


class MapBehaviour(MacroElement):
    """What every map does beyond folium: Enter or Space on a focused marker acts as a click
    (Leaflet 1.9 only opens a popup on Enter, and clusters ignore keys); tooltips are kept
    inside the map instead of being cut at its edge; and when incidents lie outside the view, a
    line says how many, with a button that frames them all. Constant script; its words (the
    interface's language) come as JSON."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            map.getContainer().addEventListener('keydown', function (e) {
                var el = e.target;
                if ((e.key === 'Enter' || e.key === ' ') && el.classList && el.classList.contains('leaflet-marker-icon')) {
                    e.preventDefault();   // no keypress: Leaflet would toggle the popup a second time
                    window.__keyboardRecord = el.getAttribute('data-record');
                    el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
                }
            });
            if (!L.Tooltip.prototype._keptInMap) {
                var place = L.Tooltip.prototype._setPosition;
                L.Tooltip.prototype._setPosition = function (pos) {
                    place.call(this, pos);
                    var m = this._map, el = this._container;
                    if (!m || !el) { return; }
                    // on screen, margins (the pointer side of a tooltip) included
                    var box = el.getBoundingClientRect(), frame = m.getContainer().getBoundingClientRect();
                    var gap = 4, dx = 0, dy = 0;
                    if (box.right > frame.right - gap) { dx = frame.right - gap - box.right; }
                    if (box.left + dx < frame.left + gap) { dx = frame.left + gap - box.left; }
                    if (box.bottom > frame.bottom - gap) { dy = frame.bottom - gap - box.bottom; }
                    if (box.top + dy < frame.top + gap) { dy = frame.top + gap - box.top; }
                    if (dx || dy) { L.DomUtil.setPosition(el, L.DomUtil.getPosition(el).add([Math.round(dx), Math.round(dy)])); }
                };
                L.Tooltip.prototype._keptInMap = true;
            }
            var words = {{ this.words|tojson }};
            var hint = L.control({position: 'bottomleft'}), box, text, button, everything = null, timer = null;
            hint.onAdd = function () {
                box = L.DomUtil.create('div', 'offscreen-hint');
                box.setAttribute('role', 'status');
                text = L.DomUtil.create('span', '', box);
                button = L.DomUtil.create('button', '', box);
                button.type = 'button';
                button.textContent = words.show_all;
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.on(button, 'click', function () {
                    if (everything) { map.fitBounds(everything, {padding: [28, 28], maxZoom: 9}); }
                });
                box.style.display = 'none';
                return box;
            };
            hint.addTo(map);
            function count() {
                var view = map.getBounds(), total = 0, outside = 0;
                everything = null;
                map.eachLayer(function (group) {
                    if (!group.getVisibleParent) { return; }
                    group.eachLayer(function (marker) {
                        if (!marker.feature || marker.feature.properties.layer !== 'incidents') { return; }
                        var at = marker.getLatLng();
                        total += 1;
                        if (!view.contains(at)) { outside += 1; }
                        everything = everything ? everything.extend(at) : L.latLngBounds(at, at);
                    });
                });
                text.textContent = (outside === 1 ? words.one : words.other)
                    .replace('{outside}', outside).replace('{total}', total);
                box.style.display = outside ? '' : 'none';
            }
            map.on('moveend layeradd layerremove', function () { clearTimeout(timer); timer = setTimeout(count, 150); });
        })({{ this._parent.get_name() }});
        {% endmacro %}""")

    def __init__(self):
        super().__init__()
        self._name = "MapBehaviour"
        self.words = {
            "show_all": _("Show all"),
            "one": ngettext("{outside} of {total} mapped incidents is outside this view",
                            "{outside} of {total} mapped incidents are outside this view", 1),
            "other": ngettext("{outside} of {total} mapped incidents is outside this view",
                              "{outside} of {total} mapped incidents are outside this view", 2),
        }


class ViewRequest(MacroElement):
    """Move the app's map once per request (a briefing step, a selected record, "show all").

    st_folium re-runs the incidents' script whenever they change (a filter, a highlight), and its
    own `center`/`zoom` arguments only apply when they differ from the values last passed, so
    they miss a request that repeats an earlier view after the user panned (streamlit-folium
    #154). The request number tells a new request from one already carried out; a freshly loaded
    map carries out the latest one. `focus` names records to bring into view (opening their
    cluster). `request` holds numbers and record ids only."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        setTimeout(function (request) {
            var map = window.map;
            if (!map || window.__viewRequest === request.seq) { return; }
            window.__viewRequest = request.seq;
            if (request.bounds) {
                map.fitBounds(request.bounds, {maxZoom: request.max_zoom, padding: [28, 28], animate: false});
            } else if (request.center) {
                map.setView(request.center, request.zoom, {animate: false});
            }
            var wanted = [].concat(request.focus || []), found = [];
            if (!wanted.length) { return; }
            map.eachLayer(function (group) {
                if (!group.getVisibleParent) { return; }
                group.eachLayer(function (marker) {
                    if (marker.feature && wanted.indexOf(marker.feature.id) >= 0) { found.push([group, marker]); }
                });
            });
            if (request.inside && found.length) {
                map.panInside(found[0][1].getLatLng(), {padding: [60, 60], animate: false});
            }
            // Once the clusters of the new view are made: if the records to show that are
            // clustered sit in one cluster, open it (markercluster opens one at a time).
            setTimeout(function () {
                var clusters = found.map(function (f) { return f[0].getVisibleParent(f[1]); })
                    .filter(function (p) { return p && p.spiderfy; });
                var first = clusters[0];
                if (first && clusters.every(function (p) { return p === first; })) { first.spiderfy(); }
            }, 450);
        }, 0, {{ this.request_json }});
        {% endmacro %}""")

    def __init__(self, request: dict):
        super().__init__()
        self._name = "ViewRequest"
        self.request_json = json.dumps(request).replace("<", "\\u003c")


# In the app, these layers change with every filter and pan; st_folium swaps them in as one feature
# group without redrawing the map. The others make up the base map, which stays put.
DYNAMIC_LAYERS = ("incidents", "regions", "routes")
BASE_LAYERS = tuple(layer for layer in LAYERS if layer.name not in DYNAMIC_LAYERS)


def dynamic_group(data: MapData, with_regions: bool = False, asset_base_url: str = "/app/static/vendor",
                  view_request: dict | None = None):
    """The incident markers/cells (and the regions choropleth when asked) as one feature group,
    with the latest view request (ViewRequest) when there is one."""
    group = folium.FeatureGroup(name="Incidents", control=False)
    for layer in LAYERS:
        if layer.name == "incidents" or (with_regions and layer.name == "regions") or \
                (data.routes and layer.name == "routes"):
            layer.add_to(group, data)
    for child in group._children.values():   # the regions layer is off by default on a full map
        if isinstance(child, folium.FeatureGroup):
            child.show = True
    near_ring(data, group)
    if view_request:
        ViewRequest(view_request).add_to(group)
    check_inert(group)
    return localise(group, asset_base_url)


def near_ring(data: MapData, target) -> None:
    """The distance filter's reach: a dashed circle of its radius round its site (Leaflet draws
    the radius in metres at the site's latitude), not clickable."""
    if data.near is None:
        return
    from layers.incidents import NEAR_COLOUR
    lat, lon, km, _ = data.near
    folium.Circle((lat, lon), radius=km * 1000, color=NEAR_COLOUR, weight=2, dash_array="6 5", fill=True,
                  fill_opacity=0.04, interactive=False).add_to(target)


def legend_html(data: MapData, layers=LAYERS, heading_tag: str = "h6") -> str:
    """The legend's sections (incident types first) as HTML, for the map and for the app."""
    shown = sorted((layer for layer in layers if layer.name != "basemap"), key=lambda layer: layer.name != "incidents")
    parts = []
    for layer in shown:
        entries = layer.legend(data)
        heading = _("Incidents per region (when switched on)") if layer.name == "regions" else _(layer.title)
        if entries:
            rows = "".join(f"<li>{e.swatch_html} {esc(e.label)}</li>" for e in entries)
            parts.append(f"<{heading_tag}>{esc(heading)}</{heading_tag}><ul>{rows}</ul>")
    return "".join(parts)


MAP_CSS = f"""
<style>
html body .leaflet-container {{ background: #dbe7ef; }}
.map-legend h6 {{ margin:6px 0 2px; font-size:11px; text-transform:uppercase; color:#555; }}
.map-legend ul {{ list-style:none; margin:0; padding:0; }}
.map-legend li {{ margin:2px 0; display:flex; align-items:center; gap:4px; }}
.map-legend {{ position:absolute; z-index:1000; right:10px; bottom:26px; background:rgba(255,255,255,.93);
  padding:5px 9px; border-radius:6px; box-shadow:0 1px 4px rgba(0,0,0,.3); font:11px/1.25 system-ui,sans-serif;
  max-height:70%; overflow:auto; max-width:250px; }}
.map-legend summary {{ font-weight:600; cursor:pointer; }}
.site-icon, .incident-marker {{ background:none; border:none; }}
.incident-marker:focus-visible, .site-icon:focus-visible, .marker-cluster:focus-visible {{ outline:3px solid #111;
  outline-offset:2px; border-radius:50%; }}
.marker-cluster-small div, .marker-cluster-medium div, .marker-cluster-large div {{ color:#111; }}
.marker-cluster.cluster-highlighted {{ box-shadow:0 0 0 3px #111; border-radius:50%; }}
.visually-hidden {{ position:absolute !important; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0);
  white-space:nowrap; }}
.offscreen-hint {{ background:rgba(255,255,255,.95); color:#111; padding:4px 8px; border-radius:6px;
  box-shadow:0 1px 4px rgba(0,0,0,.3); font:12px/1.4 system-ui,sans-serif; }}
.offscreen-hint button {{ margin-left:6px; font:inherit; font-weight:600; padding:1px 8px; border:1px solid #555;
  border-radius:4px; background:#fff; color:#111; cursor:pointer; }}
.leaflet-tooltip.map-tip {{ white-space:normal; width:max-content; max-width:280px; font:12px/1.35 system-ui,sans-serif;
  color:#111; }}
.incident-cell {{ display:flex; align-items:center; justify-content:center; border-radius:50%;
  background:rgba(0,114,178,.78); color:#fff; font:600 11px/1 system-ui,sans-serif; border:2px solid #fff;
  box-shadow:0 0 0 1px rgba(0,0,0,.25); }}
.route-arrow {{ background:none; border:none; }}
.map-key {{ display:none; }}
.record .route-steps {{ padding-left:20px; margin:4px 0; }}
.record .route-step-off {{ color:#555; }}
{CLUSTER_CSS}
{POPUP_CSS}
</style>"""


def build_map(data: MapData, center=FAR_EAST_CENTER, zoom=FAR_EAST_ZOOM, layers=LAYERS,
              asset_base_url: str | None = "/app/static/vendor", legend_open: bool = True,
              fit_to_records: bool = False) -> folium.Map:
    """The map of `data`. With asset_base_url=None the assets are left for inline() to embed;
    fit_to_records frames the drawn incidents instead of the given centre and zoom."""
    m = folium.Map(location=center, zoom_start=zoom, tiles=None, min_zoom=MIN_ZOOM, maxZoom=MAX_ZOOM,
                   control_scale=True, prefer_canvas=False, zoom_snap=ZOOM_SNAP)
    # Our layers use plain Leaflet (circle markers, div icons, GeoJSON); folium's defaults would
    # also load Bootstrap, Font Awesome and awesome-markers (~1.5 MB) that nothing here draws with.
    m.default_js = [(name, url) for name, url in m.default_js if name in MAP_JS]
    m.default_css = [(name, url) for name, url in m.default_css if name in MAP_CSS_FILES]
    for layer in layers:
        layer.add_to(m, data)
    near_ring(data, m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    MapBehaviour().add_to(m)
    if data.guard_descriptions:
        DescriptionMemory().add_to(m)
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
             popups: bool = False, plan=None, with_counts: bool = True, window=None, routes=None,
             selected_route: str | None = None, guard_descriptions: bool = False, near=None) -> MapData:
    """The data for a map of the given (already filtered) incidents. With served_basemap the
    outlines are fetched from /app/static/basemap/ (written by `python -m geo basemap`) when there.
    `window`: the filter's time window (records dated more broadly are drawn hollow); `routes`:
    the case routes to draw (geo.view.routes); `guard_descriptions`: popups keep descriptions of
    violence behind a click; `near`: the filter's site and distance (IncidentFilter.near_ring)."""
    basemap_url = None
    if served_basemap and (ROOT / BASEMAP_STATIC_DIR / "subjects.geojson").exists():
        basemap_url = "/app/" + BASEMAP_STATIC_DIR
    return MapData(incidents=incidents, sites=bundle.sites, subjects=bundle.subjects, countries=bundle.countries,
                   subject_counts=counts_per_subject(incidents, bundle.subject_names) if with_counts else None,
                   titles=bundle.titles,
                   highlight=highlight, basemap_url=basemap_url, popups=popups, plan=plan,
                   outlines=bundle.outlines if bundle.outlines is not None else {},
                   window=window if window and window != (None, None) else None, routes=routes,
                   selected_route=selected_route, guard_descriptions=guard_descriptions, near=near)


def legend_block(data: MapData) -> str:
    """The legend as a self-styled HTML block for pages outside the map (the app's side panel)."""
    # h2: in the app's page outline the legend's sections follow the page's h1 and a record's h2
    css = ("<style>.app-legend{font:13px/1.35 system-ui,sans-serif}"
           "div.app-legend h2{margin:8px 0 3px;padding:0;font-size:11px;text-transform:uppercase;color:#555}"
           ".app-legend ul{list-style:none;margin:0;padding:0}"
           ".app-legend li{margin:3px 0;display:flex;align-items:center;gap:6px}</style>")
    return f'{css}<div class="app-legend">{legend_html(data, heading_tag="h2")}</div>'
