"""Case routes: the records of one case history joined in date order, with arrows along each leg.

What a route is, its order and its legs are worked out in geo.view.routes; this layer draws them:
one GeoJSON layer of legs (a solid line between precise places; dotted where a leg starts or ends
at a place known only to its district or region), one of arrowheads at the middle of each leg,
pointing along it. A route's tooltip ends with a hidden `[route:<case id>]`, which is how a click in the
app finds it; in a standalone map its popup lists the steps. Drawn only when asked for (the app's
"Case routes" switch, an export's --routes); empty otherwise.
"""
from __future__ import annotations

import json

import folium
from folium.utilities import JsCode

from geo.language import N_, Labels, _
from geo.outputs.html_text import esc
from layers.base import DataGeoJson, TOOLTIP_OPTIONS, LegendEntry, MapData

ROUTE_COLOUR, SELECTED_COLOUR, HALO = "#1f2937", "#000000", "#ffffff"
COARSE_DASH = "2 6"
ARROW_PX = 14

STEP_NOTES = Labels({"not_drawn": N_("country level, not drawn"), "filtered": N_("outside the filters")})
# The legend's rows (the print maps' legend says the same: geo.outputs.route_drawing.LABELS)
LEGEND_LABELS = (N_("Route of a case: its records in date order (arrows point onwards)"),
                 N_("Dotted: a leg to a place known only to its district or region"))
ROUTE_TOOLTIP = N_("Route of case {case}: {steps} steps, {first} to {last}. Click to list the steps.")

# An arrowhead: a triangle pointing east, turned by the leg's screen angle. Constant markup.
_ARROW = JsCode("""function (feature, layer) {
    var p = feature.properties, size = %d;
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size + '" viewBox="0 0 14 14" '
        + 'style="display:block;transform:rotate(' + p.angle + 'deg)" aria-hidden="true" focusable="false">'
        + '<path d="M2,2 L12,7 L2,12 L5,7 Z" fill="' + p.colour + '" stroke="#fff" stroke-width="1.2" '
        + 'stroke-linejoin="round"/></svg>';
    layer.setIcon(L.divIcon({html: svg, className: 'route-arrow', iconSize: [size, size],
                             iconAnchor: [size / 2, size / 2]}));
}""" % ARROW_PX)

_BIND_ROUTE = JsCode("""function (feature, layer) {
    layer.bindTooltip(feature.properties.tooltip_html, %s);
    if (feature.properties.popup_html) {   // a long case scrolls inside its popup
        layer.bindPopup(feature.properties.popup_html, {maxWidth: 440, maxHeight: 380});
    }
}""" % json.dumps(TOOLTIP_OPTIONS))


def steps_html(route) -> str:
    """The steps of a route as an ordered list (escaped): date, type, place and title; steps that
    are not drawn say why."""
    items = []
    for step in route.steps:
        note = STEP_NOTES["not_drawn"] if not step.mapped else (STEP_NOTES["filtered"] if not step.shown else "")
        items.append("<li{cls}><b>{date}</b> · {type} · {place}: {title}{note}</li>".format(
            cls=' class="route-step-off"' if note else "", date=esc(step.date_label), type=esc(step.type_label),
            place=esc(step.place), title=esc(step.title), note=" ({note})".format(note=esc(note)) if note else ""))
    return '<div class="record"><h4>{label}</h4><ol class="route-steps">{items}</ol></div>'.format(
        label=esc(route.label), items="".join(items))


def route_tooltip_html(route) -> str:
    """The route's tooltip (escaped). Its `[route:<case id>]` key is in the text a click reports
    (st_folium reads the tooltip's textContent) but not shown: the sentence already names the case."""
    text = _(ROUTE_TOOLTIP).format(case=route.case, steps=len(route.steps), first=route.steps[0].date_label,
                                   last=route.steps[-1].date_label)
    return '{text}<span class="map-key" aria-hidden="true"> [route:{case}]</span>'.format(
        text=esc(text), case=esc(route.case))


class Routes:
    name = "routes"
    title = N_("Case routes")
    show = True

    def add_to(self, m: folium.Map, data: MapData) -> None:
        group = folium.FeatureGroup(name=_(self.title), show=self.show, control=bool(data.routes))
        if data.routes:
            legs, arrows = [], []
            for route in data.routes:
                selected = route.case == data.selected_route
                colour = SELECTED_COLOUR if selected else ROUTE_COLOUR
                tooltip = route_tooltip_html(route)
                popup = steps_html(route) if data.popups else None
                for leg in route.legs():
                    style = {"color": colour, "weight": 4.5 if selected else 3, "opacity": 0.9,
                             "dashArray": COARSE_DASH if leg.dashed else None, "lineCap": "round"}
                    legs.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [
                        [leg.start.lon, leg.start.lat], [leg.end.lon, leg.end.lat]]},
                        "properties": {"case": route.case, "style": style, "tooltip_html": tooltip,
                                       "popup_html": popup, "layer": "routes"}})
                    arrows.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [
                        leg.arrow_lon, leg.arrow_lat]}, "properties": {"angle": round(leg.angle, 1), "colour": colour}})
            # a white casing under every leg, so a route reads over outlines and precision circles
            DataGeoJson({"type": "FeatureCollection", "features": legs}, interactive=False, control=False,
                           style_function=lambda f: {"color": HALO, "weight": f["properties"]["style"]["weight"] + 3,
                                                     "opacity": 0.8, "lineCap": "round"}).add_to(group)
            DataGeoJson({"type": "FeatureCollection", "features": legs}, name=_(self.title), control=False,
                           style_function=lambda f: f["properties"]["style"], highlight_function=None,
                           on_each_feature=_BIND_ROUTE).add_to(group)
            DataGeoJson({"type": "FeatureCollection", "features": arrows}, control=False,
                           marker=folium.Marker(icon=folium.DivIcon(html=""), interactive=False, keyboard=False,
                                                pane="overlayPane"),
                           on_each_feature=_ARROW).add_to(group)
        group.add_to(m)

    def legend(self, data: MapData) -> list[LegendEntry]:
        if not data.routes:
            return []
        return [
            LegendEntry(_(LEGEND_LABELS[0]), _line_swatch()),
            LegendEntry(_(LEGEND_LABELS[1]), _line_swatch(COARSE_DASH)),
        ]


def _line_swatch(dash: str | None = None) -> str:
    pattern = f' stroke-dasharray="{dash}"' if dash else ""
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="26" height="12" viewBox="0 0 26 12" aria-hidden="true" '
            f'style="vertical-align:middle"><line x1="1" y1="6" x2="19" y2="6" stroke="{ROUTE_COLOUR}" stroke-width="3"'
            f' stroke-linecap="round"{pattern}/><path d="M17,1.5 L25,6 L17,10.5 Z" fill="{ROUTE_COLOUR}"/></svg>')


LAYER = Routes()
