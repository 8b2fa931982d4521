"""Counts for the patterns view: per federal subject and per year by type (pure functions)."""
from __future__ import annotations

import pandas as pd

from geo.evidence.vocabulary import INCIDENT_TYPES
from geo.language import _


def counts_per_subject(incidents: pd.DataFrame, subject_names: dict[str, str]) -> pd.DataFrame:
    """One row per federal subject that holds at least one record; country-level records are
    counted on a separate row, because they belong to no subject."""
    codes = incidents["subject_code"].fillna("").astype(str)
    grouped = pd.DataFrame({"code": codes, "people": pd.to_numeric(incidents["people_affected"]).fillna(0)}) \
        .groupby("code")["people"].agg(["size", "sum"])
    frame = pd.DataFrame({
        "code": grouped.index,
        "region": [subject_names.get(c, c) if c else _("Country level only (not mapped)") for c in grouped.index],
        "incidents": grouped["size"].astype(int).to_numpy(),
        "people_affected": grouped["sum"].astype(int).to_numpy(),
    })
    return frame.sort_values(["incidents", "region"], ascending=[False, True], ignore_index=True)


def counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    """counts_per_subject with its column names in the active language, for a table people read."""
    return counts.rename(columns={"code": _("Code"), "region": _("Region"), "incidents": _("Incidents"),
                                  "people_affected": _("People affected")})


def per_year_by_type(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents per year by type. A record dated to a range is counted in its first year; one
    known only as "on or before" a date (no start) in the year of that date."""
    if incidents.empty:
        return pd.DataFrame(columns=["year", "type", "type_label", "incidents"])
    years = incidents["date_start"].fillna(incidents["date_end"]).dt.year
    counts = (pd.DataFrame({"year": years, "type": incidents["type"]})
              .value_counts().rename("incidents").reset_index())
    counts["type_label"] = counts["type"].map(INCIDENT_TYPES)
    return counts.sort_values(["year", "type"], ignore_index=True)
