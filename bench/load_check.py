"""Load check: N browser sessions on one app server for S seconds; errors and the server's memory.

    .venv/bin/python bench/load_check.py [--pages 8] [--seconds 60] [--public]

Prints numbers; it asserts nothing. One headless Chromium (network outside localhost blocked) opens
N pages, each its own Streamlit session, and keeps them all loading links at once for S seconds:
the default view, filtered views, a record, a briefing step, the other pages, and the bad links of
tests/test_link.py. Counted as errors: a Streamlit exception box or "Traceback" on a page, a
JavaScript error, a page that does not finish, and "Traceback"/"Error" in the server's log. The
server's resident memory (VmRSS) is sampled every second; "flat" means the last quarter of the run
is within a few per cent of the first quarter after warm-up. Streamlit keeps a closed session's
state for two minutes, so memory climbs for about that long before it levels out: run it for more
than two minutes to see the plateau.
"""
from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chromium_or_skip, offline_page, streamlit_process  # noqa: E402
from tests.test_link import BAD_LINKS  # noqa: E402

GOOD_LINKS = [
    "/", "/?type=court_decision&from=2018&to=2019",
    "/?subject=RU-KHA&rec=mem20-court-03-khabarovsk&c=48.480,135.080&z=7",
    "/?briefing=court-expulsions-2018-2019&step=2", "/statistics?subject=RU-PRI", "/export?type=abduction",
    "/about", "/?month=1&actor=ru_court",
]
LINKS = [link for pair in itertools.zip_longest(GOOD_LINKS, ["/?" + urlencode(p) for p in BAD_LINKS])
         for link in pair if link]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.running = pid, [], True

    def run(self):
        started = time.perf_counter()
        while self.running:
            self.samples.append((time.perf_counter() - started, rss_mb(self.pid)))
            time.sleep(1.0)


def drain(stream, lines: list[str]) -> None:
    for raw in iter(stream.readline, b""):
        lines.append(raw.decode(errors="replace").rstrip())


def page_problems(page) -> list[str]:
    problems = []
    if page.locator('[data-testid="stException"]').count():
        problems.append("exception box")
    if "Traceback" in page.locator("body").inner_text():
        problems.append("traceback text")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--public", action="store_true", help="run the server as a public deployment")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = chromium_or_skip()
    env = {"INCIDENT_MAP_MODE": "public"} if args.public else {}
    log: list[str] = []
    with streamlit_process(env) as (url, proc), sync_playwright() as p, offline_page(p, chromium) as first:
        threading.Thread(target=drain, args=(proc.stdout, log), daemon=True).start()
        pages = [first] + [first.context.browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                           for _ in range(args.pages - 1)]
        errors: list[str] = []
        for page in pages[1:]:
            page.context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                ("http://127.0.0.1", "data:", "blob:", "about:")) else r.abort())
            page.on("pageerror", lambda e: errors.append(f"javascript: {e}"))
        first.on("pageerror", lambda e: errors.append(f"javascript: {e}"))
        # warm-up: one page loads the data into the server's cache
        first.goto(url)
        first.get_by_text("Incidents in view").first.wait_for(timeout=120_000)
        sampler = Sampler(proc.pid)
        sampler.start()
        links = itertools.cycle(LINKS)
        loads, times, started = 0, [], time.perf_counter()
        while time.perf_counter() - started < args.seconds:
            batch = [(page, next(links)) for page in pages]
            t0 = time.perf_counter()
            for page, link in batch:          # all pages start loading before any is waited for
                page.goto(url + link, wait_until="commit", timeout=120_000)
            for page, link in batch:
                try:
                    page.locator("h2").first.wait_for(timeout=120_000)      # every page has a heading
                    if link.startswith("/?") or link == "/":
                        page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=120_000)
                    page.wait_for_timeout(300)
                    errors += [f"{link}: {problem}" for problem in page_problems(page)]
                except Exception as exc:   # noqa: BLE001 - a page that does not finish is a finding
                    errors.append(f"{link}: did not finish ({type(exc).__name__})")
                loads += 1
            times.append((time.perf_counter() - t0) / len(batch))
        sampler.running = False
        sampler.join()
        if first.outside:
            errors.append(f"requests outside localhost: {first.outside}")
    server_errors = [line for line in log if "Traceback" in line or "Error" in line]
    rss = [value for _, value in sampler.samples]
    quarter = max(len(rss) // 4, 1)
    head, tail = statistics.mean(rss[:quarter]), statistics.mean(rss[-quarter:])
    print(f"load check: {args.pages} pages x {args.seconds:.0f} s ({'public' if args.public else 'full'} mode): "
          f"{loads} page loads, {len(LINKS)} different links ({len(BAD_LINKS)} bad ones)")
    print(f"  seconds per page load while {args.pages} load at once: median {statistics.median(times):.2f}, "
          f"max {max(times):.2f}")
    print(f"  errors on pages: {len(errors)}; errors in the server log: {len(server_errors)}")
    for line in (errors + server_errors)[:10]:
        print(f"    {line[:200]}")
    print(f"  server RSS (MB): first quarter {head:.0f}, last quarter {tail:.0f}, min {min(rss):.0f}, "
          f"max {max(rss):.0f}, end {rss[-1]:.0f} ({len(rss)} samples, 1 s apart); "
          f"drift {100 * (tail - head) / head:+.1f}%")
    minutes = {}
    for second, value in sampler.samples:
        minutes.setdefault(int(second // 60), []).append(value)
    print("  server RSS per minute (MB, mean): "
          + ", ".join(f"{m + 1}: {statistics.mean(v):.0f}" for m, v in sorted(minutes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
