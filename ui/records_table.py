"""The list of records under the map (both map pages): date, type, title, place, precision, region,
people and id, as a person reads them, in the interface's language."""
from __future__ import annotations

import streamlit as st

from geo.evidence.vocabulary import LOCATION_PRECISIONS
from geo.language import N_, Labels
from geo.outputs.details import present

COLUMNS = Labels({"date_label": N_("Date"), "type_label": N_("Type"), "title": N_("Title"), "place_name": N_("Place"),
                  "location_precision": N_("Place precision"), "subject_name": N_("Region"),
                  "people_affected": N_("People"), "id": N_("Record")})
# Streamlit draws a table's rows 35 px high under a header row, at most 400 px before it scrolls.
ROW_HEIGHT, TABLE_MAX_HEIGHT = 35, 400


def table_height(rows: int) -> int:
    """The height Streamlit gives a table of `rows` rows (its place is kept while it loads)."""
    return min((rows + 1) * ROW_HEIGHT + 3, TABLE_MAX_HEIGHT)


def records_table(records, titles=None) -> None:
    """Show `records` (a frame with COLUMNS' keys, in the order to list) as a table. `titles` (id ->
    title as lists show it: a curated translation, marked) replaces the original titles."""
    table = records[list(COLUMNS)].copy()
    if titles:
        table["title"] = [titles.get(i, t) for i, t in zip(table["id"], table["title"])]
    table["location_precision"] = table["location_precision"].map(LOCATION_PRECISIONS)
    table["subject_name"] = [region if present(region) else "" for region in table["subject_name"]]
    table["people_affected"] = [str(int(n)) if present(n) else "" for n in table["people_affected"]]
    st.dataframe(table.rename(columns=dict(COLUMNS)), hide_index=True, width="stretch")
