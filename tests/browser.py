"""Helpers for the browser tests: a Streamlit server on 127.0.0.1 and Debian's Chromium with
every request that leaves localhost blocked (and recorded)."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Every host name but localhost fails to resolve (an address outside would still connect: the
# pages here name hosts, and the intercepting mode below catches both).
OFFLINE_RESOLVER = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"
LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:", "file:")


def chromium_or_skip() -> str:
    path = shutil.which("chromium")
    if not path:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium); ./test.sh installs it as root")
    if not (ROOT / "static" / "vendor" / "leaflet").is_dir():
        pytest.skip("offline map assets missing: run npm ci && python scripts/vendor_assets.py (./test.sh does)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(env_extra: dict | None = None):
    """The app served on a free port of 127.0.0.1; yields its URL."""
    with streamlit_process(env_extra) as (url, _):
        yield url


@contextlib.contextmanager
def streamlit_process(env_extra: dict | None = None, log: Path | None = None, timeout: float = 60.0):
    """As streamlit_server, yielding (url, the server's Popen) for benchmarks that watch it. With
    `log`, the server's output goes to that file (read afterwards; a pipe nobody reads would stall
    a server that prints much)."""
    port = free_port()
    env = {**os.environ, **(env_extra or {})}
    out = open(log, "wb") if log else subprocess.PIPE
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.server", "--server.address", "127.0.0.1",   # as ./start.sh serves app.py
             "--server.port", str(port), "--server.headless", "true", "--server.enableStaticServing", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    finally:
        if log:
            out.close()
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_for_health(url, timeout):
            output = log.read_text(errors="replace") if log else proc.stdout.read().decode(errors="replace")
            raise RuntimeError("streamlit did not start: " + output[-2000:])
        yield url, proc
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def wait_for_health(url: str, timeout: float = 60.0) -> bool:
    """Until the server at `url` answers its health check; False if it does not within `timeout`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                return True
        except OSError:
            time.sleep(0.3)
    return False


@contextlib.contextmanager
def offline_page(playwright, executable: str, viewport=(1500, 1100), intercept: bool = True):
    """A page whose requests outside localhost are aborted; `page.outside` lists them.

    With intercept=False (benchmarks) no request waits for Playwright's routing (each one is a
    round trip to this process): Chromium resolves no host name but localhost, so a request
    outside fails by itself, and is listed all the same."""
    args = CHROMIUM_ARGS if intercept else [*CHROMIUM_ARGS, OFFLINE_RESOLVER]
    browser = playwright.chromium.launch(executable_path=executable, args=args)
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.outside = []
    page.errors = []

    def route(r):
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    if intercept:
        page.context.route("**/*", route)
    else:
        page.on("request", lambda r: None if r.url.startswith(LOCAL) else page.outside.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    try:
        yield page
    finally:
        browser.close()


def map_frame(page):
    page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"] >> nth=0')
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    return frame


def drawn_incidents(page, expected=None, timeout=30.0) -> int:
    """How many incident markers the map's cluster group holds (all of them, in view or not);
    looked at once at least (timeout=0: once)."""
    deadline = time.time() + timeout
    count = None
    while True:
        for frame in page.frames[1:]:
            with contextlib.suppress(Exception):
                count = frame.evaluate("""() => {
                    if (!window.map) return null;
                    const groups = Object.values(window.map._layers).filter(l => l._featureGroup && l.getLayers);
                    return groups.length ? groups[0].getLayers().length : null; }""")
                if count is not None and (expected is None or count == expected):
                    return count
        if time.time() >= deadline:
            return count
        page.wait_for_timeout(500)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def leaflet_frame(page, timeout: float = 60.0):
    """The frame of the st_folium iframe (or the page itself, for a standalone map) with its
    Leaflet map as window.map."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            with contextlib.suppress(Exception):
                if frame.evaluate("() => !!(window.map && window.map.getCenter)"):
                    return frame
        page.wait_for_timeout(250)
    raise AssertionError("no Leaflet map in the page")


def map_view(page) -> dict:
    """The map's actual centre and zoom, read from Leaflet in the page."""
    return leaflet_frame(page).evaluate(
        "() => { const c = window.map.getCenter(); return {lat: c.lat, lng: c.lng, zoom: window.map.getZoom()}; }")


def pixel_degrees(zoom: float) -> float:
    """Degrees of longitude per screen pixel at a zoom (Web Mercator, 256 px tiles)."""
    return 360 / (256 * 2 ** zoom)


def wait_for_view(page, center, zoom, timeout: float = 45.0, settle_ms: int = 1200) -> dict:
    """Wait until the map shows `center` (within 2 px) at `zoom`, and still does after
    `settle_ms` (nothing moves it back); returns what was measured last. The map's iframe can be
    replaced while it is read (a page switch, a rerun under load): a failed read is read again."""
    deadline = time.time() + timeout
    tolerance = 2 * pixel_degrees(zoom)
    close = lambda v: (v is not None and v["zoom"] == zoom and abs(v["lat"] - center[0]) <= tolerance
                       and abs(v["lng"] - center[1]) <= tolerance)

    def read():
        with contextlib.suppress(Exception):
            return map_view(page)
        return None

    seen = None
    while True:
        seen = read() or seen
        if close(seen):
            page.wait_for_timeout(settle_ms)
            again = read()
            if close(again):
                return again
            seen = again or seen
        if time.time() >= deadline:
            break
        page.wait_for_timeout(250)
    raise AssertionError(f"the map shows {seen}, not {center} at zoom {zoom}")


def url_params(page) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlparse
    return dict(parse_qsl(urlparse(page.url).query))


def wait_for_url(page, timeout: float = 20.0, **expected: str) -> dict[str, str]:
    """Wait until the address bar's parameters include `expected`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        params = url_params(page)
        if all(params.get(k) == v for k, v in expected.items()):
            return params
        page.wait_for_timeout(200)
    raise AssertionError(f"the URL has {url_params(page)}, expected {expected}")


def highlighted_records(page) -> set[str]:
    """Ids of the incident markers drawn highlighted (all of them, clustered or not)."""
    return set(leaflet_frame(page).evaluate("""() => { const ids = [];
        window.map.eachLayer(g => { if (g.getVisibleParent) g.eachLayer(m => {
            if (m.feature && m.options.highlighted) ids.push(m.feature.id); }); });
        return ids; }"""))


# Left out of axe's check: the timeline's drag rectangles, which Vega-Lite draws as
# role="graphics-symbol" groups with no label and no way to set one (its interval selection marks
# take no `aria`/`description`; the same upstream bug as vega/vega-lite#9623 for voronoi layers).
VEGA_BRUSH = "[['.brush_brush_bg'], ['.brush_brush']]"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"   # installed by npm ci (package-lock.json)


def axe_violations(target, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (injected from node_modules, never committed) in a page or frame; the
    violations of the given impacts, each with the first few elements it names."""
    if not AXE.exists():
        pytest.skip("axe-core missing: run npm ci (./test.sh does)")
    target.add_script_tag(path=str(AXE))
    found = target.evaluate("""async () => {
        const VEGA_BRUSH = """ + VEGA_BRUSH + """;
        const result = await axe.run({exclude: VEGA_BRUSH}, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)})); }""")
    return [v for v in found if v["impact"] in impacts]


def wait_until_idle(page, timeout: float = 30.0) -> None:
    """Until the app is not running a script and shows no stale (faded) element, for 1 s."""
    page.wait_for_function("""() => {
        const busy = document.querySelector('[data-testid="stStatusWidget"]') || document.querySelector('[data-stale="true"]');
        if (busy) { window.__idleSince = null; return false; }
        window.__idleSince = window.__idleSince || Date.now();
        return Date.now() - window.__idleSince > 1000; }""", timeout=timeout * 1000, polling=200)
