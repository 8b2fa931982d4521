"""Fault test: PostgreSQL stops in the middle of a save made in the app, then starts again.

    .venv/bin/python bench/team_fault.py [--write]

A throwaway cluster holds the register. An editor signed in in Chromium corrects a record; while
another connection holds that record's row lock, Save is clicked (so the save is inside its
transaction, waiting), and the server is stopped (`pg_ctl stop -m immediate`, as a crash). We
record what the editor sees, check the record and change log once the server is started again,
and click Save again in the same page (no app restart). Screenshots in test-artifacts/. Prints
numbers; asserts nothing. The logic is tested in tests/test_team_fault.py.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import publish  # noqa: E402
from bench.team_load import COUNTS, PASSWORD, register_store  # noqa: E402
from tests.browser import chromium_or_skip, offline_page, screenshot, streamlit_process  # noqa: E402

RECORD = "mem20-refugee-status-2011"
NOTE = "Checked again during the fault test."


def state(url: str) -> tuple[str | None, list[str]]:
    from geo.store.postgis import PostGISStore
    with PostGISStore(url) as store:
        return store.record(RECORD).record.notes, [e.outcome for e in store.history(RECORD)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    import psycopg
    from playwright.sync_api import sync_playwright

    chromium = chromium_or_skip()
    folder = Path(tempfile.mkdtemp(prefix="incident-fault-"))
    cluster, url = register_store(folder, {"fault-editor": "editor"})
    load = os.getloadavg()
    lines = []
    try:
        with streamlit_process({"INCIDENT_STORE": url}, log=folder / "app.log", timeout=120) as (app_url, proc), sync_playwright() as p, \
                offline_page(p, chromium, viewport=(1400, 1000)) as page:
            page.set_default_timeout(120_000)     # the machine is shared: a page switch can take 20 s
            page.goto(f"{app_url}/?rec={RECORD}")
            page.get_by_role("textbox", name="User name").fill("fault-editor")
            page.get_by_role("textbox", name="Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_selector(COUNTS, timeout=180_000)
            page.get_by_role("button", name="Correct this record").click()
            page.get_by_role("textbox", name="Curator's notes").fill(NOTE)
            page.get_by_role("textbox", name="Reason for this change (required)").fill("fault test")
            page.wait_for_timeout(500)
            blocker = psycopg.connect(url)
            blocker.execute("SELECT 1 FROM records WHERE id = %s FOR UPDATE", (RECORD,))   # the save will wait here
            page.get_by_role("button", name="Save record").click()
            page.wait_for_timeout(1500)
            stopped = time.perf_counter()
            cluster.stop("immediate")
            page.wait_for_selector("[data-testid=stAlertContentError]", timeout=60_000)
            shown_after = time.perf_counter() - stopped
            page.wait_for_timeout(1000)
            message = " / ".join(page.locator("[data-testid=stAlertContentError]").all_inner_texts())
            shot_error = screenshot(page, "team-fault-error")
            cluster.start()
            notes, outcomes = state(url)
            retry = page.get_by_role("button", name="Try again")
            if retry.count():                      # the page itself could not read the store: retry it
                retry.first.click()
            page.get_by_role("button", name="Save record").wait_for(timeout=120_000)
            page.wait_for_timeout(1000)
            form_message = " / ".join(page.locator("[data-testid=stAlertContentError]").all_inner_texts())
            half_written = notes == NOTE or "saved" in outcomes
            started = time.perf_counter()
            page.get_by_role("button", name="Save record").click()
            try:
                page.wait_for_selector(f"text=Corrected {RECORD}", timeout=120_000)
            except Exception:
                screenshot(page, "team-fault-second-save-failed")
                raise
            recovered = time.perf_counter() - started
            shot_saved = screenshot(page, "team-fault-saved-again")
            notes_after, outcomes_after = state(url)
            server_alive = proc.poll() is None
        load_after = os.getloadavg()
        tracebacks = (folder / "app.log").read_text(errors="replace").count("Traceback (most recent call last)")
        lines = [
            "- Command: `.venv/bin/python bench/team_fault.py` (Chromium, Streamlit and a PostGIS cluster on "
            f"127.0.0.1; load average before {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}, after "
            f"{load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f})",
            f"- PostgreSQL stopped (immediate) while the save waited inside its transaction: the editor saw, "
            f"{shown_after:.1f} s later: “{message.strip()}”",
            f"- After the server started again and “Try again”: the form, with the input kept, says: “{form_message.strip()}”",
            f"- After the server started again: the record {'WAS' if half_written else 'was not'} changed and the "
            f"change log holds {outcomes or 'no entry'} for it — the save was "
            f"{'partly made (a failure)' if half_written else 'not made at all, as promised'}",
            f"- The same page, Save clicked again (no restart of the app): saved in {recovered:.1f} s; the record "
            f"holds the new note: {notes_after == NOTE}; change log: {outcomes_after}; app server still the same "
            f"process: {server_alive}; tracebacks in the app's log: {tracebacks}",
            f"- Screenshots: {shot_error.name}, {shot_saved.name}",
        ]
    finally:
        cluster.stop("fast")
        shutil.rmtree(folder, ignore_errors=True)
    text = "\n".join(lines)
    publish("team-fault", text, args.write and bool(lines), "Fault test: PostgreSQL stops during a save")


if __name__ == "__main__":
    main()
