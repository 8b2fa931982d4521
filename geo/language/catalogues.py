"""The compiled message catalogues, one per language, loaded once per process.

The `.po` files are committed; the `.mo` files are not: `scripts/setup.sh` compiles them
(`pybabel compile -d locale`), and when one is missing or older than its `.po` (a fresh clone used
without set-up, a catalogue just edited) it is compiled here with Babel's API on first use — into
the locale folder when that is writable, else in memory.
"""
from __future__ import annotations

import gettext as stdlib_gettext
import io
import os
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent.parent / "locale"
DOMAIN = "messages"


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogue(code: str) -> bytes:
    """The .mo bytes of a language's .po (fuzzy entries left out, as pybabel compile does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(code).open("rb") as po:
        catalogue = read_po(po, locale=code)
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=False)
    return out.getvalue()


@lru_cache(maxsize=None)
def translations(code: str) -> stdlib_gettext.NullTranslations:
    """The language's translations; English (the msgids) needs none."""
    po = po_path(code)
    if code == "en" or not po.exists():
        return stdlib_gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        content = compile_catalogue(code)
        try:
            tmp = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")   # processes compiling at once each write their own
            tmp.write_bytes(content)
            tmp.replace(mo)
        except OSError:      # a read-only checkout: use it from memory
            return stdlib_gettext.GNUTranslations(io.BytesIO(content))
    with mo.open("rb") as fp:
        return stdlib_gettext.GNUTranslations(fp)
