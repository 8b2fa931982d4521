"""The standalone HTML map: one file, every asset inlined, readable at an embed size (800 x 600).

Title bar on top (and a red banner above it for a full release), the legend bottom right and
the "About this map" caption bottom left, above the scale bar. On a small viewport the legend
and the caption start collapsed and the map is framed again around the records in the space
left free; popups open below the title bar and scroll inside the map. The page has a <title>
and `<html lang="en">`. Record and user text is escaped (html_text.esc) and enters as data
(template_safety.LiteralHtml); the script is a constant.
"""
from __future__ import annotations

import json

from geo.outputs.html_text import esc
from geo.language import _, current
from geo.outputs.mapview import build_map
from geo.outputs.template_safety import LiteralHtml

# Below these sizes the legend and the caption start collapsed.
SMALL_WIDTH, SMALL_HEIGHT = 1000, 760


def html_bytes(view) -> bytes:
    from geo.outputs.offline_assets import inline

    m = build_map(view.map_data(popups=True, window=view.filter.window(), routes=view.case_routes() or None,
                                guard_descriptions=view.mode == "public", near=view.filter.near_ring()),
                  asset_base_url=None, fit_to_records=True)
    caption = "".join(f"<p>{esc(line)}</p>" for line in view.caption_lines())
    full = view.mode == "full"
    banner = ('<div class="export-banner" role="alert">' + esc(_("FULL RELEASE — contains personal names and exact "
              "places. For trusted partners only: do not publish.")) + '</div>') if full else ""
    m.get_root().html.add_child(LiteralHtml(
        f'{banner}<h1 class="export-title{" under-banner" if full else ""}">{esc(view.title)}</h1>'
        f'<details class="export-caption" open data-release="{"full" if full else "public"}">'
        + '<summary>' + esc(_("About this map")) + f'</summary>{caption}</details>'))
    m.get_root().header.add_child(LiteralHtml(EXPORT_CSS))
    drawn = view.incidents.geometry.dropna()
    bounds = None
    if len(drawn):
        west, south, east, north = drawn.total_bounds
        pad = 1.0 if len(drawn) > 1 else 3.0
        bounds = [[south - pad, west - pad], [north + pad, east + pad]]
    m.get_root().html.add_child(LiteralHtml(
        "<script>" + LAYOUT_SCRIPT.replace("MAP_NAME", m.get_name()).replace("BOUNDS", json.dumps(bounds))
        .replace("SMALL_WIDTH", str(SMALL_WIDTH)).replace("SMALL_HEIGHT", str(SMALL_HEIGHT)) + "</script>"))
    html = inline(m)
    html = html.replace("<html>", f'<html lang="{current()}">', 1)
    html = html.replace("<head>", f"<head>\n    <title>{esc(view.title)}</title>", 1)
    return html.encode("utf-8")


EXPORT_CSS = """<style>
.export-banner{position:absolute;z-index:1002;top:0;left:0;right:0;background:#8a1c1c;color:#fff;
  font:600 13px/1.3 system-ui,sans-serif;padding:5px 12px;text-align:center}
.export-title{position:absolute;z-index:1001;top:10px;left:56px;right:56px;margin:0;background:rgba(255,255,255,.94);
  padding:6px 12px;border-radius:6px;font:600 16px/1.3 system-ui,sans-serif;color:#1a1a1a;
  box-shadow:0 1px 4px rgba(0,0,0,.25);overflow:hidden;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical}
.export-title.under-banner{top:38px}
.export-caption{position:absolute;z-index:1001;left:10px;bottom:56px;max-width:min(46%,520px);max-height:38%;overflow:auto;
  background:rgba(255,255,255,.95);padding:6px 10px;border-radius:6px;font:12px/1.35 system-ui,sans-serif;color:#222;
  box-shadow:0 1px 4px rgba(0,0,0,.25)}
.export-caption summary,.map-legend summary{font-weight:600;cursor:pointer}
.export-caption p{margin:4px 0}
.export-caption:not([open]),.map-legend:not([open]){padding:4px 9px}
.leaflet-popup-content{max-height:inherit}
@media (max-width:700px){.export-title{font-size:14px;left:50px;right:50px}.export-caption{max-width:70%}}
</style>"""

# Runs before the map exists (the folium script comes after it): popup defaults, then on load the
# layout. Constants only; the map's name and the records' bounds are filled in as JSON.
LAYOUT_SCRIPT = """
(function () {
  function titleBottom() {
    var t = document.querySelector('.export-title');
    return t ? Math.ceil(t.getBoundingClientRect().bottom) : 0;
  }
  // Popups open below the title bar and never run off the map: they scroll inside.
  L.Popup.prototype.options.autoPanPaddingTopLeft = L.point(12, 80);
  L.Popup.prototype.options.autoPanPaddingBottomRight = L.point(12, 12);
  window.addEventListener('load', function () {
    var map = window['MAP_NAME'], bounds = BOUNDS;
    var small = window.innerWidth < SMALL_WIDTH || window.innerHeight < SMALL_HEIGHT;
    if (small) {
      document.querySelectorAll('.map-legend, .export-caption').forEach(function (d) { d.removeAttribute('open'); });
    }
    var scale = document.querySelector('.leaflet-control-scale'), caption = document.querySelector('.export-caption');
    if (scale && caption) {    // the caption stands above the scale bar, never on it
      caption.style.bottom = (window.innerHeight - scale.getBoundingClientRect().top + 6) + 'px';
    }
    var top = titleBottom();
    L.Popup.prototype.options.autoPanPaddingTopLeft = L.point(12, top + 12);
    L.Popup.prototype.options.maxHeight = Math.max(160, window.innerHeight - top - 60);
    if (document.querySelector('.export-banner')) {     // the zoom and layer controls go below the banner
      document.querySelectorAll('.leaflet-top').forEach(function (c) { c.style.top = '28px'; });
    }
    if (map && bounds) {
      var legend = document.querySelector('.map-legend');
      var right = legend && legend.hasAttribute('open') ? legend.getBoundingClientRect().width + 20 : 20;
      map.options.zoomSnap = 0.25;     // fill a small embed instead of snapping a whole zoom level out
      map.fitBounds(bounds, {paddingTopLeft: [20, top + 10], paddingBottomRight: [right, 40], maxZoom: 8});
    }
  });
})();
"""
