"""Benchmark the app on the seed data: cold start to painted map, and a filter change.

    .venv/bin/python bench/app_bench.py [--runs 5]

Prints numbers; it asserts nothing (speed targets are checked by reading them, not by tests).
- cold start: from launching `streamlit run` to incident markers painted in headless Chromium
  (network outside localhost blocked);
- filter change, server side: AppTest rerun time after changing the type filter (median);
- filter change, in the browser: from clicking a filter to the map holding the new markers.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.browser import chromium_or_skip, drawn_incidents, map_frame, offline_page, streamlit_server  # noqa: E402


def server_rerun_times(runs: int) -> list[float]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    times = []
    choices = [["court_decision"], ["abduction", "escape"], ["arrest_detention"]]
    for i in range(runs):
        started = time.perf_counter()
        at.multiselect(key="types").set_value(choices[i % len(choices)]).run()
        times.append(time.perf_counter() - started)
    return times


def browser_times(runs: int) -> tuple[float, list[float]]:
    from playwright.sync_api import sync_playwright
    chromium = chromium_or_skip()
    started = time.perf_counter()
    with streamlit_server() as url, sync_playwright() as p, offline_page(p, chromium) as page:
        server_ready = time.perf_counter() - started
        opened = time.perf_counter()
        page.goto(url)
        map_frame(page).locator(".marker-cluster").first.wait_for(timeout=60_000)
        painted = time.perf_counter() - opened
        cold = (server_ready, painted)
        full = drawn_incidents(page)
        changes = []
        toggle = page.get_by_text("Only records dated at least to the month")
        for i in range(runs):
            expected_smaller = i % 2 == 0
            t0 = time.perf_counter()
            toggle.click()
            while True:
                n = drawn_incidents(page, timeout=0.2)
                if n is not None and ((n < full) if expected_smaller else (n == full)):
                    break
                if time.perf_counter() - t0 > 30:
                    raise RuntimeError("the map did not update")
            changes.append(time.perf_counter() - t0)
        if page.outside:
            print(f"warning: requests outside localhost: {page.outside}")
    return cold, changes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    reruns = server_rerun_times(args.runs)
    print(f"filter change, server rerun (AppTest): median {statistics.median(reruns):.3f} s "
          f"(min {min(reruns):.3f}, max {max(reruns):.3f}, n={len(reruns)})")
    cold, changes = browser_times(args.runs)
    server_ready, painted = cold
    print(f"cold start: streamlit launch -> server ready {server_ready:.2f} s; "
          f"page opened -> markers painted (first session, data loaded cold) {painted:.2f} s")
    print(f"filter change to map updated in Chromium: median {statistics.median(changes):.3f} s "
          f"(min {min(changes):.3f}, max {max(changes):.3f}, n={len(changes)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
