"""The details panel of one record: date and place as written and as resolved, what a court
decided, people, actors, outcome, every source with its quote, and the other records of the same
case."""
from __future__ import annotations

import streamlit as st

from geo.evidence.sources import DOC_LABELS
from geo.evidence.vocabulary import LOCATION_PRECISIONS
from geo.outputs.details import court_facts
from geo.outputs.html_text import markdown_literal as md
from geo.view.dataset import Bundle


def select(record_id: str) -> None:
    st.session_state["selected"] = record_id


def record_details(data: Bundle, chosen: str) -> None:
    p = data.incidents.loc[chosen]
    st.subheader(md(p["title"]))
    st.markdown(f"**{md(p['type_label'])}** · {md(p['date_label'])}  \n"
                f"Date as written: “{md(p['date_as_written'])}”")
    for reading in p["date_readings"] or []:
        st.markdown(f"- Reading in {md(DOC_LABELS.get(reading['doc'], reading['doc']))}: “{md(reading['as_written'])}”")
    st.markdown(f"**Place:** {md(p['place_as_written'])} → {md(p['place_name'])} "
                f"({md(LOCATION_PRECISIONS[p['location_precision']])} precision) · "
                f"{md(p['subject_name'] or p['country'])}")
    for label, text in court_facts(p):   # court, instance, outcome of a court decision
        st.markdown(f"**{label}:** {md(text)}")
    if p["people_affected"] == p["people_affected"] and p["people_affected"] is not None:
        st.markdown(f"**People affected:** {int(p['people_affected'])} (lowest figure in the sources)")
    if p["actor_labels"]:
        st.markdown(f"**Actors:** {md(', '.join(p['actor_labels']))}")
    if p["outcome"]:
        st.markdown(f"**Outcome:** {md(p['outcome'])}")
    st.markdown("**Sources**")
    for s in p["sources"]:
        st.markdown(f"*{md(DOC_LABELS.get(s['doc'], s['doc']))}* \\[{md(s['doc'])}\\], {md(s['locator'])}")
        st.markdown("> " + md(s["quote"]))
    if p["related"]:
        st.markdown("**Same case** (click to follow the chain)")
        for rel in p["related"]:
            st.button(data.titles.get(rel, rel), key=f"rel-{chosen}-{rel}", on_click=select, args=(rel,))
    if p["notes"]:
        with st.expander("Curator's notes"):
            st.markdown(md(p["notes"]))
