"""The Streamlit user interface: the only package (with app.py) that imports streamlit.

`app.py` is navigation; each page is a short script in `ui/pages/`; the shared pieces (cached data,
the filter sidebar, the record details, the URL) are modules here. Logic lives in `geo/`.
"""
