"""The interface's language for this session: `?lang=en|ru|ko` on the first run, then the switch at
the top of the sidebar on every page (session state "lang"). geo.language reads it through the
resolver registered here, in every script run and callback of the session."""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from geo.language import LANGUAGES, set_resolver
from geo.view.link import read_language

KEY = "lang"
# The switch's label is in all three languages: whoever opened a page they cannot read finds it.
SWITCH_LABEL = "Language · Язык · 언어"


def _session_language() -> str | None:
    if get_script_run_ctx(suppress_warning=True) is None:   # not a session's run (a warm-up thread, a test)
        return None
    return st.session_state.get(KEY)


def start() -> None:
    """Before anything is drawn: on the session's first run, the language the link asks for (a bad
    value is said among the link's warnings: ui.session)."""
    set_resolver(_session_language)
    state = st.session_state
    if KEY not in state:
        state[KEY], warning = read_language(st.query_params.to_dict())
        state["lang_warning"] = warning


def switch() -> None:
    """The language switch, first in the sidebar on every page."""
    st.sidebar.selectbox(SWITCH_LABEL, list(LANGUAGES), key=KEY, format_func=LANGUAGES.get)


def url_params() -> dict[str, str]:
    """`lang` for the address bar, when it is not English (the default)."""
    code = st.session_state.get(KEY)
    return {"lang": code} if code and code != "en" else {}
