"""Write files so that a failure leaves the previous files untouched (and nothing partial).

`replacing` hands out a temporary sibling for each target and renames them over the targets only
when the block finishes; writers that need a path (matplotlib, parquet) use it directly.

Only regular files are replaced: a symlink, folder, device (`/dev/full`), FIFO or socket at a
target is refused before anything is written. New files get the usual permissions (0666 less the
umask); `private=True` makes them readable by the owner only (0600), for files with names in them.
An existing file that is stricter than that keeps its stricter permissions.
"""
from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.errors import GeoError

PRIVATE_MODE, SHARED_MODE = 0o600, 0o666   # before the umask

_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))


class NotAFile(GeoError):
    """The target exists and is not a regular file: it is left alone and nothing is written."""


def file_kind(mode: int) -> str:
    """'a regular file', 'a folder', 'a FIFO (named pipe)', … for an st_mode."""
    if stat.S_ISREG(mode):
        return "a regular file"
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def unreadable_reason(path: Path) -> str | None:
    """Why path cannot be read as a file without blocking (a FIFO would hang a reader), or None."""
    try:
        mode = os.stat(path).st_mode   # follows symlinks; a loop or a dangling link raises
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    return None if stat.S_ISREG(mode) else f"is {file_kind(mode)}, not a regular file"


def existing_mode(path: Path) -> int | None:
    """The permission bits of the regular file at path, None when there is none; NotAFile otherwise."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    kind = file_kind(info.st_mode)
    raise NotAFile(f"refusing to replace {path}: it is {kind}, not a regular file; give the path of a file "
                   "to write (an existing one is replaced)")


def _temporary(path: Path, private: bool) -> Path:
    """A new, empty sibling of path; the kernel applies the umask to its mode."""
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                         PRIVATE_MODE if private else SHARED_MODE)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp


@contextmanager
def replacing(paths: Iterable[Path], private: bool = False) -> Iterator[dict[Path, Path]]:
    """{target: temporary sibling}; the temporaries replace the targets if the block succeeds."""
    paths = [Path(p) for p in paths]
    modes = {path: existing_mode(path) for path in paths}   # refuses non-regular targets up front
    temporaries: dict[Path, Path] = {}
    try:
        for path in paths:
            tmp = temporaries[path] = _temporary(path, private)
            if modes[path] is not None:
                os.chmod(tmp, stat.S_IMODE(os.stat(tmp).st_mode) & modes[path])
        yield temporaries
        for path, tmp in temporaries.items():
            existing_mode(path)    # still a regular file (or gone) just before the rename
            os.replace(tmp, path)
    finally:
        for tmp in temporaries.values():
            tmp.unlink(missing_ok=True)


def write_atomically(files: dict[Path, str | bytes], private: bool = False) -> None:
    """Write every file (text as UTF-8 with \\n line ends) and rename them all into place."""
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(files, private) as temporaries:
        for path, content in files.items():
            if isinstance(content, bytes):
                temporaries[path].write_bytes(content)
            else:
                temporaries[path].write_text(content, encoding="utf-8", newline="\n")
