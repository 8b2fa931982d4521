"""A timer on a page: a fragment that reruns every few seconds and acts only in those reruns,
never inside the page's run that draws it (that run has drawn the widgets the action may change,
and has not reached the browser yet). Used by the playback ticker and by a page that left part
of itself for the next run (ui.map_state.follow_up)."""
from __future__ import annotations

from typing import Callable

import streamlit as st


def on_timer(seconds: float, action: Callable[[], None]) -> None:
    """Call `action` every `seconds` in the timer's own reruns, while the page draws this."""
    in_page_run = True

    @st.fragment(run_every=seconds)
    def timer() -> None:
        nonlocal in_page_run
        if in_page_run:   # the call below, part of the page's run
            in_page_run = False
            return
        action()

    timer()
