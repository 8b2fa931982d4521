"""The incident map app: navigation only. Pages are short scripts in ui/pages/; logic lives in geo/.

Run with ./start.sh (it sets up, builds missing layers and serves the offline assets). A public
deployment (./start.sh --public) has no Review & edit page: it shows and exports public data only.
With a team store (./start.sh --team, INCIDENT_STORE=postgresql://...) people sign in first, and
their role decides the pages: viewers the public release, researchers the full data, editors also
Review & edit, administrators also Users.
The interface is in English, Russian or Korean (ui.language: ?lang= and the sidebar switch).
"""
import streamlit as st

from geo.errors import GeoError
from geo.language import _
from ui import data, identity, language, session, theme

language.start()
st.set_page_config(page_title=_("DPRK workers and refugees in Russia: incident map"), page_icon="🗺️",
                   layout="wide")
if identity.team():
    try:
        user = identity.check_session()
    except GeoError as exc:   # the store cannot be reached: say so, offer a retry, show nothing else
        st.error(_("The team store cannot be reached: {problem}").format(problem=exc))
        st.button(_("Try again"), icon=":material/refresh:")
        st.stop()
    if user is None:          # only the sign-in page exists until someone signs in
        st.navigation([st.Page("ui/pages/sign_in.py", title=_("Sign in"), icon=":material/login:", default=True)]).run()
        identity.forget_in_browser()
        st.stop()
    identity.remember_in_browser()
bundle = data.bundle_or_stop()
session.start(bundle)
map_page = "ui/pages/map_store.py" if bundle.at_scale else "ui/pages/map.py"
pages = [st.Page(map_page, title=_("Map"), icon=":material/map:", default=True)]
if data.may_edit():
    pages.append(st.Page("ui/pages/review.py", title=_("Review & edit"), icon=":material/edit_note:", url_path="review"))
pages += [
    st.Page("ui/pages/statistics.py", title=_("Statistics"), icon=":material/bar_chart:", url_path="statistics"),
    st.Page("ui/pages/export.py", title=_("Export"), icon=":material/download:", url_path="export"),
    st.Page("ui/pages/about.py", title=_("About the data"), icon=":material/info:", url_path="about"),
]
if identity.allowed("manage_users") and identity.team():
    pages.append(st.Page("ui/pages/users.py", title="Users", icon=":material/group:", url_path="users"))
page = st.navigation(pages)
identity.account_sidebar()
session.enter_page(page.url_path)
theme.apply()
language.switch()
page.run()
