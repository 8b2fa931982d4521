"""docs/benchmarks.md holds one section per benchmark script; each script rewrites only its own."""
from __future__ import annotations

import re
from pathlib import Path

from geo.writing import write_atomically

BENCHMARKS_MD = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(path: Path, key: str, text: str) -> None:
    """Replace the text between `<!-- bench:KEY -->` and `<!-- /bench:KEY -->` (or append it)."""
    start, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = f"{start}\n{text.rstrip()}\n{end}\n"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(current):
        updated = pattern.sub(lambda _: block, current, count=1)
    else:
        updated = current + ("\n" if current and not current.endswith("\n\n") else "") + block
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically({path: updated})


def publish(key: str, text: str, write: bool, heading: str = "") -> None:
    """Print a benchmark's report; with `write`, put it (under `heading`) into its section of
    docs/benchmarks.md."""
    print(text)
    if write:
        write_section(BENCHMARKS_MD, key, (f"## {heading}\n\n" if heading else "") + text)
