"""The incident map app: navigation only. Pages are short scripts in ui/pages/; logic lives in geo/.

Run with ./start.sh (it sets up, builds missing layers and serves the offline assets).
"""
import streamlit as st

from ui import data, session, theme

st.set_page_config(page_title="DPRK workers and refugees in Russia: incident map", page_icon="🗺️",
                   layout="wide")
session.start(data.bundle_or_stop())
page = st.navigation([
    st.Page("ui/pages/map.py", title="Map", icon=":material/map:", default=True),
    st.Page("ui/pages/statistics.py", title="Statistics", icon=":material/bar_chart:", url_path="statistics"),
    st.Page("ui/pages/export.py", title="Export", icon=":material/download:", url_path="export"),
    st.Page("ui/pages/about.py", title="About the data", icon=":material/info:", url_path="about"),
])
session.enter_page(page.url_path)
theme.apply()
page.run()
