"""What the user is looking at: a frozen filter that round-trips through URL parameters.

`IncidentFilter.apply` is a pure function of the incidents frame; the app, the exports and the
command line all use it, so a shared link, a downloaded file and `python -m geo export` agree.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from geo.evidence.vocabulary import ACTORS, INCIDENT_TYPES, RENAMED_TYPES

# Records dated this precisely count as "dated at least to the month".
MONTH_OR_BETTER = ("day", "month")
FIRST_YEAR, LAST_YEAR = 1950, 2030


class FilterError(ValueError):
    """A filter value that is not known; the message lists the allowed values."""


_YEAR = re.compile(r"[0-9]{4}")   # ASCII digits only: int() also takes "²"-free forms like "٢٠١٩"
WARNING_VALUE_LIMIT = 80          # characters of a bad link value echoed back in a warning


def shown(value, limit: int = WARNING_VALUE_LIMIT) -> str:
    """A value from a link, quoted for a message and cut to `limit` characters ("…" marks the cut)."""
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def allowed_list(allowed, limit: int | None = 12) -> str:
    names = sorted(allowed)
    return ", ".join(names) if limit is None or len(names) <= limit else ", ".join(names[:limit]) + f", … ({len(names)} in all)"


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


@dataclass(frozen=True)
class IncidentFilter:
    start_year: int | None = None          # None: from the earliest record
    end_year: int | None = None            # None: to the latest record
    month_or_better: bool = False
    types: tuple[str, ...] | None = None   # None: every type; () selects nothing
    actors: tuple[str, ...] | None = None
    subjects: tuple[str, ...] | None = None
    docs: tuple[str, ...] | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    # -- URL ---------------------------------------------------------------------------------
    PARAMS = ("from", "to", "month", "type", "actor", "subject", "doc")

    @classmethod
    def from_params(cls, params, known_subjects=(), known_docs=(), strict: bool = False) -> "IncidentFilter":
        """Build from URL-style string parameters. Unknown values raise (strict) or are dropped with a
        warning; when none of a parameter's values is known, the parameter is ignored as a whole (an
        explicitly empty one, `type=`, still selects nothing: that is how a cleared filter reads)."""
        warnings: list[str] = []

        def year(key):
            raw = params.get(key)
            if raw in (None, ""):
                return None
            raw = str(raw)
            value = int(raw) if _YEAR.fullmatch(raw.strip()) else None
            if value is None or not FIRST_YEAR <= value <= LAST_YEAR:
                message = f"{key}={shown(raw)} is not a year between {FIRST_YEAR} and {LAST_YEAR}"
                if strict:
                    raise FilterError(message)
                warnings.append(message + "; ignored")
                return None
            return value

        def values(key, allowed, renamed=None):
            if key not in params:
                return None
            chosen = tuple((renamed or {}).get(v, v) for v in _split(params.get(key)))
            unknown = [v for v in chosen if allowed and v not in allowed]
            known = tuple(v for v in chosen if v not in unknown)
            if unknown:
                listed = ", ".join(shown(v) for v in unknown[:5])
                if len(unknown) > 5:
                    listed += f" and {len(unknown) - 5} more"
                message = f"unknown {key} {listed}; allowed: {allowed_list(allowed, None if strict else 12)}"
                if strict:
                    raise FilterError(message)
                warnings.append(message + ("; ignored" if known else f"; the {key} filter is ignored"))
                if not known:
                    return None
            return known

        start, end = year("from"), year("to")
        if start is not None and end is not None and end < start:
            message = f"the time window ends ({end}) before it starts ({start})"
            if strict:
                raise FilterError(message)
            warnings.append(message + "; swapped")
            start, end = end, start
        return cls(
            start_year=start, end_year=end,
            month_or_better=str(params.get("month", "")).lower() in ("1", "true", "yes"),
            types=values("type", INCIDENT_TYPES, RENAMED_TYPES), actors=values("actor", ACTORS),
            subjects=values("subject", set(known_subjects)), docs=values("doc", set(known_docs)),
            warnings=tuple(warnings),
        )

    def to_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        if self.start_year is not None:
            params["from"] = str(self.start_year)
        if self.end_year is not None:
            params["to"] = str(self.end_year)
        if self.month_or_better:
            params["month"] = "1"
        for key, chosen in (("type", self.types), ("actor", self.actors),
                            ("subject", self.subjects), ("doc", self.docs)):
            if chosen is not None:
                params[key] = ",".join(chosen)
        return params

    # -- the machine form --------------------------------------------------------------------
    def window(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        start = pd.Timestamp(dt.date(self.start_year, 1, 1)) if self.start_year is not None else None
        end = pd.Timestamp(dt.date(self.end_year, 12, 31)) if self.end_year is not None else None
        return start, end

    def mask(self, incidents: pd.DataFrame) -> pd.Series:
        """True for the records this filter keeps. Vectorised; lists are tested row by row."""
        keep = pd.Series(True, index=incidents.index)
        if incidents.empty:
            return keep
        start, end = self.window()
        if start is not None:   # a record counts when [date_start, date_end] overlaps the window
            keep &= incidents["date_end"] >= start
        if end is not None:     # no date_start: "on or before date_end", open to every earlier window
            keep &= (incidents["date_start"] <= end) | incidents["date_start"].isna()
        if self.month_or_better:
            keep &= incidents["date_precision"].isin(MONTH_OR_BETTER)
        if self.types is not None:
            keep &= incidents["type"].isin(self.types)
        if self.subjects is not None:
            keep &= incidents["subject_code"].isin(self.subjects)
        if self.actors is not None:
            wanted = set(self.actors)
            keep &= incidents["actors"].map(lambda actors: bool(wanted.intersection(actors)))
        if self.docs is not None:
            wanted_docs = set(self.docs)
            keep &= incidents["source_docs"].map(lambda docs: bool(wanted_docs.intersection(docs)))
        return keep

    def apply(self, incidents: pd.DataFrame) -> pd.DataFrame:
        return incidents[self.mask(incidents)]

    # -- the human form ----------------------------------------------------------------------
    def describe(self, subject_names: dict[str, str] | None = None, doc_names: dict[str, str] | None = None) -> str:
        parts = []
        if self.start_year is not None or self.end_year is not None:
            parts.append(f"{self.start_year or 'earliest'}–{self.end_year or 'latest'}")
        else:
            parts.append("all dates")
        if self.month_or_better:
            parts.append("dated at least to the month")
        parts.append(_describe_values("types", self.types, INCIDENT_TYPES))
        if self.actors is not None:
            parts.append("actors: " + _describe_values("actors", self.actors, ACTORS))
        if self.subjects is not None:
            parts.append("regions: " + _describe_values("regions", self.subjects, subject_names or {}))
        if self.docs is not None:
            parts.append("sources: " + _describe_values("sources", self.docs, doc_names or {}))
        return " · ".join(parts)


def _describe_values(what: str, chosen: tuple[str, ...] | None, labels: dict[str, str]) -> str:
    if chosen is None:
        return f"all {what}"
    if not chosen:
        return f"no {what} selected"
    return ", ".join(labels.get(v, v) for v in chosen)
