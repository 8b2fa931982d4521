"""A bounded load test of a team deployment on 127.0.0.1: concurrent signed-in sessions, some
viewing and filtering, some editing records, for a fixed time. Then every acknowledged save is
looked for in the database and in the change log.

    .venv/bin/python bench/team_load.py [--viewers 15] [--editors 5] [--seconds 120] [--browsers 0] [--write]

The sessions speak Streamlit's websocket protocol (bench/streamlit_client.py): to the server each
is a browser tab, but it costs the machine a coroutine, not a Chromium, so on 2 cores the server
is what is measured. `--browsers N` adds N real Chromium viewers (Playwright) alongside, to show
the browser path works under that load.

The store is a throwaway cluster holding the committed register (a team's real size), one user per
session. A viewer (role viewer) switches "Only records dated at least to the month" and times it
until the script run ends with the other counts above the map; an editor corrects its own record
("Correct this record", a new note, a reason, Save) and times Save until "Corrected …". Server
errors: exception elements sent to any session, tracebacks in the server's log, connections the
server dropped. Also the server's CPU seconds (from /proc), which the other work on a shared
machine does not inflate. Prints numbers; asserts nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.app_bench import cpu_seconds  # noqa: E402
from bench.report import publish  # noqa: E402
from bench.streamlit_client import AppSession, ProtocolError  # noqa: E402
from tests.browser import streamlit_process  # noqa: E402

PASSWORD = "load-test-password"
COUNTS = "p:has-text('incidents in view')"
MONTH_ONLY = "Only records dated at least to the month"
THINK = 0.5          # seconds a person looks at the page before the next action


def register_store(folder: Path, users: dict[str, str]) -> tuple[object, str]:
    from geo.places.gazetteer import read_gazetteer
    from geo.store.auth import Accounts
    from geo.store.cluster import LocalCluster, free_port
    from geo.store.importing import register_rows, source_documents
    from geo.store.postgis import PostGISStore

    cluster = LocalCluster(folder, free_port())
    cluster.init()
    cluster.start()
    cluster.create_database()
    files, rows = register_rows()
    with PostGISStore(cluster.url()) as store:
        store.import_register(files, rows, source_documents(), read_gazetteer(), "importer")
        for name, role in users.items():
            Accounts(store.conn).add_user(name, role, PASSWORD)
    return cluster, cluster.url()


class Tab:
    """One session's counters; `run` is its whole life (sign in, then act until `until`)."""

    def __init__(self, name: str, app_url: str, until: float, record: str | None):
        self.name, self.app_url, self.until, self.record = name, app_url, until, record
        self.latencies: list[float] = []
        self.acknowledged: list[tuple[str, str]] = []     # (reason, note) of every confirmed save
        self.sign_in: float | None = None
        self.exceptions: list[str] = []
        self.dropped: str | None = None
        self.problems: list[str] = []
        self.runs = 0

    async def run(self) -> None:
        tab = None
        try:
            tab = AppSession(self.app_url, f"rec={self.record}" if self.record else "", timeout=120)
            started = time.perf_counter()
            await tab.__aenter__()
            await tab.fill("User name", self.name)
            await tab.fill("Password", PASSWORD)
            await tab.submit("Sign in")
            if not tab.markdown_containing("incidents in view"):
                raise ProtocolError(f"no counts after signing in: {tab.texts()[:3]}")
            self.sign_in = time.perf_counter() - started
            n = 0
            while time.time() < self.until:
                n += 1
                await (self._edit(tab, n) if self.record else self._filter(tab, n))
                await asyncio.sleep(THINK)
        except ProtocolError as exc:
            self.problems.append(f"{self.name}: {exc}"[:240])
        except Exception as exc:   # noqa: BLE001 - a session that broke is reported, not fatal to the others
            self.problems.append(f"{self.name}: {type(exc).__name__}: {exc}"[:240])
        finally:
            if tab is not None:
                self.exceptions, self.runs = tab.exceptions, tab.runs
                self.dropped = tab.closed_by_server
                with contextlib.suppress(Exception):
                    await tab.close()

    async def _filter(self, tab: AppSession, n: int) -> None:
        before = tab.markdown_containing("incidents in view")
        seconds = await tab.toggle(MONTH_ONLY, n % 2 == 1)
        after = tab.markdown_containing("incidents in view")
        if after is None or after == before:
            self.problems.append(f"{self.name}: the counts did not change ({after!r})")
            return
        self.latencies.append(seconds)

    async def _edit(self, tab: AppSession, n: int) -> None:
        reason = f"load test {self.name} edit {n}"
        note = f"Checked again in the load test ({self.name}, edit {n})."
        await tab.click("Correct this record")
        await tab.fill("Curator's notes", note)
        await tab.fill("Reason for this change (required)", reason)
        seconds = await tab.click("Save record")
        confirmed = any(t.replace("\\", "").startswith(f"Corrected {self.record}") for t in tab.texts())
        if not confirmed:
            self.problems.append(f"{self.name}: no confirmation after Save: {[t[:80] for t in tab.texts()[:4]]}")
            return
        self.latencies.append(seconds)
        self.acknowledged.append((reason, note))


class BrowserViewer(threading.Thread):
    """A real Chromium session filtering alongside the protocol sessions."""

    def __init__(self, name: str, app_url: str, until: float):
        super().__init__(daemon=True)
        self.name, self.app_url, self.until = name, app_url, until
        self.latencies, self.problems, self.errors = [], [], 0

    def run(self) -> None:
        from playwright.sync_api import sync_playwright
        from tests.browser import CHROMIUM_ARGS, chromium_or_skip
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium_or_skip(), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1300, "height": 900})
                page.set_default_timeout(120_000)
                page.on("response", lambda r: r.status >= 500 and self._error(f"HTTP {r.status} {r.url}"))
                page.on("pageerror", lambda e: self._error(f"page error {e}"))
                page.goto(self.app_url + "/")
                page.get_by_role("textbox", name="User name").fill(self.name)
                page.get_by_role("textbox", name="Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_selector(COUNTS)
                while time.time() < self.until:
                    before = page.locator(COUNTS).first.inner_text()
                    started = time.perf_counter()
                    page.get_by_text(MONTH_ONLY).click()
                    while page.locator(COUNTS).first.inner_text() == before:
                        if time.perf_counter() - started > 60:
                            raise TimeoutError("counts did not change within 60 s")
                        page.wait_for_timeout(25)
                    self.latencies.append(time.perf_counter() - started)
                    if page.locator("[data-testid=stException]").count():
                        self._error("Streamlit exception on the page")
                    page.wait_for_timeout(THINK * 1000)
                browser.close()
        except Exception as exc:   # noqa: BLE001
            self.problems.append(f"{self.name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")

    def _error(self, what: str) -> None:
        self.errors += 1
        self.problems.append(f"{self.name}: {what[:200]}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


async def drive(tabs: list[Tab], seconds: int) -> None:
    tasks = []
    for tab in tabs:                 # people do not all arrive in the same 10 ms
        tasks.append(asyncio.create_task(tab.run()))
        await asyncio.sleep(0.25)
    done, pending = await asyncio.wait(tasks, timeout=seconds + 240)     # bounded: stops by itself
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=15)
    parser.add_argument("--editors", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--browsers", type=int, default=0, help="real Chromium viewers alongside")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    from geo.evidence.register import load_register
    from geo.store.postgis import PostGISStore

    records = [i.id for i in load_register().incidents if i.place and i.sources][: args.editors]
    viewers = {f"viewer-{k}": "viewer" for k in range(args.viewers + args.browsers)}
    editors = {f"editor-{k}": "editor" for k in range(args.editors)}
    folder = Path(tempfile.mkdtemp(prefix="incident-load-"))
    cluster, url = register_store(folder, {**viewers, **editors})
    log = folder / "app.log"
    try:
        with streamlit_process({"INCIDENT_STORE": url}, log=log, timeout=120) as (app_url, proc):
            load_before, cpu_before, client_before = os.getloadavg(), cpu_seconds(proc.pid), time.process_time()
            started = time.time()
            until = time.time() + args.seconds
            names = list(viewers)
            browsers = [BrowserViewer(n, app_url, until) for n in names[args.viewers:]]
            for b in browsers:
                b.start()
            tabs = [Tab(n, app_url, until, None) for n in names[: args.viewers]]
            tabs += [Tab(n, app_url, until, rec) for n, rec in zip(editors, records)]
            asyncio.run(drive(tabs, args.seconds))
            for b in browsers:
                b.join(timeout=240)
            load_after, cpu_used = os.getloadavg(), cpu_seconds(proc.pid) - cpu_before
            elapsed = time.time() - started
            client_cpu = time.process_time() - client_before
            server_alive = proc.poll() is None
        server_log = log.read_text(errors="replace")
        with PostGISStore(url) as store:
            logged = [e for e in store.history() if e.outcome == "saved"]
            notes = {rid: store.record(rid).record.notes for rid in records}
    finally:
        cluster.stop("fast")
        shutil.rmtree(folder, ignore_errors=True)

    reasons = {e.reason for e in logged}
    acknowledged = [(t, reason, note) for t in tabs for reason, note in t.acknowledged]
    lost = [reason for _, reason, _ in acknowledged if reason not in reasons]
    editing = [t for t in tabs if t.record and t.acknowledged]
    last_kept = sum(1 for t in editing if notes.get(t.record) == t.acknowledged[-1][1])
    unacknowledged = len(logged) - len(acknowledged)
    view_lat = [x for t in tabs if not t.record for x in t.latencies]
    edit_lat = [x for t in tabs if t.record for x in t.latencies]
    sign_ins = [t.sign_in for t in tabs if t.sign_in is not None]
    exceptions = [f"{t.name}: {e}" for t in tabs for e in t.exceptions]
    dropped = [f"{t.name}: {t.dropped}" for t in tabs if t.dropped]
    tracebacks = server_log.count("Traceback (most recent call last)")
    browser_errors = sum(b.errors for b in browsers)
    problems = [p for t in tabs for p in t.problems] + [p for b in browsers for p in b.problems]
    errors = len(exceptions) + len(dropped) + tracebacks + browser_errors
    runs = sum(t.runs for t in tabs)
    lines = [
        f"- Command: `.venv/bin/python bench/team_load.py --viewers {args.viewers} --editors {args.editors} "
        f"--seconds {args.seconds}" + (f" --browsers {args.browsers}" if args.browsers else "") + "` "
        f"({len(tabs)} concurrent signed-in sessions speaking Streamlit's websocket protocol "
        f"(bench/streamlit_client.py){f' and {len(browsers)} Chromium' if browsers else ''} against one "
        "Streamlit server (`python -m ui.server`) and a PostGIS store holding the register, all on 127.0.0.1)",
        f"- Load average before: {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f}, after: "
        f"{load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f} (2 cores shared with the other "
        f"engineers' work); the client used {client_cpu:.1f} s CPU in all",
        f"- Signed in: {len(sign_ins)} of {len(tabs)} sessions (sign-in p50 {percentile(sign_ins, 50):.2f} s, "
        f"max {max(sign_ins, default=float('nan')):.2f} s)",
        f"- Server errors: **{errors}** — exception elements sent: {len(exceptions)}, tracebacks in the server log: "
        f"{tracebacks}, connections dropped by the server: {len(dropped)}"
        + (f", browser errors: {browser_errors}" if browsers else "") + f"; server still running at the end: {server_alive}",
        f"- Filter changes (viewers): {len(view_lat)}, toggle → run ended with the new counts p50 "
        f"**{percentile(view_lat, 50):.2f} s**, p95 **{percentile(view_lat, 95):.2f} s**",
        f"- Saves acknowledged (editors): {len(acknowledged)}, Save → “Corrected …” p50 "
        f"**{percentile(edit_lat, 50):.2f} s**, p95 **{percentile(edit_lat, 95):.2f} s**; lost (acknowledged but "
        f"not in the change log): **{len(lost)}**; records holding their editor's last acknowledged note: "
        f"{last_kept} of {len(editing)}; saves in the change log the client saw no confirmation of: {unacknowledged}",
        f"- Server CPU: {cpu_used:.1f} s in the {elapsed:.0f} s from the first connection to the last session's "
        f"end ({cpu_used / elapsed:.2f} cores); the sessions asked for {runs} script runs (page loads, sign-ins, "
        f"filter changes, the editors' form steps and saves): {cpu_used / max(runs, 1):.2f} s CPU per run",
    ]
    if browsers:
        blat = [x for b in browsers for x in b.latencies]
        lines.append(f"- Chromium alongside: {len(blat)} filter changes, click → counts changed p50 "
                     f"{percentile(blat, 50):.2f} s, p95 {percentile(blat, 95):.2f} s")
    if problems or exceptions or dropped:
        shown = exceptions[:4] + dropped[:4] + problems[:8]
        lines.append(f"- Problems ({len(problems) + len(exceptions) + len(dropped)}): " + "; ".join(shown))
    publish("team-load", "\n".join(lines), args.write, "Load test: a team deployment with concurrent sessions")


if __name__ == "__main__":
    main()
