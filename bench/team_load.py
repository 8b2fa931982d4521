"""A bounded load test of a team deployment on 127.0.0.1: concurrent signed-in sessions in Chromium
(Playwright, one browser context each), some viewing and filtering, some editing records, for a
fixed time. Then every acknowledged save is looked for in the database and in the change log.

    .venv/bin/python bench/team_load.py [--viewers 15] [--editors 5] [--seconds 120] [--write]

The store is a throwaway cluster holding the committed register (a team's real size), one user per
session. A viewing session switches "Only records dated at least to the month" and times the click
until the counts above the map change; an editing session corrects its own record ("Correct this
record", a new note, a reason, Save) and times Save until the "Corrected" banner. Server errors:
Streamlit exception blocks on any page, HTTP 5xx, and page errors. Prints numbers; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import publish  # noqa: E402
from tests.browser import CHROMIUM_ARGS, chromium_or_skip, streamlit_process  # noqa: E402

PASSWORD = "load-test-password"
COUNTS = "p:has-text('incidents in view')"


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


class Session(threading.Thread):
    def __init__(self, name: str, role: str, app_url: str, chromium: str, until: float, record: str | None):
        super().__init__(daemon=True)
        self.name, self.role, self.app_url, self.chromium, self.until, self.record = \
            name, role, app_url, chromium, until, record
        self.latencies, self.acknowledged, self.errors, self.problems = [], [], 0, []

    def run(self) -> None:
        from playwright.sync_api import sync_playwright
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=self.chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1300, "height": 900})
                page.set_default_timeout(240_000)     # 20 browsers share 2 cores with the server
                page.on("response", lambda r: r.status >= 500 and self._error(f"HTTP {r.status} {r.url}"))
                page.on("pageerror", lambda e: self._error(f"page error {e}"))
                query = f"?rec={self.record}" if self.record else ""
                page.goto(self.app_url + "/" + query, timeout=240_000)
                page.get_by_role("textbox", name="User name").fill(self.name)
                page.get_by_role("textbox", name="Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_selector(COUNTS, timeout=240_000)
                n = 0
                while time.time() < self.until:
                    n += 1
                    (self._edit if self.record else self._filter)(page, n)
                    self._check(page)
                browser.close()
        except Exception as exc:   # noqa: BLE001 - a session that broke counts as a problem, reported
            self.problems.append(f"{self.name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")

    def _error(self, what: str) -> None:
        self.errors += 1
        self.problems.append(f"{self.name}: {what[:200]}")

    def _check(self, page) -> None:
        if page.locator("[data-testid=stException]").count():
            self._error("Streamlit exception on the page")

    def _filter(self, page, n: int) -> None:
        before = page.locator(COUNTS).first.inner_text()
        started = time.perf_counter()
        page.get_by_text("Only records dated at least to the month").click()
        while page.locator(COUNTS).first.inner_text() == before:
            if time.perf_counter() - started > 60:
                self.problems.append(f"{self.name}: counts did not change within 60 s")
                return
            page.wait_for_timeout(25)
        self.latencies.append(time.perf_counter() - started)
        page.wait_for_timeout(500)      # a person looks at the map before the next change

    def _edit(self, page, n: int) -> None:
        reason = f"load test {self.name} edit {n}"
        page.get_by_role("button", name="Correct this record").click()
        notes = page.get_by_role("textbox", name="Curator's notes")
        notes.wait_for(timeout=120_000)
        notes.fill(f"Checked again in the load test ({self.name}, edit {n}).")
        page.get_by_role("textbox", name="Reason for this change (required)").fill(reason)
        page.wait_for_timeout(300)
        started = time.perf_counter()
        page.get_by_role("button", name="Save record").click()
        page.wait_for_selector(f"text=Corrected {self.record}", timeout=120_000)
        self.latencies.append(time.perf_counter() - started)
        self.acknowledged.append(reason)
        page.wait_for_timeout(500)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=15)
    parser.add_argument("--editors", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    from geo.evidence.register import load_register
    from geo.store.postgis import PostGISStore

    chromium = chromium_or_skip()
    records = [i.id for i in load_register().incidents if i.place and i.sources][: args.editors]
    viewers = {f"viewer-{k}": ("viewer" if k % 3 == 0 else "researcher") for k in range(args.viewers)}
    editors = {f"editor-{k}": "editor" for k in range(args.editors)}
    folder = Path(tempfile.mkdtemp(prefix="incident-load-"))
    cluster, url = register_store(folder, {**viewers, **editors, "load-admin": "admin"})
    try:
        load_before = os.getloadavg()
        with streamlit_process({"INCIDENT_STORE": url}) as (app_url, proc):
            until = time.time() + args.seconds
            sessions = [Session(n, r, app_url, chromium, until, None) for n, r in viewers.items()]
            sessions += [Session(n, r, app_url, chromium, until, rec) for (n, r), rec in zip(editors.items(), records)]
            for s in sessions:
                s.start()
                time.sleep(2)
            for s in sessions:
                s.join(timeout=args.seconds + 600)
            load_after = os.getloadavg()
            server_alive = proc.poll() is None
        with PostGISStore(url) as store:
            logged = {e.reason for e in store.history() if e.outcome == "saved"}
            notes = {rid: store.record(rid).record.notes for rid in records}
    finally:
        cluster.stop("fast")
        shutil.rmtree(folder, ignore_errors=True)
    acknowledged = [reason for s in sessions for reason in s.acknowledged]
    lost = [reason for reason in acknowledged if reason not in logged]
    last_kept = sum(1 for s in sessions if s.acknowledged and f"edit {len(s.acknowledged)})" in (notes.get(s.record) or ""))
    view_lat = [t for s in sessions if not s.record for t in s.latencies]
    edit_lat = [t for s in sessions if s.record for t in s.latencies]
    problems = [p for s in sessions for p in s.problems]
    lines = [
        f"- Command: `.venv/bin/python bench/team_load.py --viewers {args.viewers} --editors {args.editors} "
        f"--seconds {args.seconds}` ({len(sessions)} concurrent signed-in Chromium sessions against one Streamlit "
        "server and a PostGIS store holding the register, all on 127.0.0.1)",
        f"- Load average before: {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f}, after: "
        f"{load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f} (2 cores; the browsers run on them too)",
        f"- Server errors: **{sum(s.errors for s in sessions)}** (exception blocks, HTTP 5xx, page errors); "
        f"server still running at the end: {server_alive}",
        f"- Filter changes: {len(view_lat)}, click → counts changed p50 **{percentile(view_lat, 50):.2f} s**, "
        f"p95 **{percentile(view_lat, 95):.2f} s**",
        f"- Saves acknowledged: {len(acknowledged)}, Save → banner p50 **{percentile(edit_lat, 50):.2f} s**, "
        f"p95 **{percentile(edit_lat, 95):.2f} s**; lost (acknowledged but not in the change log): **{len(lost)}**; "
        f"records holding their editor's last acknowledged note: {last_kept} of "
        f"{sum(1 for s in sessions if s.acknowledged)}",
    ]
    if problems:
        lines.append(f"- Problems ({len(problems)}): " + "; ".join(problems[:8]))
    text = "\n".join(lines)
    publish("team-load", text, args.write, "Load test: a team deployment with concurrent sessions")


if __name__ == "__main__":
    main()
