"""Session state that outlives a page: read the shared link once, keep widget values across pages,
and write each page's state back to the URL."""
from __future__ import annotations

import streamlit as st

from geo.view.dataset import Bundle
from geo.view.link import read_link
from ui import briefing
from ui.sidebar import FILTER_KEYS, show_filter

# Widget values that must survive a visit to a page that does not draw the widget (Streamlit drops
# the state of widgets that are not drawn in a run; re-assigning it keeps it).
KEPT_KEYS = (*FILTER_KEYS, "briefing", "show_regions", "export_mode", "export_title", "export_format",
             "deck_briefing", "deck_format")


def start(data: Bundle) -> None:
    """On a session's first run, take the view from the URL; on every run, keep widget state."""
    state = st.session_state
    if "ready" not in state:
        link = read_link(st.query_params.to_dict(), years=data.year_range(), subject_names=data.subject_names,
                         doc_titles=data.doc_titles, record_ids=data.titles, briefing_steps=briefing.step_counts())
        show_filter(link.filter, data)
        state.update({
            "selected": link.selected,
            "view": link.view,
            "url_warnings": link.warnings,
            "step": 0,
            "ready": True,
        })
        briefing.start_from_link(data, link)
    for key in KEPT_KEYS:
        if key in state:
            state[key] = state[key]


def write_url(params: dict[str, str]) -> None:
    """Make the address bar show this page's state (a shared link reopens it)."""
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)
