"""The folium map draws with no network: local assets (localise) and a standalone file (inline)."""
from __future__ import annotations

import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import folium
import pytest
from folium.elements import JSCSSMixin
from folium.plugins import BoatMarker, Fullscreen, MarkerCluster, MiniMap

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `geo` from any working dir
from geo.outputs import offline_assets
from geo.outputs.offline_assets import OfflineAssetError, inline, localise

pytestmark = pytest.mark.skipif(
    not offline_assets.VENDOR_DIR.is_dir(),
    reason="static/vendor is missing: run npm ci && python scripts/vendor_assets.py")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_map(default_marker: bool = False) -> folium.Map:
    # tiles=None drops max_zoom: without maxZoom MarkerCluster throws "Map has no maxZoom specified".
    m = folium.Map(location=[48.5, 135.1], zoom_start=6, tiles=None, maxZoom=12)
    regions = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Khabarovsk", "incidents": 3},
        "geometry": {"type": "Polygon", "coordinates": [[[134, 48], [136, 48], [136, 49], [134, 49], [134, 48]]]},
    }]}
    folium.GeoJson(regions, name="regions", popup=folium.GeoJsonPopup(["name"]),
                   tooltip=folium.GeoJsonTooltip(["incidents"])).add_to(m)
    cluster = MarkerCluster(name="incidents").add_to(m)
    for i in range(20):
        folium.CircleMarker([48.3 + i * 0.01, 135.0 + i * 0.01], radius=6, popup=f"#{i}").add_to(cluster)
    if default_marker:
        folium.Marker([48.9, 134.3], tooltip="default icon").add_to(m)
    folium.LayerControl().add_to(m)
    return m


class _Refs(HTMLParser):
    """src/href of every tag (script bodies are raw text to the parser, so JS strings don't count)."""

    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.refs += [v for k, v in attrs if k in ("src", "href") and v]


def refs(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return parser.refs


def assert_local(html: str) -> None:
    found = refs(html)
    assert found, "no asset links rendered at all"
    assert not [r for r in found if r.startswith(("http://", "https://", "//"))]
    for ref in found:
        if ref.startswith("data:"):
            continue
        assert ref.startswith("/app/static/vendor/"), ref
        assert (offline_assets.VENDOR_DIR / ref.removeprefix("/app/static/vendor/")).is_file(), ref


def test_localise_points_every_asset_at_static_vendor():
    m = build_map()
    assert localise(m) is m
    html = m.get_root().render()
    assert_local(html)
    assert "/app/static/vendor/leaflet/dist/leaflet.js" in html
    assert "/app/static/vendor/leaflet.markercluster/dist/leaflet.markercluster.js" in html
    # the class lists are untouched: other maps still get folium's defaults until localised
    assert MarkerCluster.default_js[0][1].startswith("https://")


def test_localise_covers_fullscreen_and_minimap_and_is_idempotent():
    m = build_map()
    Fullscreen().add_to(m)
    MiniMap().add_to(m)  # its tile URL is in the map script, not an asset link
    localise(localise(m))
    html = m.get_root().render()
    assert_local(html)
    assert html.count("Control.FullScreen.js") == 1 and "Control.MiniMap.min.js" in html
    assert html.count("L.Icon.Default.imagePath") == 1


def test_inline_is_standalone():
    m = build_map(default_marker=True)
    html = inline(m)
    assert "L.map" in html
    assert all(r.startswith("data:") for r in refs(html)), [r for r in refs(html) if not r.startswith("data:")]
    # url(...) in the embedded CSS: only data: URIs (or local fragments such as #default#VML)
    for style in re.findall(r"<style>(.*?)</style>", html, flags=re.S):
        for ref in re.findall(r"""url\(\s*["']?([^"')]*)""", style):
            assert ref.startswith(("data:", "#")), ref
    # inline() leaves the map as it was
    assert m.default_js[0][1].startswith("https://")
    print(f"inline() size: {len(html.encode()) / 1e6:.2f} MB")


class _UnknownPlugin(JSCSSMixin):
    default_js = [("left-pad", "https://cdn.example.org/left-pad.js")]


@pytest.mark.parametrize("element, message", [
    (_UnknownPlugin(), "'left-pad'"),
    # same name as MarkerCluster's script, another file
    (BoatMarker([48.5, 135.0]), "leaflet.boatmarker"),
])
def test_localise_refuses_assets_without_local_copy(element, message):
    m = build_map()
    element.add_to(m)
    with pytest.raises(OfflineAssetError, match=re.escape(message)):
        localise(m)


def test_inline_draws_in_chromium_with_network_blocked(tmp_path):
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "map.html"
    page_file.write_text(inline(build_map(default_marker=True)), encoding="utf-8")

    requests, blocked, errors = [], [], []

    def guard(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", guard)
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            page.wait_for_selector(".leaflet-interactive", timeout=15_000)  # the GeoJson polygon
            page.wait_for_selector(".marker-cluster", timeout=15_000)  # markercluster ran
            icon_ok = page.eval_on_selector(
                "img.leaflet-marker-icon", "img => img.complete && img.naturalWidth > 0")
        finally:
            browser.close()

    assert icon_ok, "default marker icon did not load"
    assert not errors, errors
    assert not blocked, blocked
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
