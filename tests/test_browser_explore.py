"""Exploring in Chromium: a drag on the timeline changes the map, playback plays steps, case routes
are drawn with arrows and list their steps when clicked, clusters are rings by type, a click on a
site filters to its surroundings. Screenshots go to test-artifacts/explore-*.png."""
import time

import pytest

from geo.view.dataset import load_bundle
from geo.view.filters import IncidentFilter
from layers.symbols import TYPE_COLOURS
from tests.browser import (drawn_incidents, leaflet_frame, map_frame, offline_page, screenshot, url_params,
                           wait_for_url, wait_until_idle)

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def mapped(bundle, params) -> int:
    """How many records with a point the filter of these URL parameters keeps."""
    kept = IncidentFilter.from_params(params, known_sites=bundle.site_places).apply(bundle.incidents)
    return int(kept.geometry.notna().sum())


def open_app(page, server, query: str = ""):
    page.goto(f"{server}/{query}")
    map_frame(page).locator(".leaflet-marker-pane > *").first.wait_for(timeout=60_000)
    wait_until_idle(page)


def timeline_chart(page):
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    chart.locator("canvas, svg").first.wait_for(timeout=30_000)
    return chart


def test_dragging_across_the_timeline_sets_the_window_and_the_map_shows_only_it(server, playwright, chromium,
                                                                               bundle):
    with offline_page(playwright, chromium) as page:
        open_app(page, server)
        assert drawn_incidents(page) == mapped(bundle, {})
        box = timeline_chart(page).bounding_box()
        y = box["y"] + box["height"] * 0.45
        page.mouse.move(box["x"] + box["width"] * 0.80, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.93, y, steps=12)
        page.mouse.up()
        params = wait_for_url(page, timeout=20)   # the window arrives in the URL ...
        deadline = 40
        while "from" not in params and deadline:
            page.wait_for_timeout(250)
            params, deadline = url_params(page), deadline - 1
        assert "from" in params and "to" in params, params
        assert int(params["from"]) <= int(params["to"])
        window = {"from": params["from"], "to": params["to"]}
        expected = mapped(bundle, window)
        assert expected < mapped(bundle, {})
        assert drawn_incidents(page, expected=expected) == expected        # ... and the map draws only it
        slider = page.locator('[data-testid="stSlider"]').first.inner_text()
        assert params["from"] in slider and params["to"] in slider          # ... and the slider shows it
        screenshot(page, "explore-timeline-drag")


def on_screen(page, year: str, expected: int, timeout: float = 20.0) -> str:
    """Wait until the page plays `year`: in the URL, in the caption, and the map holds its markers."""
    deadline = time.time() + timeout
    seen = ""
    while time.time() < deadline:
        caption = " ".join(page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())
        seen = f"URL {url_params(page)}, map {drawn_incidents(page, timeout=0)}, caption {caption[:80]!r}"
        if (url_params(page).get("from") == year and f"Playing: {year}" in caption
                and drawn_incidents(page, timeout=0) == expected):
            return seen
        page.wait_for_timeout(150)
    raise AssertionError(f"{year} (expected {expected} markers) not seen: {seen}")


def test_play_runs_three_steps_and_the_map_follows_each(server, playwright, chromium, bundle):
    with offline_page(playwright, chromium) as page:
        # (a link starts playback too, tested with AppTest: here the page would play on while loading)
        open_app(page, server, "?from=2007&to=2007")
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Speed").click()
        page.get_by_role("option", name="Slow: 2 s a step").click()
        wait_until_idle(page)
        page.get_by_role("button", name="Play").click()
        wait_for_url(page, play="year", speed="0.5")
        for year in ("2008", "2009", "2010"):
            on_screen(page, year, mapped(bundle, {"from": year, "to": year}))
            if year == "2009":
                screenshot(page, "explore-playing")
        page.get_by_role("button", name="Pause").click()
        page.wait_for_timeout(1500)
        paused_at = url_params(page).get("from")
        page.wait_for_timeout(2500)
        assert url_params(page).get("from") == paused_at and "play" not in url_params(page)


def route_layers(page) -> dict:
    return leaflet_frame(page).evaluate("""() => { let legs = 0, cases = new Set();
        window.map.eachLayer(l => { if (l.feature && l.feature.properties.layer === 'routes') {
            legs++; cases.add(l.feature.properties.case); } });
        return {legs: legs, cases: [...cases], arrows: document.querySelectorAll('.route-arrow').length}; }""")


def test_case_routes_are_drawn_with_arrows_and_clicking_one_lists_its_steps(server, playwright, chromium):
    with offline_page(playwright, chromium) as page:
        open_app(page, server, "?routes=1")
        frame = leaflet_frame(page)
        frame.wait_for_function("() => document.querySelectorAll('.route-arrow').length > 0", timeout=20_000)
        drawn = route_layers(page)
        assert "mem20-case-1" in drawn["cases"] and drawn["legs"] >= 10
        assert drawn["arrows"] * 2 == drawn["legs"]   # each leg is drawn twice (casing, line), with one arrow
        # click the long Vladivostok -> Moscow leg a third of the way along (over Siberia: nothing else
        # there), at a point of the drawn path itself
        x, y = frame.evaluate("""() => { let leg = null;
            window.map.eachLayer(l => { if (l.feature && l.feature.properties.layer === 'routes' && l.options.interactive !== false
                && l.feature.properties.case === 'mem20-case-1' && l.getLatLngs) {
                const [a, b] = l.getLatLngs(); if (Math.abs(a.lng - b.lng) > 80) leg = l; } });
            const path = leg._path, at = path.getPointAtLength(path.getTotalLength() / 3), m = path.getScreenCTM();
            return [at.x * m.a + at.y * m.c + m.e, at.x * m.b + at.y * m.d + m.f]; }""")
        box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
        page.mouse.move(box["x"] + x, box["y"] + y)
        tip = frame.locator(".leaflet-tooltip", has_text="Route of case mem20-case-1")
        tip.wait_for(timeout=20_000)
        assert "steps" in tip.inner_text() and "[route:" not in tip.inner_text()   # the click key is not shown
        screenshot(page, "explore-route-tooltip")
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.get_by_text("Case mem20-case-1: 14 steps in date order").wait_for(timeout=20_000)
        steps = page.get_by_role("button", name="1. 1997")
        assert steps.count() == 1
        screenshot(page, "explore-route-steps")


def test_clusters_are_rings_cut_by_the_types_they_hold(server, playwright, chromium):
    with offline_page(playwright, chromium) as page:
        open_app(page, server)
        rings = leaflet_frame(page).evaluate("""() => { const out = [];
            window.map.eachLayer(c => { if (c.getAllChildMarkers && c._icon && c.getChildCount) {
                const types = new Set(c.getAllChildMarkers().map(m => m.feature.properties.type));
                const strokes = new Set([...c._icon.querySelectorAll('circle[stroke-dasharray]')].map(e => e.getAttribute('stroke')));
                out.push({n: c.getChildCount(), text: c._icon.querySelector('text').textContent, types: [...types], strokes: [...strokes],
                          defaultColours: c._icon.className.includes('marker-cluster-small')}); } });
            return out; }""")
        assert rings, "no cluster drawn"
        for ring in rings:
            assert ring["text"] == str(ring["n"]) and not ring["defaultColours"]
            assert sorted(ring["strokes"]) == sorted(TYPE_COLOURS[t] for t in ring["types"])
        assert any(len(ring["types"]) > 1 for ring in rings), "no cluster mixes types"
        screenshot(page, "explore-clusters")


def test_clicking_a_site_offers_the_incidents_within_50_km_as_a_filter(server, playwright, chromium, bundle):
    with offline_page(playwright, chromium) as page:
        open_app(page, server, "?c=42.6,131.2&z=8")
        frame = map_frame(page)
        # the crossing's own incidents are drawn over it (sites sit in a lower pane): a click on the
        # symbol itself, as when the markers are spread out
        frame.locator('.site-icon[aria-label*="Khasan border crossing"]').first.dispatch_event("click")
        page.get_by_text("lie within 50 km of it").wait_for(timeout=20_000)
        page.get_by_role("button", name="Show only these").click()
        params = wait_for_url(page, near="site-khasan-border-crossing", km="50")
        expected = mapped(bundle, {"near": params["near"], "km": params["km"]})
        assert drawn_incidents(page, expected=expected) == expected
        screenshot(page, "explore-near-khasan")


def test_the_chart_and_the_table_follow_the_map_and_come_even_if_the_map_never_loads(server, playwright, chromium):
    """The first run draws the map; the chart and the table follow in the run its report starts. With
    the map's code blocked (it never reports) a timer brings them anyway, in the places kept for them."""
    with offline_page(playwright, chromium) as page:
        open_app(page, server)
        assert page.locator('[data-testid="stDataFrame"]').count() == 1
        timeline_chart(page)
    with offline_page(playwright, chromium) as page:
        page.route("**/component/streamlit_folium*/**", lambda route: route.abort())
        page.goto(server)
        page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', state="attached", timeout=60_000)
        heading = page.get_by_role("heading", name="Records in view")
        first_top = heading.evaluate("e => e.getBoundingClientRect().top")
        page.locator('[data-testid="stDataFrame"]').wait_for(timeout=15_000)
        timeline_chart(page)
        assert abs(heading.evaluate("e => e.getBoundingClientRect().top") - first_top) < 40, "nothing jumped"
