"""Who is working: the one place the app asks for the current user and what they may do.

With a team store (INCIDENT_STORE=postgresql://...) people sign in (ui/pages/sign_in.py): the
session keeps a token, checked against the store's sessions on every run (geo.store.auth: expiry,
idle timeout, a role change or removal applies at once), and saves are recorded under the signed-in
name. Without one (a researcher on a laptop) there is no sign-in: "who" is a name typed in the
sidebar, kept for the session and written into the change log with every save.
"""
from __future__ import annotations

import streamlit as st
from geo.language import _

from geo.errors import GeoError
from geo.outputs.html_text import markdown_literal as md
from geo.store import is_database, store_url
from geo.store.auth import ROLE_LABELS, Accounts, SignIn, User

NAME_KEY = "user_name"
TOKEN_KEY = "auth_token"
USER_KEY = "auth_user"        # the User this run was checked as (set by `check_session`)
NOTICE_KEY = "auth_notice"    # why the sign-in page is shown again (expired, signed out)


def team() -> bool:
    """A team store is configured: people sign in and have roles."""
    return is_database(store_url())


def accounts() -> Accounts:
    from ui import data
    return Accounts(data.store().conn)


def check_session() -> User | None:
    """Once per run, before any page: the signed-in user, or None (the sign-in page is shown).
    An expired session (or a removed user) clears the session's state: nothing of what the last
    user saw is kept for whoever signs in next in this tab."""
    state = st.session_state
    token = state.get(TOKEN_KEY)
    user = accounts().session_user(token) if token else None
    if token and user is None:
        _forget(_("Your session has ended (it expired or was signed out elsewhere): sign in again."))
    state[USER_KEY] = user
    return user


def signed_in() -> User | None:
    return st.session_state.get(USER_KEY) if team() else None


def allowed(permission: str) -> bool:
    """May the signed-in user do this (geo.store.auth permissions)? Without a team store: yes."""
    if not team():
        return True
    user = signed_in()
    return bool(user and user.can(permission))


def client_address() -> str:
    """Who is signing in, for throttling: the client's address as the server saw it."""
    try:
        return str(st.context.ip_address or "unknown")
    except AttributeError:
        return "unknown"


def sign_in(name: str, password: str) -> SignIn:
    outcome = accounts().sign_in(name.strip(), password, client_address())
    if outcome.ok:
        _forget(None)
        st.session_state.update({TOKEN_KEY: outcome.token, USER_KEY: outcome.user})
    return outcome


def sign_out() -> None:
    try:
        accounts().sign_out(st.session_state.get(TOKEN_KEY))
    except GeoError:
        pass   # the store is down: the session is forgotten here anyway and expires there
    _forget(_("You are signed out."))


def _forget(notice: str | None) -> None:
    state = st.session_state
    for key in list(state.keys()):
        if key != "_team_store":
            del state[key]
    if notice:
        state[NOTICE_KEY] = notice


def current_user() -> str | None:
    """The name saves are recorded under, or None while none is set (or the user may not edit)."""
    if team():
        user = signed_in()
        return user.name if user and user.can("edit") else None
    name = " ".join(str(st.session_state.get(NAME_KEY) or "").split())
    return name or None


def sidebar() -> str | None:
    """Without a team store, the name field in the sidebar (on the pages that write); returns the
    current user. With one, the signed-in name is used (account_sidebar shows it)."""
    if not team():
        with st.sidebar:
            st.text_input(_("Your name (for the change log)"), key=NAME_KEY, max_chars=80,
                          placeholder=_("e.g. A. Researcher"),
                          help=_("Written with every record you save or candidate you reject. "
                                 "Kept while this browser tab is open."))
    return current_user()


def account_sidebar() -> None:
    """Who is signed in, with which role, and the Sign out button (every page of a team store)."""
    user = signed_in()
    if user is None:
        return
    with st.sidebar:
        st.markdown(_("Signed in as **{name}** · {role}").format(
            name=md(user.name), role=md(_(ROLE_LABELS[user.role]) if user.role in ROLE_LABELS else user.role)))
        st.button(_("Sign out"), key="sign_out", icon=":material/logout:", on_click=sign_out)
