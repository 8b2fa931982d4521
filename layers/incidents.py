"""Incidents: a marker per record, coloured by type, clustered where they pile up.

Precision is drawn honestly: a settlement or site is a solid dot; a district-level record is a
dashed ring plus a translucent ~40 km circle around the district centre; a region-level record is
a dashed ring at the region's label point plus the region's outline. Country-level records have
no point and are listed by the app instead.

All markers are one GeoJson layer inside a MarkerCluster (Leaflet.markercluster flattens it), so
the page carries one data blob instead of an element per record. Each marker gets its tooltip
(and, for exports, popup) bound to itself, ending with the record id in brackets: that is how a
click in the app finds the record.
"""
from __future__ import annotations

import folium
from folium.plugins import MarkerCluster
from folium.utilities import JsCode

from geo.outputs.details import incident_html
from geo.outputs.html_text import esc
from geo.evidence.vocabulary import INCIDENT_TYPES, LOCATION_PRECISIONS
from layers.base import BIND_TOOLTIP_AND_POPUP, LegendEntry, MapData, dot

# Okabe–Ito plus Paul Tol's muted colours: distinguishable with the common colour-vision
# deficiencies as far as 16 classes allow; related types share a hue family.
TYPE_COLOURS = {
    "abduction": "#D55E00",
    "arrest_detention": "#0072B2",
    "court_decision": "#56B4E9",
    "administrative_decision": "#3D6B8C",
    "forcible_return": "#E69F00",
    "killing": "#000000",
    "death": "#6E6E6E",
    "ill_treatment": "#CC79A7",
    "surveillance_intimidation": "#882255",
    "forced_labour": "#999933",
    "asylum_application": "#117733",
    "asylum_decision": "#009E73",
    "escape": "#44AA99",
    "release_resettlement": "#DDCC77",
    "agreement_policy": "#AA4499",
    "advocacy": "#332288",
}
DISTRICT_RADIUS_M = 40_000

_CELL = JsCode("""function(feature, layer) {
    const n = feature.properties.count, size = Math.round(24 + 6 * Math.log10(n));
    layer.setIcon(L.divIcon({html: n.toLocaleString('en'), className: 'incident-cell',
                             iconSize: [size, size], iconAnchor: [size / 2, size / 2]}));
    layer.bindTooltip(feature.properties.tooltip_html);
    layer.on('click', function () { layer._map.fitBounds(feature.properties.bounds); });
}""")
PRECISE = ("settlement", "exact_site")


def tooltip_text(p) -> str:
    precision = "" if p["location_precision"] in PRECISE else \
        f" · {LOCATION_PRECISIONS[p['location_precision']]}-level location"
    return f'{p["title"]} · {p["date_label"]}{precision} [{p["id"]}]'


def marker_style(p, highlighted: bool) -> dict:
    colour = TYPE_COLOURS[p["type"]]
    precise = p["location_precision"] in PRECISE
    style = {"radius": 7 if precise else 10, "color": "#ffffff" if precise else colour,
             "weight": 1.5 if precise else 2.5, "dashArray": None if precise else "4 3",
             "fill": True, "fillColor": colour, "fillOpacity": 0.95 if precise else 0.35}
    if highlighted:
        style.update(radius=11, color="#111111", weight=3)
    return style


class Incidents:
    name = "incidents"
    title = "Incidents"
    show = True

    def add_to(self, m: folium.Map, data: MapData) -> None:
        drawn = data.incidents[data.incidents.geometry.notna()]
        if data.plan is not None:   # a large dataset: only what the viewport can show
            drawn = data.plan.markers
            self._add_cells(m, data.plan.cells)
        self._add_precision_areas(m, drawn, data)
        cluster = MarkerCluster(name=self.title, show=True, options={
            "maxClusterRadius": 36, "spiderfyDistanceMultiplier": 1.6, "showCoverageOnHover": False})
        if not drawn.empty:
            highlight = set(data.highlight)
            features = [{
                "type": "Feature", "id": p["id"],
                "geometry": {"type": "Point", "coordinates": [p.geometry.x, p.geometry.y]},
                "properties": {"id": p["id"], "layer": "incidents", "tooltip_html": esc(tooltip_text(p)),
                               "popup_html": incident_html(p, data.titles) if data.popups else None,
                               "style": marker_style(p, p["id"] in highlight)},
            } for _, p in drawn.iterrows()]
            folium.GeoJson({"type": "FeatureCollection", "features": features}, name=self.title,
                           marker=folium.CircleMarker(), on_each_feature=BIND_TOOLTIP_AND_POPUP,
                           style_function=lambda f: f["properties"]["style"],
                           highlight_function=None, control=False).add_to(cluster)
        cluster.add_to(m)

    @staticmethod
    def _add_cells(m: folium.Map, cells) -> None:
        """Counted cells: a circle sized by its count, labelled, zooming to the cell on click."""
        if cells.empty:
            return
        features = [{
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
            "properties": {"count": int(c.count), "bounds": [[c.south, c.west], [c.north, c.east]],
                           "tooltip_html": f"{int(c.count):,} incidents here · click to zoom in"},
        } for c in cells.itertuples()]
        folium.GeoJson({"type": "FeatureCollection", "features": features}, name="Incident counts",
                       marker=folium.Marker(icon=folium.DivIcon(html="")), on_each_feature=_CELL,
                       control=False).add_to(m)

    @staticmethod
    def _add_precision_areas(m: folium.Map, drawn, data: MapData) -> None:
        areas = folium.FeatureGroup(name="Precision areas", show=True, control=False)
        for _, p in drawn[drawn["location_precision"] == "district"].iterrows():
            folium.Circle(location=(p.geometry.y, p.geometry.x), radius=DISTRICT_RADIUS_M,
                          color=TYPE_COLOURS[p["type"]], weight=1, dash_array="4 4", fill=True,
                          fill_opacity=0.08, interactive=False).add_to(areas)
        regions = sorted(set(drawn.loc[drawn["location_precision"] == "region", "subject_code"]))
        if regions:
            folium.GeoJson(data.subjects.loc[regions, ["code", "geometry"]].__geo_interface__, interactive=False,
                           style_function=lambda f: {"color": "#555", "weight": 1.6, "dashArray": "6 4",
                                                     "fillColor": "#777", "fillOpacity": 0.06}).add_to(areas)
        areas.add_to(m)

    def legend(self, data: MapData) -> list[LegendEntry]:
        present = set(data.incidents["type"].unique()) if not data.incidents.empty else set()
        entries = [LegendEntry(label, dot(TYPE_COLOURS[key], ring="#fff"))
                   for key, label in INCIDENT_TYPES.items() if key in present]
        entries += [
            LegendEntry("Settlement or exact site", dot("#888", ring="#fff")),
            LegendEntry("District-level (circle ≈ 40 km)", dot("rgba(136,136,136,.35)", 14, "#888", dashed=True)),
            LegendEntry("Region-level (region outlined)", dot("rgba(136,136,136,.35)", 14, "#555", dashed=True)),
        ]
        return entries


LAYER = Incidents()
