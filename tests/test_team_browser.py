"""A viewer of a team store in Chromium: what reaches the browser holds no name — the map
component's data (every layer's features and the map document itself), and Streamlit's static file
serving (only the vendored map assets and the basemap outlines are there; nothing else is served)."""
from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from geo.outputs.redaction import PUBLIC_FIGURES, register_names
from geo.view.dataset import load_bundle
from tests.browser import ROOT, map_frame, offline_page, screenshot, streamlit_server
from tests.team_fixture import PASSWORD, imported_store

pytest.importorskip("playwright.sync_api")

BUNDLE = load_bundle()
NAMES = register_names(BUNDLE.incidents, *BUNDLE.sites.values())


def names_in(text: str) -> list[str]:
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^<>]*>", " ", text, flags=re.S)
    for figure in PUBLIC_FIGURES:
        text = re.sub(re.escape(figure), " ", text, flags=re.I)
    return [n for n in NAMES if re.search(r"(?<![A-Za-z])" + re.escape(n) + r"(?![A-Za-z])", text)]


def status(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_a_viewer_gets_no_name_through_the_component_or_static_files(chromium, postgis_cluster):
    served = sorted(p.relative_to(ROOT / "static").parts[0] for p in (ROOT / "static").iterdir())
    assert served == ["basemap", "vendor"]          # the whole of what static serving can hand out
    assert not [p for p in (ROOT / "static").rglob("*") if p.suffix in (".parquet", ".yaml", ".csv", ".jsonl", ".gpkg")
                or (p.suffix == ".geojson" and p.parent.name != "basemap")]
    url = imported_store(postgis_cluster)
    from playwright.sync_api import sync_playwright
    with streamlit_server({"INCIDENT_STORE": url, "INCIDENT_DATA_DIR": ""}) as app, sync_playwright() as p, \
            offline_page(p, chromium) as page:
        for path in ("data/incidents.geojson", "incidents.geojson", "../data/incidents.geojson",
                     "%2e%2e/data/incidents.geojson", "..%2fdata%2fregister", "../.pgdata/store-url"):
            code, body = status(f"{app}/app/static/{path}")
            assert code != 200 or b'"people_names"' not in body, path
        code, body = status(f"{app}/app/static/basemap/subjects.geojson")
        assert code == 200 and not names_in(body.decode("utf-8"))
        page.goto(app + "/?rec=" + next(i for i, n in zip(BUNDLE.incidents["id"], BUNDLE.incidents["people_names"]) if n))
        page.get_by_label("User name").fill("vera")
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        frame = map_frame(page)
        frame.locator(".leaflet-marker-icon").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        screenshot(page, "team-viewer-map-register")
        payload = next(f for f in page.frames if f.evaluate("() => !!window.map")).evaluate("""() => {
            const features = [];
            const walk = layer => {
                if (layer.feature) features.push(layer.feature);
                if (layer.getLayers) layer.getLayers().forEach(walk);
            };
            Object.values(window.map._layers).forEach(walk);
            return {features: JSON.stringify(features), html: document.documentElement.outerHTML};
        }""")
        assert '"layer":"incidents"' in payload["features"]          # the records are there, redacted
        assert not names_in(payload["features"]), "a name in the map's features"
        assert not names_in(payload["html"]), "a name in the map document"
        page_text = page.locator("[data-testid=stMain]").inner_text()
        assert "Public release" in page.locator("[data-testid=stSidebar]").inner_text()
        assert not names_in(page_text) and not page.outside


def test_a_reload_stays_signed_in_until_sign_out(chromium, postgis_cluster):
    """The browser keeps the session (a cookie): a reload or a new tab opens the map signed in;
    after Sign out a reload shows the sign-in page, and a copied token of a signed-out session
    opens nothing."""
    url = imported_store(postgis_cluster)
    from playwright.sync_api import sync_playwright
    with streamlit_server({"INCIDENT_STORE": url, "INCIDENT_DATA_DIR": ""}) as app, sync_playwright() as p, \
            offline_page(p, chromium) as page:
        page.goto(app)
        page.get_by_label("User name").fill("edda")
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.get_by_text("Signed in as").wait_for(timeout=60_000)
        page.wait_for_function("() => document.cookie.includes('incident_map_session=')", timeout=20_000)
        cookie = next(c for c in page.context.cookies() if c["name"] == "incident_map_session")
        assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0

        page.reload()
        sidebar.get_by_text("Signed in as").wait_for(timeout=60_000)
        assert "edda" in sidebar.inner_text()
        map_frame(page)
        with page.expect_popup() as opened:        # a new tab of the same browser
            page.evaluate("(url) => window.open(url)", app)
        second = opened.value
        second.locator("[data-testid=stSidebar]").get_by_text("Signed in as").wait_for(timeout=60_000)
        screenshot(page, "team-signed-in-after-reload")
        second.close()

        sidebar.get_by_role("button", name="Sign out").click()
        page.get_by_label("User name").wait_for(timeout=30_000)
        page.wait_for_function("() => !document.cookie.includes('incident_map_session=')", timeout=20_000)
        page.reload()
        page.get_by_label("User name").wait_for(timeout=60_000)
        assert page.get_by_text("Signed in as").count() == 0

        page.context.add_cookies([{**cookie, "value": cookie["value"]}])   # the old token, put back by hand
        page.reload()
        page.get_by_label("User name").wait_for(timeout=60_000)
        assert page.get_by_text("Signed in as").count() == 0
        assert not page.outside
