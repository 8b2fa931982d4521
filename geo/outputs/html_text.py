"""Record text on its way into HTML and JavaScript template literals: escaped, always.

folium puts popup and tooltip HTML inside JavaScript template literals, so besides < > & " '
a backtick, a backslash or `${` in a quote could break out of it; those become entities too.
branca renders element text as a Jinja template (see geo.outputs.template_safety), so `{ } % #`
become character references as well: shown as typed, never read as `{{ ... }}` or `{% ... %}`.
"""
from __future__ import annotations

# One pass, so the references made for one character are not escaped again for another.
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
                       "`": "&#96;", "$": "&#36;", "\\": "&#92;",
                       "{": "&#123;", "}": "&#125;", "%": "&#37;", "#": "&#35;"})
_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:"})


def esc(value) -> str:
    """Text -> HTML that shows exactly that text, safe inside a JS template literal and a Jinja template."""
    if value is None:
        return ""
    return str(value).translate(_HTML)


def markdown_literal(value) -> str:
    """Text -> Markdown that shows exactly that text (for st.markdown in the app)."""
    return "" if value is None else str(value).translate(_MARKDOWN_SPECIALS)
