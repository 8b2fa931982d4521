"""The app on a team store of 1,000,000 incidents, in Chromium: sign in, change a filter, and time
until the map has changed; the app process's memory. Screenshots of the sign-in page and of the
map for a researcher and for a viewer go to test-artifacts/.

    .venv/bin/python bench/team_app.py [--n 1000000] [--changes 6] [--write]

The store is bench/team_store.py's (made once). A filter change is the time window's start moved
by a year (keyboard on the slider; every change a new filter); the time runs from the click until the counts
above the map and the map's own drawing (the cells' labels in its iframe) both differ from before.
Where a change's time goes is read off the app's websocket frames: when the browser asks for the
rerun, when st_folium's delta with the new feature group arrives, and the redraw after it.
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


class Frames:
    """The app's websocket traffic, timed: what the browser sent and what came back."""

    def __init__(self, page):
        self.sent, self.received = [], []
        page.on("websocket", self._watch)

    def _watch(self, socket) -> None:
        socket.on("framesent", lambda frame: self.sent.append(time.perf_counter()))
        socket.on("framereceived", lambda frame: self.received.append(
            (time.perf_counter(), frame if isinstance(frame, bytes) else frame.encode())))

    def clear(self) -> None:
        self.sent.clear()
        self.received.clear()


def change_filter(page, frames: Frames, key: str = "ArrowRight") -> dict[str, float]:
    """One year off the start of the time window (the slider's first handle, by keyboard): a new
    filter every time, so nothing is answered from the app's cache of earlier answers. Seconds from
    the key press until the rerun is asked for, the map's new feature group arrives (st_folium's
    delta: the script has run up to the map) and the counts and map have both changed on screen;
    the size of that delta."""
    before_counts, before_map = page.locator(COUNTS).first.inner_text(), drawing(page)
    handle = page.get_by_role("slider").first
    handle.focus()
    frames.clear()
    started = time.perf_counter()
    handle.press(key)
    deadline, shown = started + 60, float("nan")
    while time.perf_counter() < deadline:
        if page.locator(COUNTS).first.inner_text() != before_counts and drawing(page) not in ("", before_map):
            shown = time.perf_counter() - started
            break
        page.wait_for_timeout(20)
    mapped = [(at, len(frame)) for at, frame in frames.received if b"map_div" in frame]
    return {"shown": shown, "asked": frames.sent[0] - started if frames.sent else float("nan"),
            "map_delta": mapped[0][0] - started if mapped else float("nan"),
            "map_kb": mapped[0][1] / 1024 if mapped else float("nan")}


def _median(changes: list[dict], key: str) -> float:
    return statistics.median(c[key] for c in changes)


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
        frames = Frames(page)
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
        changes = [change_filter(page, frames) for _ in range(args.changes)]
        times = [c["shown"] for c in changes]
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
        "- Where it goes (median): the browser asks for the rerun after "
        f"{_median(changes, 'asked'):.2f} s (Streamlit's slider); the map's new feature group "
        f"({_median(changes, 'map_kb'):.0f} KB to st_folium) arrives {_median(changes, 'map_delta'):.2f} s after the key "
        f"press — the script's rerun up to the map: sidebar, the store's answer (see the PostGIS section for its "
        f"SQL), building the map —; the counts and map have changed "
        f"{statistics.median(t - c['map_delta'] for t, c in zip(times, changes)):.2f} s later (the "
        "component's redraw). The record list (1,000 rows) is asked for and sent after the map.",
        f"- App process RSS after the changes: **{rss['VmRSS']:.0f} MB** (peak {rss['VmHWM']:.0f} MB); "
        f"after a viewer's session too: {rss_after_viewer['VmRSS']:.0f} MB (peak {rss_after_viewer['VmHWM']:.0f} MB)",
        f"- Screenshots: {', '.join(s.name for s in shots)} (test-artifacts/)",
    ]
    text = "\n".join(lines)
    publish("team-app", text, args.write, "The app on a team store of 1,000,000 incidents (Chromium)")


if __name__ == "__main__":
    main()
