"""The list of records under the map (both map pages): date, type, title, place, precision, region,
people and id, as a person reads them."""
from __future__ import annotations

import streamlit as st

from geo.evidence.vocabulary import LOCATION_PRECISIONS
from geo.outputs.details import present

COLUMNS = {"date_label": "Date", "type_label": "Type", "title": "Title", "place_name": "Place",
           "location_precision": "Place precision", "subject_name": "Region", "people_affected": "People",
           "id": "Record"}


def records_table(records) -> None:
    """Show `records` (a frame with COLUMNS' keys, in the order to list) as a table."""
    table = records[list(COLUMNS)].rename(columns=COLUMNS)
    table["Place precision"] = table["Place precision"].map(LOCATION_PRECISIONS)
    table["Region"] = [region if present(region) else "" for region in table["Region"]]
    table["People"] = [str(int(n)) if present(n) else "" for n in table["People"]]
    st.dataframe(table, hide_index=True, width="stretch")
