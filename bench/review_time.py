"""How long a researcher takes from uploading a report to a saved record, scripted in Chromium.

    .venv/bin/python bench/review_time.py [--runs 3] [--doc memorial-2020] [--write]

The whole of a seed report is printed to a PDF (fpdf2), uploaded on the Review & edit page of a
scratch copy of the register, and one court decision in it is made into a record: find the
passage, open its proposal, accept, take the quote from a selection, choose the court's outcome,
save, see it on the map. Every click and every character typed is counted (tests/review_flow.py).

Two figures: the **app's time** (wall clock of the scripted run: the app's own work and waits,
with the script acting instantly) and an **estimate of a person's time** = the app's time + the
person's own actions by the Keystroke-Level Model (Card, Moran & Newell): 1.1 s to point at a
target, 0.2 s per click, 0.28 s per character typed (an average typist), 1.35 s of thought per
step. Reading the passage to decide on it is not in either figure. Nothing is asserted; --write
puts the table into docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import publish  # noqa: E402
from tests import review_flow as flow  # noqa: E402
from tests.browser import chromium_or_skip, offline_page, streamlit_server  # noqa: E402
from tests.data_copy import copy_data  # noqa: E402
from tests.pdf_fixture import make_pdf, plain  # noqa: E402

POINT, CLICK, KEY, THINK = 1.1, 0.2, 0.28, 1.35


def one_run(chromium: str, doc: str, run: int) -> flow.Researcher:
    from playwright.sync_api import sync_playwright
    from geo.evidence import sources

    with tempfile.TemporaryDirectory(prefix="review-time-") as folder:
        root = copy_data(Path(folder) / "data")
        pdf = make_pdf(plain(sources.text(doc)), Path(folder) / f"{doc}-report.pdf", sources.document(doc).title)
        with streamlit_server({"INCIDENT_STORE": str(root)}) as url, sync_playwright() as p, \
                offline_page(p, chromium, viewport=(1600, 1100)) as page:
            page.goto(url + "/review")
            page.get_by_role("textbox", name="Your name (for the change log)").wait_for(timeout=120_000)
            r = flow.Researcher(page)
            flow.sign(r, "Timing Researcher")
            r.step("name set")
            # the suggested id (from the file name) and the PDF's own title are kept; the date is typed
            flow.upload(r, pdf, None, None, sources.document(doc).published)
            r.step("uploaded, proposals marked")
            flow.find(r, "October 24, 2018")
            flow.open_proposal_at_found_text(r)
            flow.accept_card(r, "Industrial District Court of Khabarovsk, I.V.")
            r.step("proposal accepted, form open")
            flow.use_selection(r, "3) On October 24, 2018", "center for foreign citizens.")
            flow.choose(r, "rf_court_outcome", "forced expulsion")
            r.step("quote and outcome set")
            flow.save(r)
            r.step("saved, shown on the map")
            assert page.outside == [], page.outside
            return r


def person_estimate(r: flow.Researcher) -> float:
    return r.steps[-1][1] + r.clicks * (POINT + CLICK) + r.keys * KEY + len(r.steps) * THINK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--doc", default="memorial-2020")
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    args = parser.parse_args()
    chromium = chromium_or_skip()
    load = os.getloadavg()[0]
    runs = [one_run(chromium, args.doc, n) for n in range(args.runs)]
    lines = [f"Upload of the whole `{args.doc}` report as a PDF to one saved record (bench/review_time.py, "
             f"{args.runs} runs, headless Chromium; load average {load:.1f} → {os.getloadavg()[0]:.1f} on 2 cores "
             "shared with other work).", "",
             "| step | app's time since the start, s (median) | clicks | keys typed |", "|---|---:|---:|---:|"]
    for i, (name, _, clicks, keys) in enumerate(runs[0].steps):
        lines.append(f"| {name} | {statistics.median(r.steps[i][1] for r in runs):.1f} | {clicks} | {keys} |")
    app = [r.steps[-1][1] for r in runs]
    people = [person_estimate(r) for r in runs]
    after_name = [r.steps[-1][1] - r.steps[0][1] for r in runs]
    first = runs[0].steps[0]
    lines += ["", f"App's time, upload to saved record: {min(after_name):.1f}–{max(after_name):.1f} s "
                  f"(median {statistics.median(after_name):.1f} s), {runs[0].clicks - first[2]} clicks and "
                  f"{runs[0].keys - first[3]} characters typed (publication date, the words to find, the outcome); "
                  f"with setting one's name first (once per session) {statistics.median(app):.1f} s, "
                  f"{runs[0].clicks} clicks, {runs[0].keys} characters.",
              f"A person's time by the Keystroke-Level Model: about {statistics.median(people):.0f} s, plus "
              "reading the passage."]
    text = "\n".join(lines)
    publish("review-time", text, args.write, "From upload to a saved record")


if __name__ == "__main__":
    main()
