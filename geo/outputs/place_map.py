"""The record form's small map: the candidate places of a search as numbered dots (the chosen one
larger and filled), and a researched point where the researcher clicked. Offline, like the main map:
the outline basemap and local Leaflet; text reaches it only escaped, as data (geo.outputs.template_safety).
"""
from __future__ import annotations

import folium

from geo.outputs.html_text import esc
from geo.outputs.mapview import Legend, build_map, map_data
from geo.outputs.offline_assets import localise
from geo.outputs.template_safety import check_inert
from geo.view.dataset import Bundle
from layers import LAYERS
from layers.base import BIND_TOOLTIP_AND_POPUP

BASEMAP_ONLY = tuple(layer for layer in LAYERS if layer.name == "basemap")
CHOSEN, OTHER, POINT = "#bc4c00", "#0969da", "#8250df"


def place_map(bundle: Bundle, options: list[tuple[str, dict]], chosen: str | None,
              point: tuple[float, float] | None) -> folium.Map:
    """`options`: (label, place dict with lat/lon) in the order the form lists them."""
    empty = bundle.incidents.iloc[0:0]
    features = []
    for number, (label, place) in enumerate(options, 1):
        if place.get("lat") is None or place.get("lon") is None:
            continue
        picked = place.get("gazetteer_id") == chosen
        features.append(_feature(place["lon"], place["lat"], f"{number}. {label}",
                                 {"radius": 9 if picked else 6, "color": "#ffffff" if picked else OTHER,
                                  "fill": True, "fillColor": CHOSEN if picked else OTHER,
                                  "fillOpacity": 0.95 if picked else 0.45, "weight": 2}))
    if point is not None:
        features.append(_feature(point[1], point[0], "Researched point (where you clicked)",
                                 {"radius": 8, "color": "#ffffff", "fill": True, "fillColor": POINT,
                                  "fillOpacity": 0.95, "weight": 3}))
    center, zoom = _frame(features)
    m = build_map(map_data(bundle, empty, served_basemap=True, with_counts=False), center=center, zoom=zoom,
                  layers=BASEMAP_ONLY, legend_open=False, asset_base_url=None)
    for name, child in list(m._children.items()):     # the basemap has no legend entries to show
        if isinstance(child, Legend):
            del m._children[name]
    if features:
        folium.GeoJson({"type": "FeatureCollection", "features": features}, name="Places",
                       marker=folium.CircleMarker(), on_each_feature=BIND_TOOLTIP_AND_POPUP,
                       style_function=lambda f: f["properties"]["style"], highlight_function=None,
                       control=False).add_to(m)
    check_inert(m)
    return localise(m)


def _feature(lon: float, lat: float, label: str, style: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"tooltip_html": esc(label), "popup_html": None, "style": style}}


def _frame(features: list[dict]) -> tuple[tuple[float, float], int]:
    if not features:
        return (48.5, 133.0), 3
    lons = [f["geometry"]["coordinates"][0] for f in features]
    lats = [f["geometry"]["coordinates"][1] for f in features]
    spread = max(max(lons) - min(lons), max(lats) - min(lats))
    # no closer than the outlines are worth looking at: the offline basemap has no streets or labels
    zoom = 6 if spread < 2 else 5 if spread < 8 else 4 if spread < 20 else 3
    return ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2), zoom
