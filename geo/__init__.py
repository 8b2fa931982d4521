"""The domain of the incident map: register schema, gazetteer, build, filters, exports.

Nothing in this package imports streamlit; `app.py` is the only Streamlit module.
"""
