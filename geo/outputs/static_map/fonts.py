"""Fonts for the print maps and decks: DejaVu Sans (Latin, Cyrillic) with a Hangul font behind it,
so Korean labels and captions are drawn (and embedded in the PDF) instead of boxes.

matplotlib falls back glyph by glyph through `font.family`. The Hangul font comes from Debian's
fonts-nanum (NanumGothic, installed by test.sh and .ci/run); fonts installed after matplotlib built
its font cache are registered here from their files. Without one, Korean text would be missing
glyphs: `hangul_font()` says so (the tests check that one is there).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

# Debian packages, in order of preference: fonts-nanum, fonts-noto-cjk, fonts-droid-fallback.
HANGUL_FONTS = (
    ("NanumGothic", ("/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
                     "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf")),
    ("Noto Sans CJK KR", ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",)),
    ("Droid Sans Fallback", ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",)),
)


@lru_cache(maxsize=1)
def hangul_font() -> str | None:
    """The family name of an installed font with Hangul, registered with matplotlib; None if none."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for family, files in HANGUL_FONTS:
        if family in known:
            return family
        present = [f for f in files if Path(f).is_file()]
        if present:
            for f in present:
                font_manager.fontManager.addfont(f)
            return family
    return None


def font_rc() -> dict:
    """rcParams for every figure of the print maps and decks."""
    family = ["DejaVu Sans"] + ([hangul_font()] if hangul_font() else [])
    return {"font.family": family}
