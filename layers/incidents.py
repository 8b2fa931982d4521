"""Incidents: a marker per record, its type shown by colour and shape, clustered where they pile up.

Precision is drawn honestly: a settlement or site is the type's symbol alone; a district-level
record is the symbol in a dashed ring plus a translucent ~40 km circle around the district centre;
a region-level record is the symbol in a dashed ring at the region's label point plus the region's
outline. Country-level records have no point and are listed by the app instead.

All markers are one GeoJson layer inside a MarkerCluster (Leaflet.markercluster flattens it), so
the page carries one data blob instead of an element per record. Each marker is a keyboard-
focusable button labelled with type, date and place, and gets its tooltip (and, for exports,
popup) bound to itself, ending with the record id in brackets: that is how a click in the app
finds the record.
"""
from __future__ import annotations

import json

import folium
from folium.plugins import MarkerCluster
from folium.utilities import JsCode

from geo.language import N_, _, number
from geo.outputs.details import incident_html
from geo.outputs.html_text import esc
from geo.evidence.vocabulary import INCIDENT_TYPES, LOCATION_PRECISIONS
from geo.view.timeline import inside_window
from layers.base import DataGeoJson, TEXT_OF_HTML, TOOLTIP_OPTIONS, LegendEntry, MapData
from layers.cluster_icon import cluster_icon_function
from layers.symbols import MARKER_PX, TYPE_COLOURS, symbol_img, symbol_svg

__all__ = ["TYPE_COLOURS", "LAYER", "DISTRICT_RADIUS_M", "PRECISE"]

DISTRICT_RADIUS_M = 40_000
PRECISE = ("settlement", "exact_site")
CLUSTER_SWATCH = ('<span style="display:inline-block;width:18px;height:18px;border-radius:50%;vertical-align:middle;'
                  'background:conic-gradient(#0072B2 0 40%,#D55E00 0 70%,#5A55C8 0);'
                  '-webkit-mask:radial-gradient(circle,transparent 45%,#000 46%);'
                  'mask:radial-gradient(circle,transparent 45%,#000 46%)"></span>')
NEAR_COLOUR = "#1d4ed8"   # the distance filter's ring (geo.outputs.mapview.near_ring)
NEAR_SWATCH = ('<span style="display:inline-block;width:16px;height:16px;border-radius:50%;vertical-align:middle;'
               'border:2px dashed #1d4ed8;background:rgba(29,78,216,.06)"></span>')
REGION_SWATCH = ('<span style="display:inline-block;width:18px;height:13px;border:1.6px dashed #555;'
                 'background:rgba(119,119,119,.08);vertical-align:middle"></span>')

_CELL = JsCode("""function(feature, layer) {
    const n = feature.properties.count, size = Math.round(24 + 6 * Math.log10(n));
    layer.setIcon(L.divIcon({html: n.toLocaleString('en'), className: 'incident-cell',
                             iconSize: [size, size], iconAnchor: [size / 2, size / 2]}));
    layer.bindTooltip(feature.properties.tooltip_html);
    layer.on('add', function () { layer.getElement().setAttribute('aria-label',
        n.toLocaleString('en') + ' incidents here: press Enter to zoom in'); });
    layer.on('click', function () { layer._map.fitBounds(feature.properties.bounds); });
}""")

# A cluster shows the types it holds as a segmented ring, with the count (layers.cluster_icon).
CLUSTER_ICON = cluster_icon_function(TYPE_COLOURS)


def _on_each_incident(icons: dict[str, list]) -> JsCode:
    """Bind each marker's symbol, label, tooltip and popup. `icons` maps an icon key to
    [svg, size]: made here from constants (layers.symbols), never from record text."""
    return JsCode("""function (feature, layer) {
    var icons = %s, p = feature.properties, icon = icons[p.icon];
    layer.setIcon(L.divIcon({html: icon[0], className: 'incident-marker', iconSize: [icon[1], icon[1]],
                             iconAnchor: [icon[1] / 2, icon[1] / 2], tooltipAnchor: [icon[1] / 2, 0]}));
    layer.options.highlighted = p.highlighted;
    if (p.highlighted) { layer.setZIndexOffset(1000); }
    layer.on('add', function () {
        var el = layer.getElement();
        el.setAttribute('aria-label', %s(p.label_html));
        el.setAttribute('data-record', p.id);
        if (window.__keyboardRecord === p.id) {   // chosen with the keyboard: keep the focus on it when redrawn
            window.__keyboardRecord = null;
            setTimeout(function () { el.focus({preventScroll: true}); }, 0);
        }
    });
    layer.bindTooltip(p.tooltip_html, %s);
    if (p.popup_html) { layer.bindPopup(p.popup_html, {maxWidth: 440}); }
}""" % (json.dumps(icons), TEXT_OF_HTML, json.dumps(TOOLTIP_OPTIONS)))


BROADER_THAN_WINDOW = N_("dated more broadly than the time window: it may or may not fall in it")


def tooltip_text(p, broader: bool = False) -> str:
    precision = "" if p["location_precision"] in PRECISE else \
        " · " + _("{precision}-level location").format(precision=LOCATION_PRECISIONS[p['location_precision']])
    window = " · " + _(BROADER_THAN_WINDOW) if broader else ""
    return f'{p["title"]} · {p["date_label"]}{precision}{window} [{p["id"]}]'


def marker_label(p) -> str:
    """What a screen reader says for a marker: type, date, place, then the title."""
    place = p["place_name"]
    if p["location_precision"] not in PRECISE:
        place += " (" + _("{precision} level").format(precision=LOCATION_PRECISIONS[p['location_precision']]) + ")"
    return f'{p["type_label"]}, {p["date_label"]}, {place}: {p["title"]}'


def icon_key(p, highlighted: bool, hollow: bool = False) -> str:
    return f'{p["type"]}|{int(p["location_precision"] in PRECISE)}|{int(highlighted)}|{int(hollow)}'


# What a marker's tooltip, label and icon read; the popup reads every column.
MARKER_COLUMNS = ("id", "title", "date_label", "location_precision", "type", "type_label", "place_name")


class Incidents:
    name = "incidents"
    title = N_("Incidents")
    show = True

    def add_to(self, m: folium.Map, data: MapData) -> None:
        drawn = data.incidents[data.incidents.geometry.notna()]
        if data.plan is not None:   # a large dataset: only what the viewport can show
            drawn = data.plan.markers
            self._add_cells(m, data.plan.cells)
        self._add_precision_areas(m, drawn, data)
        cluster = MarkerCluster(name=_(self.title), show=True, icon_create_function=CLUSTER_ICON, options={
            "maxClusterRadius": 36, "spiderfyDistanceMultiplier": 1.6, "showCoverageOnHover": False})
        if not drawn.empty:
            DataGeoJson({"type": "FeatureCollection", "features": self.features(drawn, data, icons := {})},
                           name=_(self.title), marker=folium.Marker(icon=folium.DivIcon(html="")),
                           on_each_feature=_on_each_incident(icons), highlight_function=None,
                           control=False).add_to(cluster)
        cluster.add_to(m)

    @staticmethod
    def features(drawn, data: MapData, icons: dict) -> list[dict]:
        """One GeoJSON feature per drawn record (rows read as dicts: far faster than iterrows on
        a thousand markers); `icons` collects the symbols they use."""
        highlight = set(data.highlight)
        broader = ~inside_window(drawn, *data.window) if data.window else [False] * len(drawn)
        rows = drawn.to_dict("records") if data.popups else drawn[list(MARKER_COLUMNS)].to_dict("records")
        features = []
        for p, x, y, wide in zip(rows, drawn.geometry.x.to_numpy(), drawn.geometry.y.to_numpy(), broader):
            marked = p["id"] in highlight
            key = icon_key(p, marked, bool(wide))
            if key not in icons:
                icons[key] = [symbol_svg(p["type"], p["location_precision"] in PRECISE, marked, hollow=bool(wide)),
                              MARKER_PX[marked]]
            features.append({
                "type": "Feature", "id": p["id"],
                "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
                "properties": {"id": p["id"], "layer": "incidents", "type": p["type"],
                               "tooltip_html": esc(tooltip_text(p, bool(wide))),
                               "label_html": esc(marker_label(p)), "icon": key, "highlighted": marked,
                               "popup_html": incident_html(p, data.titles, guard=data.guard_descriptions)
                               if data.popups else None},
            })
        return features

    @staticmethod
    def _add_cells(m: folium.Map, cells) -> None:
        """Counted cells: a circle sized by its count, labelled, zooming to the cell on click."""
        if cells.empty:
            return
        features = [{
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
            "properties": {"count": int(c.count), "bounds": [[c.south, c.west], [c.north, c.east]],
                           "tooltip_html": esc(_("{n} incidents here · click to zoom in").format(n=number(int(c.count))))},
        } for c in cells.itertuples()]
        DataGeoJson({"type": "FeatureCollection", "features": features}, name=_("Incident counts"),
                       marker=folium.Marker(icon=folium.DivIcon(html="")), on_each_feature=_CELL,
                       control=False).add_to(m)

    @staticmethod
    def _add_precision_areas(m: folium.Map, drawn, data: MapData) -> None:
        areas = folium.FeatureGroup(name="Precision areas", show=True, control=False)
        district = drawn[drawn["location_precision"] == "district"]
        if not district.empty:   # one layer of circles (an element per circle costs a template each)
            circles = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
                        "properties": {"type": kind}}
                       for x, y, kind in zip(district.geometry.x, district.geometry.y, district["type"])]
            DataGeoJson({"type": "FeatureCollection", "features": circles}, interactive=False,
                           marker=folium.Circle(radius=DISTRICT_RADIUS_M),
                           style_function=lambda f: {"color": TYPE_COLOURS[f["properties"]["type"]], "weight": 1,
                                                     "dashArray": "4 4", "fill": True, "fillOpacity": 0.08},
                           control=False).add_to(areas)
        regions = sorted(set(drawn.loc[drawn["location_precision"] == "region", "subject_code"]))
        if regions:
            DataGeoJson(data.subjects.loc[regions, ["code", "geometry"]].__geo_interface__, interactive=False,
                           style_function=lambda f: {"color": "#555", "weight": 1.6, "dashArray": "6 4",
                                                     "fillColor": "#777", "fillOpacity": 0.06}).add_to(areas)
        areas.add_to(m)

    def legend(self, data: MapData) -> list[LegendEntry]:
        present = set(data.incidents["type"].unique()) if not data.incidents.empty else set()
        entries = [LegendEntry(label, symbol_img(key))
                   for key, label in INCIDENT_TYPES.items() if key in present]
        entries += [
            LegendEntry(_("Settlement or exact site (symbol alone)"), symbol_img("asylum_decision", colour="#888")),
            LegendEntry(_("District-level (dashed ring; circle ≈ 40 km)"),
                        symbol_img("asylum_decision", precise=False, colour="#888")),
            LegendEntry(_("Region-level (dashed ring; region outlined)"), REGION_SWATCH),
            LegendEntry(_("Highlighted (selected, or named by the step)"),
                        symbol_img("asylum_decision", highlighted=True, colour="#888")),
            LegendEntry(_("Group of nearby incidents: ring by type, with the count"), CLUSTER_SWATCH),
        ]
        if data.window:
            entries.append(LegendEntry("Hollow: dated more broadly than the time window (may or may not fall in it)",
                                       symbol_img("asylum_decision", colour="#555", hollow=True)))
        if data.near:
            km, site = data.near[2:]
            entries.append(LegendEntry(_("Dashed blue circle: within {km} km of {site}").format(km=f"{km:g}", site=site),
                                       NEAR_SWATCH))
        return entries


LAYER = Incidents()
