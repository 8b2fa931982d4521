"""Write files so that a failure leaves the previous files untouched (and nothing partial).

`replacing` hands out a temporary sibling for each target and renames them over the targets only
when the block finishes; writers that need a path (matplotlib, parquet) use it directly.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(paths: Iterable[Path]) -> Iterator[dict[Path, Path]]:
    """{target: temporary sibling}; the temporaries replace the targets if the block succeeds."""
    temporaries: dict[Path, Path] = {}
    try:
        for path in paths:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            os.close(fd)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are meant to be shared
            temporaries[path] = Path(tmp)
        yield temporaries
        for path, tmp in temporaries.items():
            os.replace(tmp, path)
    finally:
        for tmp in temporaries.values():
            tmp.unlink(missing_ok=True)


def write_atomically(files: dict[Path, str | bytes]) -> None:
    """Write every file (text as UTF-8 with \\n line ends) and rename them all into place."""
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(files) as temporaries:
        for path, content in files.items():
            if isinstance(content, bytes):
                temporaries[path].write_bytes(content)
            else:
                temporaries[path].write_text(content, encoding="utf-8", newline="\n")
