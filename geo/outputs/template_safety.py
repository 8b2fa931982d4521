"""Keep record and user text out of Jinja: folium/branca evaluate what they render as a template.

branca's MacroElement turns the output of its header/html/script macros into a new Element whose
*template source* is that output, and renders it again. Whatever data a folium element carries
(GeoJSON properties, a legend body, a tooltip) is therefore evaluated by Jinja: `{{ 7*7 }}` in a
record title becomes `49`, and `{{ lipsum.__globals__.os.popen(...) }}` runs a command on the
server. Two rules make that impossible here:

1. Our code never builds an Element, Html, Popup, Tooltip, Template or MacroElement from anything
   but a string literal (tests/test_template_safety.py checks the source). Page-level HTML and CSS
   go in as data through `LiteralHtml`, whose template is a constant and which is rendered once.
2. Text reaches folium only as HTML made by geo.outputs.html_text.esc, which writes `{ } % #` as
   character references: the browser shows them, Jinja sees no delimiter. `check_inert` walks a
   map's whole element tree before it is rendered and refuses any value that still holds
   template syntax, so text that slipped past rule 2 fails closed instead of running.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

from branca.element import Element, MacroElement
from jinja2 import Template

from geo.errors import GeoError

# What starts a Jinja construct with the default delimiters: {{ expression, {% statement, {# comment.
TEMPLATE_SYNTAX = re.compile(r"\{[{%#]")
_SKIPPED = {"_parent", "_children", "_template", "_template_str", "_template_name"}


class TemplateTextError(GeoError):
    """Text with template syntax reached a map element unescaped; nothing was rendered."""


class LiteralHtml(Element):
    """HTML or CSS put into a page as data: its template is constant and it is rendered once."""

    _template = Template("{{ this.html }}")

    def __init__(self, html: str):
        super().__init__()
        self._name = "LiteralHtml"
        self.html = html


class RenderedOnce(MacroElement):
    """Put into a class's bases after a folium element (class X(folium.GeoJson, RenderedOnce)): its
    header/html/script macro output goes into the page as data (LiteralHtml) instead of being
    compiled and rendered again as a template by MacroElement.render. Safer, and for an element
    carrying a thousand markers' data (~300 kB of script) it saves Jinja lexing all of it."""

    def render(self, **kwargs):
        figure = self.get_root()
        for part in ("header", "html", "script"):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(LiteralHtml(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


def _strings(value, depth: int = 0) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif depth < 64 and isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, depth + 1)
            yield from _strings(item, depth + 1)
    elif depth < 64 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item, depth + 1)


def _as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, check_circular=False,
                      default=lambda o: list(o) if isinstance(o, (set, frozenset)) else None)


def _may_hold_syntax(value) -> bool:
    """A quick look first: GeoJSON data of a thousand markers is a deep tree of dicts and lists,
    which one json.dumps (in C) writes out faster than Python walks it. JSON's own punctuation
    never puts a `{` before `{`, `%` or `#`, so only a string can; False means none does."""
    if isinstance(value, str):
        return TEMPLATE_SYNTAX.search(value) is not None
    if not isinstance(value, (dict, list, tuple, set, frozenset)):
        return False
    try:
        return TEMPLATE_SYNTAX.search(_as_json(value)) is not None
    except (TypeError, ValueError, RecursionError):   # keys JSON cannot write, or a cycle: walk it
        return True


def _elements(root) -> Iterator[Element]:
    stack = [root]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(getattr(element, "_children", {}).values())


def check_inert(element) -> None:
    """Raise TemplateTextError if any value in the element tree (from its Figure when it has one,
    else from the element itself) holds `{{`, `{%` or `{#`. Call it right before rendering."""
    from folium.utilities import JsCode   # our JavaScript: string literals, checked by the source scan

    root = element.get_root() if hasattr(element, "get_root") else element
    for node in _elements(root):
        for attribute, value in vars(node).items():
            if attribute in _SKIPPED or isinstance(value, (JsCode, Template)) or callable(value):
                continue
            if not _may_hold_syntax(value):
                continue
            for text in _strings(value):
                found = TEMPLATE_SYNTAX.search(text)
                if found:
                    start = max(found.start() - 30, 0)
                    raise TemplateTextError(
                        f"{type(node).__name__}.{attribute} holds template syntax "
                        f"({text[start:found.start() + 30]!r}); refusing to render it. Text must reach "
                        "the map through geo.outputs.html_text.esc: report this as a bug")
