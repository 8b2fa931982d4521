"""The document viewer: a source's text a page at a time, every proposal marked; selecting words
gives their offsets (for a quote), clicking a mark opens that proposal.

The page's HTML is made and escaped in geo.outputs.document_view (text is never markup); this
module only adds the small script that reports a selection or a click back to Python
(st.components.v2, no iframe: the text is part of the page, keyboard and screen readers reach it).
"""
from __future__ import annotations

import hashlib

import streamlit as st

from geo.outputs.document_view import Mark, page_bounds, page_html, page_of
from geo.outputs.html_text import esc, markdown_literal as md
from geo.language import _

JS = r"""
function offsetOf(node, off) {
  if (node.nodeType === 3) {
    const el = node.parentElement && node.parentElement.closest('[data-o]');
    return el ? Number(el.dataset.o) + off : null;
  }
  if (off < node.childNodes.length) {
    const child = node.childNodes[off];
    if (child.nodeType === 3) return offsetOf(child, 0);
    const target = child.matches && child.matches('[data-o]') ? child : (child.querySelector && child.querySelector('[data-o]'));
    return target ? Number(target.dataset.o) : null;
  }
  const own = node.matches && node.matches('[data-o]') ? [node] : Array.from(node.querySelectorAll('[data-o]'));
  const last = own[own.length - 1];
  return last ? Number(last.dataset.o) + last.textContent.length : null;
}
export default function(component) {
  const { data, setStateValue, setTriggerValue, parentElement } = component;
  let box = parentElement.querySelector('.docview');
  if (!box) {
    box = document.createElement('div');
    box.className = 'docview';
    box.setAttribute('role', 'document');
    box.setAttribute('aria-label', 'Document text; proposals are marked');
    box.tabIndex = 0;
    parentElement.appendChild(box);
  }
  if (box.dataset.key !== data.key) {
    box.innerHTML = data.html;            // escaped on the server (geo.outputs.document_view)
    box.dataset.key = data.key;
    box.querySelectorAll('mark[data-c]').forEach((m) => { if (m.dataset.c) { m.tabIndex = 0; m.setAttribute('role', 'button'); } });
    // scroll the text box (not the page) to the focused proposal or the form's quote
    const focus = data.focus && box.querySelector('mark.m-found, mark.m-focus, mark.m-quote');
    box.scrollTop = focus ? Math.max(0, focus.offsetTop - box.offsetTop - box.clientHeight / 3) : 0;
  }
  box.onmouseup = () => {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const r = sel.getRangeAt(0);
    if (!box.contains(r.startContainer) || !box.contains(r.endContainer)) return;
    const start = offsetOf(r.startContainer, r.startOffset), end = offsetOf(r.endContainer, r.endOffset);
    if (start !== null && end !== null && end > start) setStateValue('selection', {start, end, at: Date.now()});
  };
  const open = (e) => {
    const m = e.target.closest && e.target.closest('mark[data-c]');
    const sel = window.getSelection();
    if (m && m.dataset.c && (!sel || sel.isCollapsed)) setTriggerValue('clicked', m.dataset.c);
  };
  box.onclick = open;
  box.onkeydown = (e) => { if (e.key === 'Enter') open(e); };
}
"""

CSS = """
.docview { white-space: pre-wrap; font: 15px/1.55 Georgia, 'DejaVu Serif', serif; max-height: 72vh; overflow: auto;
  padding: 12px 16px; border: 1px solid #afb8c1; border-radius: 6px; background: #fff; color: #1f2328; }
.docview mark { cursor: pointer; border-radius: 2px; padding: 0 1px; color: inherit; }
.docview mark:focus { outline: 3px solid #0969da; }
.docview mark.m-open { background: #fff1a8; }
.docview mark.m-open.m-alt { background: #ffe07a; }
.docview mark.m-accepted { background: #c7f0cf; }
.docview mark.m-accepted.m-alt { background: #a9e5b5; }
.docview mark.m-in_register { background: #d3e5ff; }
.docview mark.m-in_register.m-alt { background: #b8d4fb; }
.docview mark.m-rejected { background: #eceff1; text-decoration: line-through; text-decoration-color: #6e7781; }
.docview mark.m-focus { outline: 2px solid #bc4c00; }
.docview mark.m-quote { background: #ffd8a8; box-shadow: inset 0 -3px 0 #bc4c00; }
.docview mark.m-found { outline: 2px dashed #0969da; }
"""

def legend() -> str:
    """What the marks' colours mean, in the interface's language (escaped: labels are text)."""
    from geo.ingest.review import ACCEPTED, IN_REGISTER, OPEN, REJECTED, STATUS_LABELS
    swatches = ((OPEN, "background:#fff1a8"), (ACCEPTED, "background:#c7f0cf"), (IN_REGISTER, "background:#d3e5ff"),
                (REJECTED, "background:#eceff1;text-decoration:line-through"))
    spans = [f"<span style='{style}'>&nbsp;{esc(STATUS_LABELS[status])}&nbsp;</span>" for status, style in swatches]
    quote = esc(_("the form's quote"))
    spans.append(f"<span style='background:#ffd8a8'>&nbsp;{quote}&nbsp;</span>")
    return esc(_("Marked:")) + " " + " ".join(spans)

_viewer = st.components.v2.component("incident_map_document_view", js=JS, css=CSS, isolate_styles=False)


def page_key(doc_id: str) -> str:
    return f"review_page_{doc_id}"


def show_offset(doc_id: str, offset: int, text: str, pages: tuple[int, ...]) -> None:
    """Turn the viewer to the page holding `offset` (a proposal or quote to look at)."""
    st.session_state[page_key(doc_id)] = page_of(offset, page_bounds(text, pages))


FOUND = "review_found"


def _find(doc_id: str, text: str, pages: tuple[int, ...]) -> None:
    """The find field's callback: turn to the page of the next match (after the last one found)."""
    state = st.session_state
    words = " ".join(str(state.get("review_find") or "").split())
    if not words:
        state.pop(FOUND, None)
        return
    previous = state.get(FOUND)
    after = previous[2] if previous and previous[0] == doc_id and previous[3] == words else 0
    folded = text.casefold()
    at = folded.find(words.casefold(), after)
    if at < 0:
        at = folded.find(words.casefold())
    if at < 0:
        state[FOUND] = (doc_id, 0, 0, words, False)
        return
    state[FOUND] = (doc_id, at, at + len(words), words, True)
    show_offset(doc_id, at, text, pages)


def viewer(doc_id: str, text: str, pages: tuple[int, ...], marks: list[Mark], focus: str | None = None):
    """Draw the page of the document the session is on; returns the component's state
    (`selection`: {start, end}, `clicked`: a proposal id)."""
    bounds = page_bounds(text, pages)
    key = page_key(doc_id)
    ask, again = st.columns([5, 1], vertical_alignment="bottom")
    ask.text_input(_("Find in the text"), key="review_find", placeholder=_("words or a date, e.g. October 24, 2018"),
                   on_change=_find, args=(doc_id, text, pages))
    again.button(_("Next match"), key="review_find_next", on_click=_find, args=(doc_id, text, pages), width="stretch")
    found = st.session_state.get(FOUND)
    found = found if found and found[0] == doc_id else None
    if found and not found[4]:
        st.caption(_("“{words}” is not in this document.").format(words=md(found[3])))
    elif found:
        marks = [*marks, Mark(found[1], found[2], "found", "", "found")]
    number = min(st.session_state.get(key, 0), len(bounds) - 1)
    if len(bounds) > 1:
        back, label, forward = st.columns([1, 3, 1])
        back.button(_("◀ Previous page"), key=f"{key}_back", disabled=number == 0, width="stretch",
                    on_click=lambda: st.session_state.update({key: number - 1}))
        label.markdown("<div style='text-align:center'>" + _("Page {n} of {total}").format(n=number + 1, total=len(bounds))
                       + "</div>",
                       unsafe_allow_html=True)
        forward.button(_("Next page ▶"), key=f"{key}_next", disabled=number + 1 == len(bounds), width="stretch",
                       on_click=lambda: st.session_state.update({key: number + 1}))
    start, end = bounds[number]
    html = page_html(text, start, end, marks)
    digest = hashlib.sha1(html.encode()).hexdigest()[:12]
    st.markdown(legend(), unsafe_allow_html=True)
    return _viewer(key="docview", data={"html": html, "key": f"{doc_id}:{number}:{digest}",
                                        "focus": bool(focus or found)},
                   on_selection_change=lambda: None, on_clicked_change=lambda: None), (start, end)
