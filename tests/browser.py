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
def streamlit_process(env_extra: dict | None = None):
    """As streamlit_server, yielding (url, the server's Popen) for benchmarks that watch it."""
    port = free_port()
    env = {**os.environ, **(env_extra or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--server.enableStaticServing", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
        yield url, proc
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            proc.kill()


@contextlib.contextmanager
def offline_page(playwright, executable: str, viewport=(1500, 1100)):
    """A page whose requests outside localhost are aborted; `page.outside` lists them."""
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.outside = []
    page.errors = []

    def route(r):
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    page.context.route("**/*", route)
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
    """How many incident markers the map's cluster group holds (all of them, in view or not)."""
    deadline = time.time() + timeout
    count = None
    while time.time() < deadline:
        for frame in page.frames[1:]:
            with contextlib.suppress(Exception):
                count = frame.evaluate("""() => {
                    if (!window.map) return null;
                    const groups = Object.values(window.map._layers).filter(l => l._featureGroup && l.getLayers);
                    return groups.length ? groups[0].getLayers().length : null; }""")
                if count is not None and (expected is None or count == expected):
                    return count
        time.sleep(0.5)
    return count


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
