"""Page-wide styles Streamlit's theme options do not cover (set once per run, by app.py)."""
import streamlit as st

# Captions and quotes: Streamlit fades them (opacity 0.6, a light grey) below WCAG AA for small
# text (2.7:1 and 3.9:1); this grey is 6.4:1 on white and 6.1:1 on the sidebar. Page titles: one
# line on a laptop screen, so the map starts near the top.
CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"] blockquote { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stMarkdownContainer"] blockquote, [data-testid="stMarkdownContainer"] blockquote p { color: #5c5b58 !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.5rem; padding: 0.2rem 0 0.4rem; }
[data-testid="stMainBlockContainer"] h2 { font-size: 1.3rem; padding: 0.6rem 0 0.3rem; }
</style>"""


def apply() -> None:
    st.html(CSS)
