"""A source document's text as escaped HTML, one page at a time, with passages marked.

The review page shows the stored text (the offsets of candidates and quotes refer to it) with
every proposal marked. A long report is shown a page at a time — the PDF's own pages, or about
`PAGE_CHARS` characters cut at a paragraph break — so a 70-page document stays quick to draw.

Every run of text is escaped (geo.outputs.html_text.esc) and wrapped in an element that carries its
offset in the document (`data-o`), so the page's script can turn a selection back into offsets
without trusting any markup: a document that contains `<script>` shows it as text.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from geo.outputs.html_text import esc

PAGE_CHARS = 9_000
# Which mark wins where marks overlap: the form's quote, then the focused proposal, then the rest.
PRIORITY = {"quote": 0, "found": 1, "focus": 2, "open": 3, "accepted": 4, "in_register": 5, "rejected": 6}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str          # quote | found | focus | open | accepted | in_register | rejected
    ref: str = ""      # the candidate id (clicking the mark opens it)
    label: str = ""    # shown on hover
    alt: bool = False  # every other proposal in a second shade, so neighbours stay apart


def page_bounds(text: str, pages: tuple[int, ...] = ()) -> list[tuple[int, int]]:
    """(start, end) of each page: the document's own pages, else chunks cut at paragraph breaks."""
    if pages and len(pages) > 1:
        starts = sorted(set(pages) | {0})
        return [(s, e) for s, e in zip(starts, starts[1:] + [len(text)]) if e > s]
    bounds, start = [], 0
    while start < len(text):
        end = min(len(text), start + PAGE_CHARS)
        if end < len(text):
            cut = text.rfind("\n\n", start + PAGE_CHARS // 2, end)
            cut = cut if cut > 0 else text.rfind("\n", start + PAGE_CHARS // 2, end)
            end = cut + 1 if cut > 0 else end
        bounds.append((start, end))
        start = end
    return bounds or [(0, 0)]


def page_of(offset: int, bounds: list[tuple[int, int]]) -> int:
    """The index of the page holding `offset`."""
    return max(0, min(len(bounds) - 1, bisect.bisect_right([s for s, _ in bounds], offset) - 1))


def page_html(text: str, start: int, end: int, marks: list[Mark]) -> str:
    """The text of [start, end) as escaped HTML: runs of plain text and <mark> elements, each with
    its offset (`data-o`); a mark also names its proposal (`data-c`) and kind (class)."""
    inside = [m for m in marks if m.start < end and start < m.end and m.end > m.start]
    cuts = sorted({start, end, *(max(start, m.start) for m in inside), *(min(end, m.end) for m in inside)})
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [m for m in inside if m.start <= a and b <= m.end]
        chunk = esc(text[a:b].replace("\f", "\n"))
        if not covering:
            parts.append(f'<span data-o="{a}">{chunk}</span>')
            continue
        top = min(covering, key=lambda m: PRIORITY.get(m.kind, 9))
        kinds = " ".join(sorted({f"m-{m.kind}" for m in covering} | ({"m-alt"} if top.alt else set())))
        ref = next((m.ref for m in sorted(covering, key=lambda m: PRIORITY.get(m.kind, 9)) if m.ref), "")
        parts.append(f'<mark class="{kinds}" data-o="{a}" data-c="{esc(ref)}" title="{esc(top.label)}">{chunk}</mark>')
    return "".join(parts)
