"""Benchmark playback steps on a large synthetic dataset: each step must render in <= 0.5 s.

    .venv/bin/python -m bench playback [--n 100000] [--steps 8] [--no-browser] [--write]

Prints numbers; it asserts nothing. The app runs on `python -m geo synth --n N --seed 1`
(INCIDENT_DATA_DIR), at its default view (fitted to the records).

- server, per step: the whole script rerun after a step (AppTest), for each window width (a
  month, a year, five years). "Playing" sets the window as the playback timer does (the records
  table is left out while playing); "Next" clicks the step button (paused: the table is drawn too).
- browser, per step: in headless Chromium (nothing outside localhost), from clicking "Next" to the
  address bar showing the new window and the map in its iframe holding the new content; with the
  CPU seconds the server process and Chromium's processes used meanwhile.
--write puts the table into docs/benchmarks.md (section "playback").
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import publish  # noqa: E402
from bench.synthetic import CACHE  # noqa: E402

WIDTHS = ("month", "year", "5years")
START_YEAR = 2010      # synthetic records run through the 2010s: every step has records in view
# st_folium swaps in a new feature group for new content: mark the layers drawn now, then wait
# for a group without the mark.
MARK_LAYERS = "() => { window.map.eachLayer(l => { l._benchSeen = true; }); }"
NEW_GROUP = """() => { let fresh = false;
    window.map.eachLayer(l => { if (!l._benchSeen && l.getLayers) fresh = true; }); return fresh; }"""


def server_steps(steps: int) -> dict[str, dict[str, tuple[list[float], list[float]]]]:
    """Per width and kind of step: (wall seconds, CPU seconds of this process) per step. On a
    shared machine the wall time includes waiting for a core; the CPU time is the work itself."""
    from streamlit.testing.v1 import AppTest

    from ui.timeline import set_window  # noqa: F401  (imported here: the app's modules, warm)
    results: dict[str, dict[str, tuple[list[float], list[float]]]] = {}
    for width in WIDTHS:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params.update({"from": str(START_YEAR), "to": str(START_YEAR)})
        at.run()
        at.selectbox(key="play_width").set_value(width).run()
        at.button(key="play_next").click().run()          # aligns the window to the width
        nexts, nexts_cpu = [], []
        for _ in range(steps):
            started, cpu = time.perf_counter(), time.process_time()
            at.button(key="play_next").click().run()
            nexts.append(time.perf_counter() - started)
            nexts_cpu.append(time.process_time() - cpu)
            assert not at.exception, at.exception
        # playing: the timer's steps, from the start again (from where Next left off, the last
        # steps would reach the end of the records, where playback stops and draws the table)
        at.session_state["years"], at.session_state["time_months"] = (START_YEAR, START_YEAR), None
        at.run()
        at.button(key="play_start").click().run()
        playing, playing_cpu = [], []
        for _ in range(steps):
            years, months = at.session_state["years"], at.session_state["time_months"]
            first, last = _months(years, months)
            step = {"month": 1, "year": 12, "5years": 12}[width]
            first, last = first + step, last + step
            at.session_state["years"] = (first // 12, last // 12)
            at.session_state["time_months"] = (None if (first % 12, last % 12) == (0, 11)
                                               else (first // 12, first % 12 + 1, last // 12, last % 12 + 1))
            at.session_state["playing"] = True
            started, cpu = time.perf_counter(), time.process_time()
            at.run()
            playing.append(time.perf_counter() - started)
            playing_cpu.append(time.process_time() - cpu)
            assert not at.exception, at.exception
        results[width] = {"Next (paused)": (nexts, nexts_cpu), "playing": (playing, playing_cpu)}
        print(f"  server {width}: next {_line(nexts)} s (CPU {_line(nexts_cpu)}), playing {_line(playing)} s "
              f"(CPU {_line(playing_cpu)})", flush=True)
    return results


def _months(years, months) -> tuple[int, int]:
    if months:
        y0, m0, y1, m1 = months
        return y0 * 12 + m0 - 1, y1 * 12 + m1 - 1
    return years[0] * 12, years[1] * 12 + 11


def browser_steps(folder: Path, steps: int) -> tuple[list[float], ...]:
    """Per Next step: wall seconds, server CPU seconds, Chromium CPU seconds; per playing step: wall
    seconds; per Next step: seconds until the new window's table is drawn."""
    from playwright.sync_api import sync_playwright

    from bench.app_bench import chromium_pids, cpu_seconds
    from tests.browser import (chromium_or_skip, leaflet_frame, offline_page, streamlit_process, url_params,
                               wait_until_idle)

    chromium = chromium_or_skip()
    times, server_cpu, browser_cpu, tables = [], [], [], []
    with streamlit_process({"INCIDENT_DATA_DIR": str(folder)}) as (url, server), sync_playwright() as p:
        def used() -> tuple[float, float]:
            return cpu_seconds(server.pid), sum(cpu_seconds(c) for c in chromium_pids(server.pid))

        with offline_page(p, chromium, intercept=False) as page:
            page.goto(f"{url}/?from={START_YEAR}&to={START_YEAR}", timeout=120_000)
            frame = leaflet_frame(page, timeout=120)
            wait_until_idle(page, timeout=120)
            for i in range(steps):
                frame.evaluate(MARK_LAYERS)
                year = str(START_YEAR + i + 1)
                started, (server_before, browser_before) = time.perf_counter(), used()
                page.get_by_role("button", name="Next").click()
                while True:
                    if url_params(page).get("from") == year and frame.evaluate(NEW_GROUP):
                        break
                    if time.perf_counter() - started > 30:
                        raise RuntimeError(f"step to {year}: the map did not change in 30 s")
                    page.wait_for_timeout(10)
                times.append(time.perf_counter() - started)
                server_after, browser_after = used()
                server_cpu.append(server_after - server_before)
                browser_cpu.append(browser_after - browser_before)
                gone = False   # the table of the old window goes; the new one follows in the next run
                while time.perf_counter() - started < 30:
                    present = page.locator('[data-testid="stDataFrame"]').count() > 0
                    gone = gone or not present
                    if gone and present:
                        tables.append(time.perf_counter() - started)
                        break
                    if not gone and time.perf_counter() - started > times[-1] + 2:
                        break   # the table was redrawn with the map (an app that does not defer it)
                    page.wait_for_timeout(10)
                wait_until_idle(page, timeout=60)
            played = playing_steps(page, f"{url}/?from={START_YEAR}&to={START_YEAR}", steps)
    print(f"  browser year steps: {_line(times)} s (CPU server {_line(server_cpu)}, Chromium {_line(browser_cpu)})",
          flush=True)
    print(f"  browser playing steps: {_line(played)} s; after Next, the table: {_line(tables)} s", flush=True)
    return times, server_cpu, browser_cpu, played, tables


def playing_steps(page, address: str, steps: int) -> list[float]:
    """While playing (a year a second): per step, seconds from the browser's request that moved the
    window (the ticker's rerun that steps) to the map holding the new group. The websocket's
    frames are read as Playwright reports them (within ~10 ms, the polling interval below): a
    step is the first full script run (`new_session` naming no fragment) after a tick, and its
    start is the last frame the browser sent before that run began."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from tests.browser import leaflet_frame, wait_until_idle

    events: list[tuple[float, str]] = []

    def received(payload) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "new_session" and not msg.metadata.run.fragment_ids:   # not a fragment's run
                events.append((time.perf_counter(), "full run"))

    def watch(ws) -> None:
        ws.on("framesent", lambda _: events.append((time.perf_counter(), "sent")))
        ws.on("framereceived", received)

    page.on("websocket", watch)   # the page's websocket is open already: open the page again
    page.goto(address, timeout=120_000)
    frame = leaflet_frame(page, timeout=120)
    wait_until_idle(page, timeout=120)
    page.get_by_role("button", name="Play").click()
    frame.evaluate(MARK_LAYERS)
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < steps + 1 and time.perf_counter() - started < 60:
        if frame.evaluate(NEW_GROUP):
            now = time.perf_counter()
            frame.evaluate(MARK_LAYERS)
            runs = [t for t, kind in events if kind == "full run" and t <= now]
            if runs:
                sent = [t for t, kind in events if kind == "sent" and t <= runs[-1]]
                times.append(now - (sent[-1] if sent else runs[-1]))
        page.wait_for_timeout(10)
    page.get_by_role("button", name="Pause").click()
    return times[1:]   # the first change is Play's own run (a click, not a tick)


def synthetic(n: int) -> Path:
    """Its own synthetic dataset, made by this checkout's `geo synth` (the shared cache in
    bench.synthetic may hold one written by an older schema)."""
    import subprocess
    folder = CACHE / f"playback-{n}-1"
    if not (folder / "incidents.parquet").exists():
        subprocess.run([sys.executable, "-m", "geo", "synth", "--n", str(n), "--seed", "1", "--out", str(folder)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return folder


def _line(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values):.3f} (max {max(values):.3f})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench playback", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    args = parser.parse_args(argv)
    folder = synthetic(args.n)
    os.environ["INCIDENT_DATA_DIR"] = str(folder)
    load_before = os.getloadavg()
    server = server_steps(args.steps)
    browser, browser_cpu, played, tables = None, None, None, None
    if not args.no_browser:
        browser, *browser_cpu, played, tables = browser_steps(folder, args.steps)
    load_after = os.getloadavg()
    rows = [f"| {width} | {kind} | {_line(wall)} | {_line(cpu)} |" for width, kinds in server.items()
            for kind, (wall, cpu) in kinds.items()]
    if browser:
        rows.append(f"| year | click Next → URL and map updated in Chromium | {_line(browser)} | "
                    f"server {_line(browser_cpu[0])}, Chromium {_line(browser_cpu[1])} |")
        rows.append(f"| year | click Next → the records table of the new window (it follows the map) | {_line(tables)} | – |")
        rows.append(f"| year | playing, 1 s a step: the ticker's request → map updated in Chromium | {_line(played)} | – |")
    every = [t for kinds in server.values() for wall, _ in kinds.values() for t in wall] + (browser or []) + (played or [])  # the map's steps
    work = [t for kinds in server.values() for _, cpu in kinds.values() for t in cpu]
    text = "\n".join([
        "## Playback steps at scale",
        "",
        f"Command: `.venv/bin/python -m bench playback --n {args.n} --steps {args.steps}"
        f"{' --no-browser' if args.no_browser else ''}` (from the repository root). {args.n:,} synthetic incidents "
        "(`python -m geo synth --seed 1`), the app at its default view; seconds per step, median (max) of "
        f"{args.steps} steps. Server rows are the whole script rerun (AppTest) after a step; the browser row is "
        "from the click to the address bar and the map showing the new window. Load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after (2 cores, shared).",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}.",
        "",
        "| window | step | wall seconds | CPU seconds |",
        "|---|---|---:|---:|",
        *rows,
        "",
        f"Target ≤ 0.5 s per step: {'met' if max(every) <= 0.5 else 'not met'} in wall time (slowest "
        f"{max(every):.3f} s, median {statistics.median(every):.3f} s); the work itself (CPU) is at most "
        f"{max(work):.3f} s a step.",
    ])
    publish("playback", text, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
