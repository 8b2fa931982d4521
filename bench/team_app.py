"""The app on a team store of 1,000,000 incidents, in Chromium: sign in, change a filter, and time
until the map has changed; the app process's memory. Screenshots of the sign-in page and of the
map for a researcher and for a viewer go to test-artifacts/.

    .venv/bin/python bench/team_app.py [--n 1000000] [--changes 6] [--write]

The store is bench/team_store.py's (made once). A filter change is the time window's start moved
by a year (keyboard on the slider; every change a new filter); the time runs from the click until the counts
above the map and the map's own drawing (the cells' labels in its iframe) both differ from before.
RSS is the Streamlit server's (VmRSS now, VmHWM its peak) after all changes. Prints numbers;
asserts nothing; --write puts them into docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import publish  # noqa: E402
from bench.team_store import PASSWORD, team_store  # noqa: E402
from tests.browser import chromium_or_skip, offline_page, screenshot, streamlit_process  # noqa: E402

COUNTS = "p:has-text('incidents in view')"


def memory(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def sign_in(page, url: str, user: str) -> None:
    page.goto(url)
    page.get_by_label("User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(COUNTS, timeout=180_000)


def drawing(page) -> str:
    """What the map draws now: the labels and count of its markers (cells or records)."""
    for frame in page.frames[1:]:
        try:
            return frame.evaluate("() => { const p = document.querySelector('.leaflet-marker-pane');"
                                  " return p ? p.children.length + ':' + p.innerText : ''; }")
        except Exception:   # noqa: BLE001 - a frame being replaced
            continue
    return ""


def change_filter(page, key: str = "ArrowRight") -> float:
    """One year off the start of the time window (the slider's first handle, by keyboard): a new
    filter every time, so nothing is answered from the app's cache of earlier answers."""
    before_counts, before_map = page.locator(COUNTS).first.inner_text(), drawing(page)
    handle = page.get_by_role("slider").first
    handle.focus()
    started = time.perf_counter()
    handle.press(key)
    deadline = started + 60
    while time.perf_counter() < deadline:
        if page.locator(COUNTS).first.inner_text() != before_counts and drawing(page) not in ("", before_map):
            return time.perf_counter() - started
        page.wait_for_timeout(20)
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=6)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = chromium_or_skip()
    url = team_store(args.n)
    load_before = os.getloadavg()
    with streamlit_process({"INCIDENT_STORE": url}) as (app_url, proc), sync_playwright() as p, \
            offline_page(p, chromium, viewport=(1400, 900)) as page:
        page.goto(app_url)
        page.wait_for_selector("text=Sign in", timeout=60_000)
        page.wait_for_timeout(800)
        shots = [screenshot(page, "team-sign-in")]
        started = time.perf_counter()
        sign_in(page, app_url, "bench-researcher")
        map_drawn = time.perf_counter()
        while drawing(page) == "" and time.perf_counter() - map_drawn < 120:
            page.wait_for_timeout(50)
        first = time.perf_counter() - started
        page.wait_for_timeout(1000)
        shots.append(screenshot(page, "team-researcher-map-1m"))
        times = [change_filter(page) for _ in range(args.changes)]
        page.wait_for_timeout(500)
        rss = memory(proc.pid)
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_selector("text=You are signed out", timeout=60_000)
        sign_in(page, app_url, "bench-viewer")
        page.wait_for_timeout(1000)
        while drawing(page) == "":
            page.wait_for_timeout(100)
        page.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=120_000)
        page.wait_for_timeout(1000)
        shots.append(screenshot(page, "team-viewer-map-1m"))
        rss_after_viewer = memory(proc.pid)
    load_after = os.getloadavg()
    lines = [
        f"- Command: `.venv/bin/python bench/team_app.py --n {args.n} --changes {args.changes}` "
        f"(Streamlit app on a PostGIS store of {args.n:,} synthetic incidents, Debian Chromium, 127.0.0.1)",
        f"- Load average (1/5/15 min) before: {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f}, "
        f"after: {load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f} on 2 cores shared with other work",
        f"- Sign-in to the map drawn: {first:.2f} s (first load of the store's catalogue included)",
        f"- Filter change → counts and map changed in Chromium: median **{statistics.median(times):.2f} s**, "
        f"max {max(times):.2f} s over {len(times)} changes ({', '.join(f'{t:.2f}' for t in times)})",
        f"- App process RSS after the changes: **{rss['VmRSS']:.0f} MB** (peak {rss['VmHWM']:.0f} MB); "
        f"after a viewer's session too: {rss_after_viewer['VmRSS']:.0f} MB (peak {rss_after_viewer['VmHWM']:.0f} MB)",
        f"- Screenshots: {', '.join(s.name for s in shots)} (test-artifacts/)",
    ]
    text = "\n".join(lines)
    publish("team-app", text, args.write, "The app on a team store of 1,000,000 incidents (Chromium)")


if __name__ == "__main__":
    main()
