"""What a person sees, in Debian's Chromium with the network outside localhost blocked."""
import json
import shutil

import pytest

from geo.build.layers import LAYER_NAMES, layer_path
from tests.browser import drawn_incidents, map_frame, offline_page, screenshot, streamlit_server

pytest.importorskip("playwright.sync_api")

MAPPED = sum(1 for f in json.loads(layer_path("incidents").read_text(encoding="utf-8"))["features"] if f["geometry"])
PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def test_map_draws_every_mapped_incident_offline(server, playwright, chromium):
    with offline_page(playwright, chromium) as page:
        page.goto(server)
        frame = map_frame(page)
        frame.locator(".marker-cluster").first.wait_for(timeout=30_000)
        assert drawn_incidents(page, MAPPED) == MAPPED
        assert frame.locator(".map-legend").count() == 1
        screenshot(page, "app-default")
        assert page.outside == [], f"requests left localhost: {page.outside}"
        assert not page.errors


def test_toggling_a_filter_changes_what_is_drawn(server, playwright, chromium):
    with offline_page(playwright, chromium) as page:
        page.goto(server)
        map_frame(page)
        assert drawn_incidents(page, MAPPED) == MAPPED
        page.get_by_text("Only records dated at least to the month").click()
        page.wait_for_function("() => new URL(location.href).searchParams.get('month') === '1'", timeout=30_000)
        after = drawn_incidents(page, timeout=5)
        for _ in range(40):
            after = drawn_incidents(page, timeout=2)
            if after is not None and after < MAPPED:
                break
        assert after is not None and 0 < after < MAPPED
        screenshot(page, "app-month-filter")
        assert page.outside == []


def test_clicking_a_marker_shows_its_details(server, playwright, chromium):
    with offline_page(playwright, chromium) as page:
        page.goto(server + "/?subject=RU-TOM&c=56.5,84.97&z=9")
        frame = map_frame(page)
        marker = frame.locator(".incident-marker").first
        marker.wait_for(timeout=30_000)
        marker.click(force=True)
        page.get_by_text("Leninsky District Court of Tomsk", exact=False).first.wait_for(timeout=30_000)
        assert page.get_by_text("Memorial / Civic Assistance (2020)").first.is_visible()
        screenshot(page, "app-details")
        assert page.outside == []


@pytest.fixture(scope="module")
def hostile_dataset(tmp_path_factory):
    """The real layers with a script payload in one record's title, outcome and quote."""
    folder = tmp_path_factory.mktemp("hostile")
    for name in LAYER_NAMES:
        shutil.copy(layer_path(name), folder / f"{name}.geojson")
    path = folder / "incidents.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    feature = next(f for f in data["features"] if f["id"] == "mem20-court-13-tomsk")
    props = feature["properties"]
    props["title"] = "Hostile " + PAYLOAD
    props["outcome"] = PAYLOAD
    props["sources"][0]["quote"] = "Quote " + PAYLOAD + " `${window.__xss=3}`"
    path.write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_script_in_a_record_is_shown_as_text_and_runs_nothing(hostile_dataset, playwright, chromium):
    with streamlit_server({"INCIDENT_DATA_DIR": str(hostile_dataset)}) as url, \
            offline_page(playwright, chromium) as page:
        page.goto(url + "/?subject=RU-TOM&rec=mem20-court-13-tomsk&c=56.5,84.97&z=9")
        frame = map_frame(page)
        marker = frame.locator(".incident-marker").first
        marker.wait_for(timeout=30_000)
        marker.hover(force=True)
        frame.locator(".leaflet-tooltip").first.wait_for(timeout=10_000)
        assert "<img src=x" in frame.locator(".leaflet-tooltip").first.inner_text()
        page.get_by_text("Hostile <img", exact=False).first.wait_for(timeout=30_000)
        screenshot(page, "app-xss-as-text")
        for f in page.frames:
            assert f.evaluate("() => window.__xss") is None, f"payload ran in {f.url}"
        assert page.outside == [] or all("x" == u.rsplit("/", 1)[-1] for u in page.outside)


def test_standalone_html_export_draws_offline_with_caption(playwright, chromium, tmp_path):
    from geo.view.dataset import load_bundle
    from geo.outputs.export import export, make_view
    from geo.view.filters import IncidentFilter
    path = export(make_view(load_bundle(), IncidentFilter(types=("court_decision",)), title="Court decisions"),
                  "html", tmp_path / "courts.html")
    with offline_page(playwright, chromium) as page:
        page.goto(path.as_uri())
        page.locator(".leaflet-interactive, .marker-cluster").first.wait_for(timeout=30_000)
        assert page.locator(".export-caption").inner_text().count("GeoNames") == 1
        assert "PUBLIC RELEASE" in page.locator(".export-caption").inner_text()
        assert page.locator(".map-legend").count() == 1
        page.wait_for_timeout(1500)   # let the outlines redraw after the map fits the records
        screenshot(page, "export-html")
        assert page.outside == [] and not page.errors


def test_bad_links_show_a_warning_and_never_a_traceback(server, playwright, chromium):
    from urllib.parse import urlencode

    from tests.test_link import BAD_LINKS
    with offline_page(playwright, chromium) as page:
        for number, params in enumerate(BAD_LINKS):
            page.goto(server + "/?" + urlencode(params))
            page.get_by_text("Shared link:").first.wait_for(timeout=60_000)
            page.get_by_text("Incidents in view").first.wait_for(timeout=60_000)
            map_frame(page)                       # the whole page ran, down to the map
            if number == 0:
                screenshot(page, "app-bad-link")
            shown = page.locator("body").inner_text()
            assert page.locator('[data-testid="stException"]').count() == 0, params
            assert "Traceback" not in shown and "Error" not in shown.replace("errors", ""), params
            assert all(len(w) < 500 for w in page.get_by_text("Shared link:").all_inner_texts()), params
        assert page.outside == [] and not page.errors


def test_template_syntax_in_an_export_title_is_shown_as_typed(playwright, chromium, tmp_path):
    from geo.outputs.export import export, make_view
    from geo.view.dataset import load_bundle
    from geo.view.filters import IncidentFilter
    title = "Costs {{7*7}} {% x {# y 100% $5 <b>not bold</b>"
    path = export(make_view(load_bundle(), IncidentFilter(subjects=("RU-TOM",)), title=title), "html",
                  tmp_path / "title.html")
    with offline_page(playwright, chromium) as page:
        page.goto(path.as_uri())
        page.locator(".leaflet-interactive, .marker-cluster").first.wait_for(timeout=30_000)
        assert page.locator(".export-title").inner_text() == title
        assert page.locator(".export-title b").count() == 0
        assert not page.errors
