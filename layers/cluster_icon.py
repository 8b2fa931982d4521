"""Cluster icons that say what they hold: a ring cut into one segment per incident type (in the
map's type colours, in the legend's order, sized by share), the count in the middle.

Replaces Leaflet.markercluster's default green/yellow/orange discs, which say only "many". The ring
is inline SVG made in the browser from the cluster's child markers (each carries its type in
`feature.properties.type`); the colours and type names are constants of this project, put in as
JSON — no record text. Screen readers get the count and the types inside as text; a cluster that
holds a highlighted record (selected, or named by a briefing step) is ringed in black (the map's
`.marker-cluster.cluster-highlighted` style). It keeps markercluster's `marker-cluster` class (for
the map's focus and highlight styles) but none of its size classes, which carry the default colours.
"""
from __future__ import annotations

import json

from geo.evidence.vocabulary import INCIDENT_TYPES

RING_SIZES = ((10, 34), (100, 40), (1000, 46))   # fewer than n markers -> icon size in px; else 52
LARGEST = 52


def cluster_icon_function(colours: dict[str, str]) -> str:
    """The iconCreateFunction for folium's MarkerCluster (a JavaScript function as text)."""
    order = [k for k in INCIDENT_TYPES if k in colours]
    constants = json.dumps({"order": order, "colours": {k: colours[k] for k in order},
                            "labels": {k: INCIDENT_TYPES[k] for k in order},
                            "sizes": [list(s) for s in RING_SIZES], "largest": LARGEST})
    return """function (cluster) {
    var c = %s;
    var markers = cluster.getAllChildMarkers(), n = markers.length, counts = {}, marked = false;
    markers.forEach(function (m) {
        var p = (m.feature && m.feature.properties) || {};
        counts[p.type] = (counts[p.type] || 0) + 1;
        if (m.options.highlighted || p.highlighted) { marked = true; }
    });
    var size = c.largest;
    for (var i = 0; i < c.sizes.length; i++) { if (n < c.sizes[i][0]) { size = c.sizes[i][1]; break; } }
    var half = size / 2, width = Math.max(5, Math.round(size * 0.2)), r = half - width / 2 - 1;
    var segments = '', done = 0, parts = [];
    c.order.concat(Object.keys(counts).filter(function (k) { return c.order.indexOf(k) < 0; })).forEach(function (k) {
        var k_n = counts[k];
        if (!k_n) { return; }
        var share = 100 * k_n / n, gap = Object.keys(counts).length > 1 ? Math.min(1.2, share / 3) : 0;
        segments += '<circle cx="' + half + '" cy="' + half + '" r="' + r + '" fill="none" stroke="'
            + (c.colours[k] || '#777') + '" stroke-width="' + width + '" pathLength="100" stroke-dasharray="'
            + (share - gap) + ' ' + (100 - share + gap) + '" stroke-dashoffset="' + (25 - done) + '"/>';
        done += share;
        parts.push(k_n + ' ' + (c.labels[k] || k));
    });
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size + '" viewBox="0 0 '
        + size + ' ' + size + '" aria-hidden="true" focusable="false">'
        + '<circle cx="' + half + '" cy="' + half + '" r="' + (half - 1) + '" fill="#fff" fill-opacity=".92"/>'
        + segments
        + '<text x="' + half + '" y="' + half + '" dy=".35em" text-anchor="middle" font-size="' + (n < 1000 ? 12 : 11)
        + '" font-weight="700" font-family="system-ui,sans-serif" fill="#111">' + n.toLocaleString('en') + '</text></svg>';
    var said = '<span class="visually-hidden">' + n + ' incidents: ' + parts.join(', ')
        + (marked ? '; including a highlighted one' : '') + '</span>';
    return L.divIcon({html: svg + said, className: 'marker-cluster type-cluster' + (marked ? ' cluster-highlighted' : ''),
                      iconSize: L.point(size, size)});
}""" % constants


CLUSTER_CSS = """
.type-cluster { background:none; border:none; border-radius:50%; }
.type-cluster svg { display:block; filter:drop-shadow(0 1px 2px rgba(0,0,0,.35)); }
.type-cluster:focus-visible { outline:3px solid #111; outline-offset:2px; }
"""
