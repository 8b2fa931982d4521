"""Who is working: the one place the app asks for the current user.

Until sign-in exists (issue 13 part B), "who" is a name the researcher types in the sidebar; it is
kept for the session and written into the change log and review decisions with every save. Sign-in
will replace `current_user` (and the sidebar field) here, and nothing else has to change.
"""
from __future__ import annotations

import streamlit as st

NAME_KEY = "user_name"


def current_user() -> str | None:
    """The name saves are recorded under, or None while none is set."""
    name = " ".join(str(st.session_state.get(NAME_KEY) or "").split())
    return name or None


def sidebar() -> str | None:
    """The name field in the sidebar (on the pages that write); returns the current user."""
    with st.sidebar:
        st.text_input("Your name (for the change log)", key=NAME_KEY, max_chars=80,
                      placeholder="e.g. A. Researcher",
                      help="Written with every record you save or candidate you reject, until sign-in exists. "
                           "Kept while this browser tab is open.")
    return current_user()
