"""Who is working: the one place the app asks for the current user and what they may do.

With a team store (INCIDENT_STORE=postgresql://...) people sign in (ui/pages/sign_in.py): the
session keeps a token, checked against the store's sessions on every run (geo.store.auth: expiry,
idle timeout, a role change or removal applies at once), and saves are recorded under the signed-in
name. The browser keeps the token in a cookie too (SameSite=Strict, for the session's lifetime), so
a reload or a new tab of the same browser stays signed in until the session expires or is signed
out; signing out, or a session the store no longer knows, clears it.

Without a team store (a researcher on a laptop) there is no sign-in: "who" is a name typed in the
sidebar, kept for the session and written into the change log with every save.
"""
from __future__ import annotations

import json

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
COOKIE_CHECKED_KEY = "auth_cookie_checked"   # this browser session's cookie was looked at
COOKIE = "incident_map_session"


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
    if not token and not state.get(COOKIE_CHECKED_KEY):   # a reload or a new tab: the browser's cookie
        state[COOKIE_CHECKED_KEY] = True
        token = _cookie_token()
    user = accounts().session_user(token) if token else None
    if token and user is None:
        _forget(_("Your session has ended (it expired or was signed out elsewhere): sign in again."))
    elif user is not None:
        state[TOKEN_KEY] = token
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
    state[COOKIE_CHECKED_KEY] = True    # what the browser sent at connection is no longer to be used
    if notice:
        state[NOTICE_KEY] = notice


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE)
    except (AttributeError, RuntimeError):
        return None
    return token if isinstance(token, str) and 0 < len(token) <= 128 else None   # AppTest has no cookies


def _set_cookie(value: str, max_age: int) -> None:
    """Write (or, with max_age 0, remove) the session cookie in the browser: a hidden iframe, out of
    the keyboard's tab order, whose script sets it on the app's own page. Drawn on every run with the same text, so
    Streamlit keeps the one iframe and the script runs once."""
    cookie = json.dumps(f"{COOKIE}={value}; Path=/; Max-Age={max_age}; SameSite=Strict")
    with st.container(key="session-cookie"):    # hidden: it takes no room (a hidden iframe still runs)
        st.html("<style>.st-key-session-cookie { display: none; }</style>")
        st.iframe(f"<script>window.parent.document.cookie = {cookie} + "
                  "(window.parent.location.protocol === 'https:' ? '; Secure' : '');</script>", height=1, tab_index=-1)


def remember_in_browser() -> None:
    """While signed in: the browser keeps the session's token (a reload stays signed in)."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        with st.sidebar:
            _set_cookie(token, int(accounts().session_lifetime.total_seconds()))


def forget_in_browser() -> None:
    """On the sign-in page: the browser forgets any token it kept (signed out, or expired)."""
    _set_cookie("", 0)


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
