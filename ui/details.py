"""The details panel of one record: date and place as written and as resolved, what a court
decided, people, actors, outcome, every source with its quote, and the other records of the same
case."""
from __future__ import annotations

import streamlit as st

from geo.evidence.sources import DOC_LABELS
from geo.outputs.details import incident_rows, present
from geo.outputs.html_text import markdown_literal as md
from geo.view.dataset import Bundle
from ui import map_state

SHOWN_ELSEWHERE = ("Type", "Same case")   # the heading line and the buttons below say these


def record_details(data: Bundle, chosen: str) -> None:
    p = data.incidents.loc[chosen]
    st.markdown("## " + md(p["title"]))
    st.markdown(f"**{md(p['type_label'])}** · {md(p['date_label'])}")
    for label, text in incident_rows(p):
        if label not in SHOWN_ELSEWHERE:
            st.markdown(f"**{md(label)}:** {md(text)}")
        if label == "Date":   # where the sources disagree, every reading
            for reading in p["date_readings"] if present(p["date_readings"]) else []:
                st.markdown(f"- Reading in {md(DOC_LABELS.get(reading['doc'], reading['doc']))}: "
                            f"“{md(reading['as_written'])}”")
    st.markdown("**Sources**")
    for s in p["sources"]:
        st.markdown(f"*{md(DOC_LABELS.get(s['doc'], s['doc']))}* \\[{md(s['doc'])}\\], {md(s['locator'])}")
        st.markdown("> " + md(s["quote"]))
    if present(p["related"]):
        st.markdown("**Same case** (click to follow the chain; the map goes there)")
        for rel in p["related"]:
            st.button(data.titles.get(rel, rel), key=f"rel-{chosen}-{rel}", on_click=map_state.select, args=(rel, data))
    if present(p["notes"]):
        with st.expander("Curator's notes"):
            st.markdown(md(p["notes"]))
