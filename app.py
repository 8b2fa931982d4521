"""The incident map app: navigation only. Pages are short scripts in ui/pages/; logic lives in geo/.

Run with ./start.sh (it sets up, builds missing layers and serves the offline assets). A public
deployment (./start.sh --public) has no Review & edit page: it shows and exports public data only.
"""
import streamlit as st

from ui import data, session, theme

st.set_page_config(page_title="DPRK workers and refugees in Russia: incident map", page_icon="🗺️",
                   layout="wide")
session.start(data.bundle_or_stop())
pages = [st.Page("ui/pages/map.py", title="Map", icon=":material/map:", default=True)]
if not data.public_deployment():
    pages.append(st.Page("ui/pages/review.py", title="Review & edit", icon=":material/edit_note:", url_path="review"))
pages += [
    st.Page("ui/pages/statistics.py", title="Statistics", icon=":material/bar_chart:", url_path="statistics"),
    st.Page("ui/pages/export.py", title="Export", icon=":material/download:", url_path="export"),
    st.Page("ui/pages/about.py", title="About the data", icon=":material/info:", url_path="about"),
]
page = st.navigation(pages)
session.enter_page(page.url_path)
theme.apply()
page.run()
