"""Sign-in page of a team store: the only page shown until someone signs in (app.py).

Failed sign-ins are slowed down per user name and per address (geo.store.auth): the page says how
long to wait. After signing in, the app opens on the page and link that were asked for."""
import streamlit as st

from geo.errors import GeoError
from geo.language import _
from geo.outputs.html_text import markdown_literal as md
from ui import identity

state = st.session_state
st.markdown("# " + _("Sign in"))
st.markdown(_("Documented incidents: North Korean workers and refugees in Russia — the team's shared register."))
if state.get(identity.NOTICE_KEY):
    st.info(md(state[identity.NOTICE_KEY]))
with st.form("sign_in_form", border=True, enter_to_submit=True):
    name = st.text_input(_("User name"), key="sign_in_name", max_chars=64, autocomplete="username")
    password = st.text_input(_("Password"), key="sign_in_password", type="password", max_chars=256,
                             autocomplete="current-password")
    submitted = st.form_submit_button(_("Sign in"), type="primary", icon=":material/login:")
if submitted:
    if not name.strip() or not password:
        st.error(_("Enter your user name and your password."))
    else:
        try:
            outcome = identity.sign_in(name, password)
        except GeoError as exc:   # the store cannot be reached: one line, nothing else
            st.error(_("Signing in is not possible right now: {error}").format(error=md(str(exc))))
        else:
            if outcome.ok:
                st.rerun()
            st.error(md(outcome.message))
            if outcome.retry_after > 0:
                st.caption(_("Sign-in attempts are slowed down after repeated failures: wait {seconds} s before the "
                             "next try.").format(seconds=f"{outcome.retry_after:.0f}"))
st.caption(_("No account? Ask your team's administrator ({command}). Viewers see the public release: names "
             "withheld and sensitive places coarsened.").format(command="`python -m geo users add NAME --role viewer`"))
