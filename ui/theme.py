"""Page-wide styles Streamlit's theme options do not cover (set once per run, by app.py)."""
import streamlit as st

# Page titles: one line on a laptop screen, so the map starts near the top. (Readable captions
# come from the theme's text colour in .streamlit/config.toml.)
CSS = """<style>
[data-testid="stMainBlockContainer"] h1 { font-size: 1.5rem; padding: 0.2rem 0 0.4rem; }
[data-testid="stMainBlockContainer"] h2 { font-size: 1.3rem; padding: 0.6rem 0 0.3rem; }
</style>"""


def apply() -> None:
    st.html(CSS)
