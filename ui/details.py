"""The details panel of one record: date and place as written and as resolved, what a court
decided, people, actors, outcome, every source with its quote, and the other records of the same
case."""
from __future__ import annotations

import streamlit as st

from geo.errors import GeoError
from geo.language.curated import marked, translation
from geo.outputs.details import DESCRIPTION_ROWS, SHOW_DESCRIPTION, held_back_text, incident_facts, is_graphic, present
from geo.outputs.html_text import markdown_literal as md
from geo.view.dataset import Bundle
from ui import data as shared, map_state
from ui.history import record_history
from geo.language import _, ngettext

SHOWN_ELSEWHERE = ("type", "related")   # the heading line and the buttons below say these


def _correct(record_id: str) -> None:
    """Open the record form on this record (its version now) and go to the Review & edit page."""
    from ui import record_form
    try:
        stored = shared.store().record(record_id)
    except GeoError as exc:
        st.session_state["details_message"] = _("This record cannot be opened for correction: {problem}").format(problem=exc)
        return
    record_form.open_existing(stored)
    st.session_state.update(review_doc_next=stored.record.sources[0].doc, go_to_review=True)


def _editing_hooks(chosen: str) -> None:
    """Above the details (not in a public deployment): the last save, and "Correct this record"."""
    state = st.session_state
    if state.pop("go_to_review", False):
        st.switch_page("ui/pages/review.py")
    saved = state.get("saved")
    if saved and saved["record_id"] == chosen:
        message = (ngettext("Corrected {id} ({n} field change); the map shows it.",
                            "Corrected {id} ({n} field changes); the map shows it.", saved["changes"])
                   if saved["mode"] == "edit" else
                   ngettext("Saved new record {id} ({n} field change); the map shows it.",
                            "Saved new record {id} ({n} field changes); the map shows it.", saved["changes"]))
        st.success(message.format(id=md(chosen), n=saved["changes"]))
        st.page_link("ui/pages/review.py", label=_("Back to the review"), icon=":material/edit_note:")
    if state.get("details_message"):
        st.error(md(state.pop("details_message")))
    st.button(_("Correct this record"), key=f"correct-{chosen}", icon=":material/edit:", on_click=_correct, args=(chosen,),
              help=_("Open it in the record form (Review & edit page); every change is recorded with your name."))


def reveal(record_id: str) -> None:
    st.session_state.setdefault("revealed", set()).add(record_id)


def record_details(data: Bundle, chosen: str, guard: bool = False) -> None:
    """With `guard` (a public deployment, a briefing), a record describing violence or a death
    shows its description (quotes, outcome, notes) once asked; the answer holds for the session."""
    labels = shared.doc_labels()
    if shared.may_edit():
        _editing_hooks(chosen)
    p = data.incidents.loc[chosen]
    hidden = guard and is_graphic(p) and chosen not in st.session_state.get("revealed", set())
    title = translation(p, "title")
    if title:      # a curated translation, marked; the original (the evidence) right below it
        st.markdown("## " + md(marked(title)))
        st.caption(_("Original title: {title}").format(title=md(p["title"])))
    else:
        st.markdown("## " + md(p["title"]))
    st.markdown(f"**{md(p['type_label'])}** · {md(p['date_label'])}")
    for key, label, text in incident_facts(p):
        if hidden and key in DESCRIPTION_ROWS:
            continue
        if key not in SHOWN_ELSEWHERE:
            st.markdown(f"**{md(label)}:** {md(text)}")
        if key == "date":   # where the sources disagree, every reading
            for reading in p["date_readings"] if present(p["date_readings"]) else []:
                st.markdown("- " + _("Reading in {document}: “{written}”").format(
                    document=md(labels.get(reading['doc'], reading['doc'])), written=md(reading['as_written'])))
    st.markdown(_("**Sources**"))
    for s in p["sources"]:
        st.markdown(f"*{md(labels.get(s['doc'], s['doc']))}* \\[{md(s['doc'])}\\], {md(s['locator'])}")
        if not hidden:
            st.markdown("> " + md(s["quote"]))
    if hidden:
        st.info(md(held_back_text(p)))
        st.button(_(SHOW_DESCRIPTION), key=f"reveal-{chosen}", on_click=reveal, args=(chosen,))
    if present(p["related"]):
        st.markdown(_("**Same case** (click to follow the chain; the map goes there)"))
        for rel in p["related"]:
            st.button(data.titles.get(rel, rel), key=f"rel-{chosen}-{rel}", on_click=map_state.select, args=(rel, data))
    if present(p["notes"]) and not hidden:
        with st.expander(_("Curator's notes")):
            st.markdown(md(p["notes"]))
    if not shared.public_deployment():
        record_history(chosen)
