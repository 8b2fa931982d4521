"""The map goes where the story goes: after every briefing step (forward and back) and every kind of
selection, the centre and zoom that Leaflet shows in the page — not only the session state — and
the URL are checked. Screenshots of every briefing step go to test-artifacts/."""
import json
from pathlib import Path

import pytest
import yaml

from geo.view.dataset import load_bundle
from tests.browser import (ARTIFACTS, highlighted_records, leaflet_frame, map_frame, map_view, offline_page,
                           pixel_degrees, screenshot, url_params, wait_for_url, wait_for_view)

pytest.importorskip("playwright.sync_api")

BRIEFINGS = sorted((Path(__file__).resolve().parent.parent / "data" / "briefings").glob("*.yaml"))


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def near(view: dict, point, zoom=None, pixels: float = 3) -> bool:
    tolerance = pixels * pixel_degrees(view["zoom"])
    return (abs(view["lat"] - point[0]) <= tolerance and abs(view["lng"] - point[1]) <= tolerance
            and (zoom is None or view["zoom"] == zoom))


def record_point(bundle, record_id):
    point = bundle.incidents.loc[record_id].geometry
    return point.y, point.x


def url_view(params: dict) -> tuple[tuple[float, float], float]:
    lat, lng = (float(v) for v in params["c"].split(","))
    return (lat, lng), float(params["z"])


@pytest.mark.parametrize("path", BRIEFINGS, ids=lambda p: p.stem)
def test_every_briefing_step_moves_the_map_forward_and_back(path, server, playwright, chromium, bundle):
    briefing = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = briefing["steps"]
    order = list(range(len(steps))) + list(range(len(steps) - 2, -1, -1))   # 1..n, then back to 1
    measured = []
    with offline_page(playwright, chromium) as page:
        page.goto(f"{server}/?briefing={briefing['id']}&step=1")
        map_frame(page)
        for k, index in enumerate(order):
            if k:
                page.get_by_role("button", name="Next ▶" if index > order[k - 1] else "◀ Back").click()
            step = steps[index]
            center, zoom = step["view"]["center"], step["view"]["zoom"]
            wait_for_url(page, step=str(index + 1))
            seen = wait_for_view(page, center, zoom)
            params = wait_for_url(page, z=f"{zoom:g}")
            (lat, lng), _ = url_view(params)
            assert abs(lat - center[0]) <= 2 * pixel_degrees(zoom) and abs(lng - center[1]) <= 2 * pixel_degrees(zoom), \
                f"step {index + 1}: URL c={params['c']} for a map at {center}"
            mapped = {r for r in step.get("highlight", []) if bundle.incidents.loc[r].geometry is not None}
            assert mapped <= highlighted_records(page), f"step {index + 1}: highlighted records not drawn as such"
            page.get_by_text(step["heading"], exact=False).first.wait_for(timeout=10_000)
            direction = "forward" if k < len(steps) else "back"
            if direction == "forward":
                page.wait_for_timeout(600)   # let the outlines and any opened cluster draw
                screenshot(page, f"briefing-{path.stem}-step-{index + 1}")
            measured.append({"step": index + 1, "direction": direction, "heading": step["heading"],
                             "wanted": [*center, zoom], "map": [round(seen["lat"], 4), round(seen["lng"], 4),
                                                                 seen["zoom"]],
                             "url": [params["c"], params["z"]]})
        assert page.outside == [] and not page.errors
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"briefing-{path.stem}-views.json").write_text(json.dumps(measured, indent=1), encoding="utf-8")


def test_a_record_link_opens_the_map_on_that_record(server, playwright, chromium, bundle):
    """?rec= alone: a Moscow record puts the map on Moscow, highlighted, whatever the default view."""
    record = "mem20-case1-embassy"
    with offline_page(playwright, chromium) as page:
        page.goto(f"{server}/?rec={record}")
        map_frame(page)
        seen = wait_for_view(page, record_point(bundle, record), 9)
        assert record in highlighted_records(page)
        (lat, lng), _ = url_view(wait_for_url(page, rec=record, z="9"))
        assert near({"lat": lat, "lng": lng, "zoom": seen["zoom"]}, record_point(bundle, record))
        page.get_by_text("DPRK embassy", exact=False).first.wait_for(timeout=20_000)
        screenshot(page, "select-by-link")
        assert page.outside == [] and not page.errors


def test_following_the_same_case_moves_the_map_across_russia(server, playwright, chromium, bundle):
    start, target = "mem20-case1-held-vladivostok", "mem20-case1-vnukovo"
    with offline_page(playwright, chromium) as page:
        page.goto(f"{server}/?rec={start}")
        map_frame(page)
        wait_for_view(page, record_point(bundle, start), 9)
        page.get_by_role("button", name=bundle.titles[target]).click()
        wait_for_view(page, record_point(bundle, target), 10)    # an exact site: one step closer
        assert target in highlighted_records(page) and start not in highlighted_records(page)
        wait_for_url(page, rec=target, z="10")
        screenshot(page, "select-same-case")
        assert page.outside == [] and not page.errors


def test_search_lists_matching_records_and_the_picker_moves_the_map(server, playwright, chromium, bundle):
    kazan = sorted(i for i, s in bundle.incidents["place_name"].items() if s == "Kazan")
    with offline_page(playwright, chromium) as page:
        page.goto(server)
        map_frame(page)
        search = page.get_by_label("Search records in view")
        search.fill("Kazan")
        search.press("Enter")
        page.get_by_text(f"{len(kazan)} records match", exact=False).wait_for(timeout=20_000)
        picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Record (")
        picker.click()
        options = page.get_by_role("option")
        options.first.wait_for(timeout=10_000)
        listed = [o.inner_text() for o in options.all()]
        assert sorted(listed[1:]) == sorted(bundle.titles[i] for i in kazan)   # first: "Click a marker…"
        page.get_by_role("option", name=bundle.titles[kazan[0]]).click()
        wait_for_view(page, record_point(bundle, kazan[0]), 9)
        assert kazan[0] in highlighted_records(page)
        wait_for_url(page, rec=kazan[0])
        screenshot(page, "select-by-picker")
        assert page.outside == [] and not page.errors


def test_clicking_a_marker_highlights_it_and_keeps_it_in_view(server, playwright, chromium, bundle):
    with offline_page(playwright, chromium) as page:
        page.goto(f"{server}/?type=court_decision&c=43.45,131.6&z=8")
        frame = map_frame(page)
        wait_for_view(page, (43.45, 131.6), 8)
        frame.locator(".incident-marker").first.wait_for(timeout=30_000)
        # the marker in view closest to the right edge: a click there must keep it in view
        label = leaflet_frame(page).evaluate("""() => {
            const box = window.map.getContainer().getBoundingClientRect();
            const inside = [...document.querySelectorAll('.incident-marker')].filter(el => {
                const r = el.getBoundingClientRect();
                return r.left > box.left && r.right < box.right && r.top > box.top && r.bottom < box.bottom; });
            inside.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
            return inside[0].getAttribute('aria-label'); }""")
        frame.get_by_label(label, exact=True).click()
        page.wait_for_function("() => new URL(location.href).searchParams.has('rec')", timeout=20_000)
        record = url_params(page)["rec"]
        page.get_by_text(bundle.titles[record], exact=False).first.wait_for(timeout=20_000)
        page.wait_for_timeout(800)
        assert record in highlighted_records(page)
        inside = leaflet_frame(page).evaluate("""(id) => { let at = null;
            window.map.eachLayer(g => { if (g.getVisibleParent) g.eachLayer(m => { if (m.feature && m.feature.id === id) at = m.getLatLng(); }); });
            return window.map.getBounds().contains(at); }""", record)
        assert inside and map_view(page)["zoom"] == 8   # a click keeps the zoom
        screenshot(page, "select-by-click")
        assert page.outside == [] and not page.errors


def test_the_map_keeps_its_view_after_visiting_another_page(server, playwright, chromium):
    with offline_page(playwright, chromium) as page:
        page.goto(f"{server}/?briefing=court-expulsions-2018-2019&step=3")
        map_frame(page)
        wait_for_view(page, (48.48, 135.08), 10)
        page.get_by_role("link", name="About the data").click()
        page.get_by_text("Sources", exact=False).first.wait_for(timeout=20_000)
        page.get_by_role("link", name="Map").click()
        map_frame(page)
        wait_for_view(page, (48.48, 135.08), 10)
        assert url_params(page).get("step") == "3"
