"""The standalone HTML map at an embed size (800 x 600) in Debian's Chromium, offline: what a reader
of a report sees — title, legend, caption, scale bar and popups that do not hide each other."""
import pytest

from geo.outputs.export import export, make_view
from geo.view.dataset import load_bundle
from geo.view.filters import IncidentFilter
from tests.browser import chromium_or_skip, offline_page, screenshot

playwright_api = pytest.importorskip("playwright.sync_api")
EMBED = (800, 600)


@pytest.fixture(scope="module")
def chromium():
    return chromium_or_skip()


@pytest.fixture(scope="module")
def playwright():
    with playwright_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    bundle = load_bundle()
    public = export(make_view(bundle, IncidentFilter(), title="Documented incidents, all records"), "html",
                    folder / "public.html")
    full = export(make_view(bundle, IncidentFilter(types=("court_decision",)), "full", title="Court decisions"),
                  "html", folder / "full.html")
    return public, full


def _rect(page, selector):
    return page.evaluate(f"""() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();
        return {{left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height}}; }}""")


def _overlap(a, b) -> float:
    w = min(a["right"], b["right"]) - max(a["left"], b["left"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(w, 0) * max(h, 0)


def _open(page, path):
    page.goto(path.as_uri())
    page.locator(".leaflet-interactive, .marker-cluster").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1200)     # the load handler collapses the boxes and frames the records


def test_at_800_by_600_title_legend_caption_and_scale_bar_leave_the_map_visible(playwright, chromium, exports):
    public, _ = exports
    with offline_page(playwright, chromium, viewport=EMBED) as page:
        _open(page, public)
        assert page.title() == "Documented incidents, all records"
        assert page.evaluate("() => document.documentElement.lang") == "en"
        # On a small viewport the legend and the caption start collapsed, their summaries visible.
        assert not page.evaluate("() => document.querySelector('.map-legend').open")
        assert not page.evaluate("() => document.querySelector('.export-caption').open")
        covered = sum(_rect(page, s)["width"] * _rect(page, s)["height"]
                      for s in (".export-title", ".map-legend", ".export-caption"))
        assert covered < 0.12 * EMBED[0] * EMBED[1], f"boxes cover {covered / (EMBED[0] * EMBED[1]):.0%} of the map"
        scale = _rect(page, ".leaflet-control-scale")
        assert _overlap(scale, _rect(page, ".export-caption")) == 0
        screenshot(page, "export-html-800x600")
        # Opened, the caption still leaves the scale bar and most of the map visible.
        page.click(".export-caption summary")
        page.wait_for_timeout(300)
        caption = _rect(page, ".export-caption")
        assert _overlap(scale, caption) == 0
        assert caption["width"] * caption["height"] < 0.3 * EMBED[0] * EMBED[1]
        assert caption["top"] > _rect(page, ".export-title")["bottom"]
        screenshot(page, "export-html-800x600-caption")
        assert page.outside == [] and not page.errors


def test_a_popup_near_the_top_opens_below_the_title_bar(playwright, chromium, exports):
    public, _ = exports
    with offline_page(playwright, chromium, viewport=EMBED) as page:
        _open(page, public)
        # The northernmost record, panned right under the title bar, then clicked open.
        page.evaluate("""() => new Promise(done => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            const cluster = Object.values(map._layers).find(l => l._featureGroup && l.getLayers);
            const marker = cluster.getLayers().sort((a, b) => b.getLatLng().lat - a.getLatLng().lat)[0];
            cluster.zoomToShowLayer(marker, () => {
                const y = map.latLngToContainerPoint(marker.getLatLng()).y;
                map.panBy([0, y - 20], {animate: false});
                marker.openPopup();
                setTimeout(done, 900);
            });
        })""")
        heading = _rect(page, ".leaflet-popup-content h4")
        title = _rect(page, ".export-title")
        assert heading["top"] >= title["bottom"], f"popup heading at {heading['top']}, title bar ends {title['bottom']}"
        assert _rect(page, ".leaflet-popup")["bottom"] <= EMBED[1]
        screenshot(page, "export-html-800x600-popup")


def test_a_full_release_carries_a_banner_above_its_title(playwright, chromium, exports):
    _, full = exports
    with offline_page(playwright, chromium, viewport=EMBED) as page:
        _open(page, full)
        banner = page.locator(".export-banner")
        assert "FULL RELEASE" in banner.inner_text() and "personal names" in banner.inner_text()
        assert _rect(page, ".export-banner")["bottom"] <= _rect(page, ".export-title")["top"]
        assert _overlap(_rect(page, ".export-banner"), _rect(page, ".leaflet-control-zoom")) == 0
        screenshot(page, "export-html-full-banner")
