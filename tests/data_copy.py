"""A scratch copy of the project's data for tests and benchmarks that write (a store in a
temporary folder, INCIDENT_STORE=<folder>): the committed data/ is never touched."""
from __future__ import annotations

import shutil
from pathlib import Path

from geo.paths import DATA_DIR


def copy_data(root: Path, sources: bool = True) -> Path:
    """register/, gazetteer.csv, the built layers and (with `sources`) the source documents,
    copied into `root`; returns `root`."""
    root = Path(root)
    shutil.copytree(DATA_DIR / "register", root / "register")
    if sources:
        shutil.copytree(DATA_DIR / "sources", root / "sources")
    shutil.copy(DATA_DIR / "gazetteer.csv", root / "gazetteer.csv")
    for layer in DATA_DIR.glob("*.geojson"):
        shutil.copy(layer, root / layer.name)
    return root
