"""Write a set of files so that a failure leaves the previous files untouched."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(files: dict[Path, str]) -> None:
    """Write every file to a temporary sibling first; only when all are written, rename them."""
    temporaries: dict[Path, Path] = {}
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            temporaries[path] = Path(tmp)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; built data is meant to be shared
        for path, tmp in temporaries.items():
            os.replace(tmp, path)
    finally:
        for tmp in temporaries.values():
            tmp.unlink(missing_ok=True)
