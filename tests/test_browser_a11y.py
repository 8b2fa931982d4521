"""What the first screen shows and how it can be used: the map without scrolling, a view that fits
what the filters keep (or says what is off screen), tooltips kept inside the map, markers a
keyboard can reach and a screen reader can name, and axe-core with no serious or critical
violation on every page of the app and on the standalone HTML export."""
import pytest

from geo.evidence.vocabulary import INCIDENT_TYPES
from tests.browser import (axe_violations, leaflet_frame, map_frame, offline_page, screenshot, wait_for_view,
                           wait_until_idle)

pytest.importorskip("playwright.sync_api")

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
OUTSIDE = """() => { const view = window.map.getBounds(); let total = 0, outside = 0;
    window.map.eachLayer(g => { if (g.getVisibleParent) g.eachLayer(m => {
        if (m.feature && m.feature.properties.layer === 'incidents') { total++; if (!view.contains(m.getLatLng())) outside++; } }); });
    return [outside, total]; }"""


def settled(page, ms=1500):
    map_frame(page)
    page.wait_for_timeout(ms)   # the first view request and the outlines
    return leaflet_frame(page)


@pytest.mark.parametrize("size", [(1280, 800), (1500, 1100)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_map_is_on_the_first_screen_and_frames_every_record(size, server, playwright, chromium):
    with offline_page(playwright, chromium, viewport=size) as page:
        page.goto(server)
        frame = settled(page)
        box = page.locator(MAP_IFRAME).bounding_box()
        assert box["y"] < 250 and box["y"] + box["height"] <= size[1], f"map at {box} in a {size} window"
        outside, total = frame.evaluate(OUTSIDE)
        assert total > 50 and outside == 0, f"{outside} of {total} records outside the default view"
        assert not frame.locator(".offscreen-hint").is_visible()
        assert page.get_by_role("button", name="Deploy").count() == 0 and page.get_by_text("Deploy").count() == 0
        screenshot(page, f"app-first-screen-{size[0]}x{size[1]}")
        assert page.outside == [] and not page.errors


def test_a_view_with_records_off_screen_says_how_many_and_shows_them_all(server, playwright, chromium):
    with offline_page(playwright, chromium) as page:
        page.goto(f"{server}/?c=43.1,131.9&z=8")
        frame = settled(page)
        wait_for_view(page, (43.1, 131.9), 8)
        outside, total = frame.evaluate(OUTSIDE)
        assert 0 < outside < total
        hint = frame.locator(".offscreen-hint")
        hint.wait_for(state="visible", timeout=10_000)
        assert f"{outside} of {total} mapped incidents are outside this view" in hint.inner_text()
        screenshot(page, "app-offscreen-hint")
        hint.get_by_role("button", name="Show all").click()
        page.wait_for_timeout(1000)
        assert frame.evaluate(OUTSIDE)[0] == 0
        hint.wait_for(state="hidden", timeout=10_000)


def test_tooltips_stay_inside_the_map(server, playwright, chromium):
    with offline_page(playwright, chromium, viewport=(1280, 800)) as page:
        page.goto(server)
        frame = settled(page)
        container = frame.locator(".leaflet-container").bounding_box()
        # the markers (not hidden under another) nearest the right, left and top edges of the map
        picks = frame.evaluate("""() => {
            const free = [...document.querySelectorAll('.incident-marker, .site-icon')].filter(el => {
                const r = el.getBoundingClientRect(), hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                return hit && hit.closest('.leaflet-marker-icon') === el; });
            free.forEach((el, i) => el.setAttribute('data-test-pick', i));
            const x = el => el.getBoundingClientRect().x, y = el => el.getBoundingClientRect().y;
            const by = (f, sign) => free.slice().sort((a, b) => sign * (f(a) - f(b)))[0].getAttribute('data-test-pick');
            return [...new Set([by(x, -1), by(x, 1), by(y, 1)])]; }""")
        picks = [frame.locator(f'[data-test-pick="{i}"]') for i in picks]
        for marker in picks:
            marker.hover(force=True)
            tip = frame.locator(".leaflet-tooltip").last
            tip.wait_for(timeout=5_000)
            page.wait_for_timeout(150)
            t = tip.bounding_box()
            assert container["x"] <= t["x"] and t["x"] + t["width"] <= container["x"] + container["width"] + 0.5, t
            assert container["y"] <= t["y"] and t["y"] + t["height"] <= container["y"] + container["height"] + 0.5, t
            page.mouse.move(5, 5)
        screenshot(page, "app-tooltip-inside")


def test_markers_are_labelled_buttons_reachable_by_keyboard(server, playwright, chromium):
    with offline_page(playwright, chromium) as page:
        page.goto(f"{server}/?type=court_decision&c=43.45,131.6&z=8")
        frame = settled(page)
        wait_for_view(page, (43.45, 131.6), 8)
        for marker in frame.locator(".incident-marker").all():
            label = marker.get_attribute("aria-label")
            assert marker.get_attribute("role") == "button" and marker.get_attribute("tabindex") == "0"
            assert label.startswith("Court decision, ") and " 20" in label, label   # type, date, place: title
        frame.locator(".leaflet-container").focus()
        focused = None
        for _ in range(40):   # Tab through zoom buttons, layers, sites… to the first incident marker
            page.keyboard.press("Tab")
            focused = frame.evaluate("() => document.activeElement.classList.contains('incident-marker') && "
                                     "document.activeElement.getAttribute('aria-label')")
            if focused:
                break
        assert focused, "no incident marker reachable with Tab"
        page.keyboard.press("Enter")
        title = focused.split(": ", 1)[1]
        page.get_by_role("heading", name=title).wait_for(timeout=20_000)   # the details panel opened
        page.wait_for_function("() => new URL(location.href).searchParams.has('rec')", timeout=10_000)
        page.wait_for_timeout(1000)
        # the markers were drawn again with the selection highlighted: the focus stays on the chosen one
        assert frame.evaluate("() => document.activeElement.getAttribute('aria-label')") == focused
        screenshot(page, "app-keyboard-selection")


def test_the_legend_shows_each_type_with_its_shape(server, playwright, chromium):
    with offline_page(playwright, chromium) as page:
        page.goto(server)
        settled(page)
        legend = page.locator(".app-legend")   # beside the map; the map's own legend lists the sites
        for label in ("Court decision", "Abduction", "Arrest / detention", "District-level"):
            assert legend.locator("li", has_text=label).first.locator("img").count() == 1, label
        screenshot(page, "app-legend")


PAGES = ["/", "/?rec=mem20-case1-embassy", "/?briefing=court-expulsions-2018-2019&step=2", "/statistics",
         "/export", "/about"]


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violation_on_any_page(path, server, playwright, chromium):
    with offline_page(playwright, chromium) as page:
        page.goto(server + path)
        if path.startswith("/?") or path == "/":
            frame = settled(page)
            assert not axe_violations(frame), "in the map"
        else:
            page.get_by_role("heading", level=1).first.wait_for(timeout=30_000)
        wait_until_idle(page)   # a rerun fades the page: axe would measure the faded colours
        found = axe_violations(page)
        assert not found, "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in found)


def test_axe_finds_no_serious_violation_in_the_html_export(playwright, chromium, tmp_path):
    from geo.outputs.export import export, make_view
    from geo.view.dataset import load_bundle
    from geo.view.filters import IncidentFilter
    path = export(make_view(load_bundle(), IncidentFilter(), title="Documented incidents"), "html", tmp_path / "all.html")
    with offline_page(playwright, chromium, viewport=(1000, 700)) as page:
        page.goto(path.as_uri())
        page.locator(".incident-marker, .marker-cluster").first.wait_for(timeout=30_000)
        found = axe_violations(page)
        assert not found, "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in found)
        labels = page.locator(".incident-marker").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
        assert labels and all(any(label.startswith(t) for t in INCIDENT_TYPES.values()) for label in labels)
        page.locator(".map-legend summary").first.click() if not page.locator(".map-legend[open]").count() else None
        assert page.locator(".map-legend li", has_text="Court decision").locator("img").count() == 1
        assert page.title() == "Documented incidents"
