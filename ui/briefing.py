"""Guided briefings on the map page: choose one in the sidebar, step with Back/Next; the URL keeps
?briefing=…&step=…"""
from __future__ import annotations

import streamlit as st

from geo.paths import DATA_DIR, layers_dir
from geo.view.dataset import Bundle
from ui import data as shared, map_state
from ui.sidebar import show_filter
from geo.language import _


def _by_id() -> dict:
    available, _problem = shared.briefings()
    return {b.id: b for b in available}


def go_to_step(data: Bundle, number: int) -> None:
    step = _by_id()[st.session_state["briefing"]].steps[number]
    show_filter(step.filter, data)
    st.session_state.update(step=number, selected=step.highlight[0] if step.highlight else None)
    map_state.request({"center": list(step.center), "zoom": step.zoom, "focus": list(step.highlight)})


def step_counts() -> dict[str, int]:
    return {briefing_id: len(b.steps) for briefing_id, b in _by_id().items()}


def start_from_link(data: Bundle, link) -> None:
    """?briefing=ID&step=N (1-based) opens that step (geo.view.link has checked both)."""
    st.session_state["briefing"] = link.briefing
    if link.briefing:
        go_to_step(data, link.step)


def sidebar(data: Bundle):
    """The briefing controls; returns (briefing, step) being shown, or (None, None)."""
    briefings = _by_id()
    problem = shared.briefings()[1]

    def start() -> None:
        if st.session_state.get("briefing"):
            go_to_step(data, 0)

    with st.sidebar:
        st.header(_("Briefing"))
        st.selectbox(_("Guided briefing"), [None, *briefings], key="briefing", on_change=start,
                     placeholder=_("None — explore freely"),
                     format_func=lambda i: _("None (explore freely)") if i is None else briefings[i].title)
        if problem and layers_dir() == DATA_DIR:
            st.error(_("A briefing file could not be used: {problem}").format(problem=problem))
        elif problem:   # briefings cite the seed register's records; another dataset lacks them
            st.caption(_("The briefings refer to the seed register's records and are not available for this dataset."))
        active = briefings.get(st.session_state.get("briefing"))
        if not active:
            return None, None
        number = st.session_state["step"]
        st.caption(_("Step {n} of {total}").format(n=number + 1, total=len(active.steps)))
        back, forward = st.columns(2)
        back.button(_("◀ Back"), key="step_back", disabled=number == 0, on_click=go_to_step, args=(data, number - 1),
                    width="stretch")
        forward.button(_("Next ▶"), key="step_next", disabled=number + 1 == len(active.steps), on_click=go_to_step,
                       args=(data, number + 1), width="stretch")
    return active, active.steps[number]
