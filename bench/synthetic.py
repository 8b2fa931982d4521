"""Synthetic datasets for the benchmarks, made once with `python -m geo synth` and cached."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(tempfile.gettempdir()) / "incident-map-bench"


def dataset(n: int, seed: int = 1) -> Path:
    folder = CACHE / f"syn-{n}-{seed}"
    if not (folder / "incidents.parquet").exists():
        subprocess.run([sys.executable, "-m", "geo", "synth", "--n", str(n), "--seed", str(seed), "--out", str(folder)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return folder
