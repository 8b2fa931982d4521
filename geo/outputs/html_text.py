"""Record text on its way into HTML and JavaScript template literals: escaped, always.

folium puts popup and tooltip HTML inside JavaScript template literals, so besides < > & " '
a backtick, a backslash or `${` in a quote could break out of it; those become entities too.
"""
from __future__ import annotations

import html

_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:"})


def esc(value) -> str:
    """Text -> HTML that shows exactly that text, safe inside a JS template literal too."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_EXTRA)


def markdown_literal(value) -> str:
    """Text -> Markdown that shows exactly that text (for st.markdown in the app)."""
    return "" if value is None else str(value).translate(_MARKDOWN_SPECIALS)
