"""Benchmark the app on the seed data: cold start to painted map (by phase), and a filter change.

    .venv/bin/python bench/app_bench.py [--runs 5] [--launcher project|streamlit] [--write]

Prints numbers; it asserts nothing (speed targets are checked by reading them, not by tests).
The machine is shared: each cold start is a new server, repeated --runs times; medians are
reported with the load average before and after.

- cold start, by phase, from launching the server (`./start.sh`'s launcher, `python -m ui.server`,
  or with --launcher streamlit a bare `streamlit run app.py`): server answers /_stcore/health;
  headless Chromium has started (an empty page, before the app's address is opened); the page's
  websocket opens (Streamlit's frontend has booted); the map's component iframe is requested
  (Streamlit creates it when the first script run has finished); Leaflet has loaded in it; the
  basemap outlines are drawn; incident markers are painted (network outside localhost blocked).
  With each phase, the CPU seconds used so far by the server process and by Chromium's
  processes: on a shared machine the wall time includes waiting for a core, the CPU time is the
  work itself.
- filter change, server side: AppTest rerun time after changing the type filter (median);
- filter change, in the browser: from clicking a filter to the map holding the new markers.
--write puts the table into docs/benchmarks.md (section "app").
"""
from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import publish  # noqa: E402
from tests.browser import (CHROMIUM_ARGS, LOCAL, chromium_or_skip, drawn_incidents, free_port,  # noqa: E402
                           map_frame, offline_page, wait_for_health)

# Installed in every frame before its scripts run: when the map's container, its first outline and
# its first incident marker (or cluster) appear, in epoch milliseconds; looked for every 10 ms.
WATCH = """(() => {
  if (window === window.top) return;   // only the map's iframe: a timer in the page would compete with it
  const seen = {};
  window.__phases = seen;
  const mark = (name) => { if (!(name in seen)) seen[name] = performance.timeOrigin + performance.now(); };
  const timer = setInterval(() => {   // every 10 ms: about a frame
    if (document.querySelector('.leaflet-container')) mark('leaflet');
    if (document.querySelector('.leaflet-pane path')) mark('outlines');
    if (document.querySelector('.leaflet-marker-pane > *')) { mark('markers'); clearInterval(timer); }
  }, 10);
})();"""
PHASES = ("server ready", "browser started", "frontend booted", "map requested", "leaflet loaded", "outlines drawn",
          "markers painted")
# The phases Python sees as they happen: CPU seconds are read then (the others are timed in the page).
CPU_PHASES = ("server ready", "browser started", "frontend booted", "map requested", "markers painted")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, ValueError, IndexError):   # gone meanwhile
            continue
    return total


def chromium_pids(server: int) -> list[int]:
    """The Chromium processes this benchmark started (children of Playwright's driver)."""
    found = []
    for child in Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split():
        if int(child) == server:
            continue
        try:
            found += [int(c) for c in Path(f"/proc/{child}/task/{child}/children").read_text().split()]
        except OSError:
            continue
    return found


def launcher_command(kind: str, port: int) -> list[str]:
    options = ["--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
               "--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false"]
    if kind == "streamlit":
        return [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), *options]
    return [sys.executable, "-m", "ui.server", *options]


def cold_start(playwright, chromium: str, kind: str, browser: str = "open",
               intercept: bool = False) -> tuple[dict[str, float], dict[str, tuple[float, float]]]:
    """Seconds from launch to each phase, and (server CPU, Chromium CPU) seconds at the phases
    Python sees. browser="open": Chromium is running before the server is launched (as a user's
    browser is) and opens the address once the server answers; "launch": Chromium is started then."""
    with contextlib.ExitStack() as stack:
        page = None
        if browser == "open":   # started, and settled: a user's browser is not starting up either
            page = stack.enter_context(offline_page(playwright, chromium, intercept=intercept))
            _settle(page)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        launched = time.time()
        proc = subprocess.Popen(launcher_command(kind, port), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        stack.callback(_stop, proc)
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                if time.time() - launched > 60:
                    raise RuntimeError("the server did not start in 60 s") from None
                time.sleep(0.02)
        phases, cpu = {}, {}

        def reached(name: str) -> None:
            if name not in phases:
                phases[name] = time.time()
                cpu[name] = (cpu_seconds(proc.pid), sum(cpu_seconds(p) for p in chromium_pids(proc.pid)))

        reached("server ready")
        if page is None:
            page = stack.enter_context(offline_page(playwright, chromium, intercept=intercept))
            reached("browser started")
        page.context.add_init_script(WATCH)
        page.on("websocket", lambda ws: reached("frontend booted"))
        page.on("request", lambda r: reached("map requested") if "streamlit_folium" in r.url else None)
        page.goto(url)
        map_frame(page).locator(".leaflet-marker-pane > *").first.wait_for(timeout=60_000)
        reached("markers painted")   # as Playwright sees them: CPU only (the time comes from the page)
        del phases["markers painted"]
        for frame in page.frames[1:]:
            try:
                seen = frame.evaluate("() => window.__phases || null")
            except Exception:   # a frame that went away
                continue
            if seen and "markers" in seen:
                phases["leaflet loaded"] = seen["leaflet"] / 1000
                phases["outlines drawn"] = seen.get("outlines", seen["markers"]) / 1000
                phases["markers painted"] = seen["markers"] / 1000
        if page.outside:
            print(f"warning: requests outside localhost: {page.outside}")
        return {name: phases[name] - launched for name in PHASES if name in phases}, cpu


def _settle(page, quiet: float = 0.02, longest: float = 10.0) -> None:
    """Wait until Chromium's processes use almost no CPU (under `quiet` s in 0.3 s)."""
    def used() -> float:
        return sum(cpu_seconds(p) for p in chromium_pids(-1))
    deadline, last = time.time() + longest, used()
    while time.time() < deadline:
        page.wait_for_timeout(300)
        now = used()
        if now - last < quiet:
            return
        last = now


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def server_rerun_times(runs: int) -> list[float]:
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    times = []
    choices = [["court_decision"], ["abduction", "escape"], ["arrest_detention"]]
    for i in range(runs):
        started = time.perf_counter()
        at.multiselect(key="types").set_value(choices[i % len(choices)]).run()
        times.append(time.perf_counter() - started)
    return times


def browser_filter_changes(playwright, chromium: str, kind: str, runs: int, intercept: bool = False) -> list[float]:
    port = free_port()
    proc = subprocess.Popen(launcher_command(kind, port), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url)
        with offline_page(playwright, chromium, intercept=intercept) as page:
            page.goto(url)
            map_frame(page).locator(".leaflet-marker-pane > *").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1500)
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
                    page.wait_for_timeout(10)
                changes.append(time.perf_counter() - t0)
                page.wait_for_timeout(500)
        return changes
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def median_line(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--launcher", choices=("project", "streamlit"), default="project")
    parser.add_argument("--browser", choices=("open", "launch"), default="open",
                        help="open: Chromium runs before the server is launched, as a user's browser does (default); "
                             "launch: it is started once the server answers")
    parser.add_argument("--intercept", action="store_true",
                        help="route every request through Playwright (as the tests do) instead of Chromium's resolver")
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright
    chromium = chromium_or_skip()
    load_before = os.getloadavg()
    cold, cold_cpu = [], []
    with sync_playwright() as p:
        for i in range(args.runs):
            run, cpu = cold_start(p, chromium, args.launcher, args.browser, args.intercept)
            cold.append(run)
            cold_cpu.append(cpu)
            print("cold start {i}: ".format(i=i + 1) + ", ".join(f"{k} {v:.2f}" for k, v in run.items())
                  + " | CPU server/Chromium: " + ", ".join(f"{k} {s:.2f}/{c:.2f}" for k, (s, c) in cpu.items())
                  + f" (load {os.getloadavg()[0]:.1f})", flush=True)
        changes = browser_filter_changes(p, chromium, args.launcher, args.runs, args.intercept)
    reruns = server_rerun_times(args.runs)
    load_after = os.getloadavg()
    def cpu_cell(name: str, which: int) -> str:
        values = [c[name][which] for c in cold_cpu if name in c]
        return f"{statistics.median(values):.2f}" if values else "–"

    rows = [f"| {name} | {median_line([r[name] for r in cold if name in r])} | {cpu_cell(name, 0)} | "
            f"{cpu_cell(name, 1)} |" for name in PHASES if any(name in r for r in cold)]
    text = "\n".join([
        "# The app on the seed data: cold start and filter changes",
        "",
        f"Command: `.venv/bin/python bench/app_bench.py --runs {args.runs} --launcher {args.launcher} "
        f"--browser {args.browser}{' --intercept' if args.intercept else ''}` (from the repository root). Each cold "
        "start launches a new server and opens the page in a new headless Chromium, "
        + ("started before the server (as a user's browser is already running)" if args.browser == "open" else
           "started once the server answers")
        + "; nothing outside localhost loads ("
        + ("every request routed through Playwright" if args.intercept else "Chromium resolves only localhost")
        + "). Seconds from launching the server; median (min–max) of "
        f"{args.runs} runs. Load average "
        f"{load_before[0]:.1f} / {load_before[1]:.1f} (1 / 5 min) before, {load_after[0]:.1f} / {load_after[1]:.1f} after.",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}.",
        "CPU columns: seconds of CPU used since launch by the server process and by Chromium's processes, "
        "median of the runs (read when Python sees the phase; markers: when Playwright sees them).",
        "",
        "| phase (from launch) | seconds | server CPU s | Chromium CPU s |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        f"Filter change (the month-only switch) to the map holding the new markers, in Chromium: "
        f"{median_line(changes)} s; the script rerun alone (AppTest, type filter): {median_line(reruns)} s.",
    ])
    publish(f"app-{args.launcher}" + ("" if args.browser == "open" else "-launch"), text, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
