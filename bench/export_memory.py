"""Memory and time of exports on a large dataset, as a server would see them.

    .venv/bin/python -m geo synth --n 200000 --out /tmp/syn200k
    .venv/bin/python bench/export_memory.py /tmp/syn200k [--formats html csv geojson]

Prints numbers; it asserts nothing. For each format: seconds, the file's size (or the refusal),
and this process's resident memory before, at its peak, and after the export returned (the
exports hand what they used back: geo.outputs.export.release_memory).
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_check import rss_mb  # noqa: E402
from geo.outputs.export import ExportError, export, make_view  # noqa: E402
from geo.view.dataset import load_bundle  # noqa: E402
from geo.view.filters import IncidentFilter  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--formats", nargs="+", default=["html", "csv", "geojson"])
    args = parser.parse_args()
    import os
    pid = os.getpid()
    bundle = load_bundle(args.dataset)
    view = make_view(bundle, IncidentFilter())
    print(f"{len(view.incidents):,} incidents loaded; RSS {rss_mb(pid):.0f} MB")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in args.formats:
            before, started = rss_mb(pid), time.perf_counter()
            try:
                path = export(view, fmt, Path(folder) / f"export.{fmt}")
                outcome = f"{path.stat().st_size / 1e6:.0f} MB"
                path.unlink()
            except ExportError as exc:
                outcome = f"refused ({str(exc)[:70]}…)"
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{fmt}: {seconds:.1f} s, {outcome}; RSS before {before:.0f} MB, after {rss_mb(pid):.0f} MB "
                  f"(process peak so far {peak:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
