"""Statistics from the sources (`data/statistics.yaml`): schema, loading and a long table.

Only numbers that a document's text states are recorded; each value cites its document, a locator
and a verbatim quote (the series' source, or the value's own where one series puts figures of
several documents side by side). A value is one number (`value`), a range the text gives
(`low`-`high`, e.g. "30-40 thousand") or a statement with no number (`statement: true`, e.g. "all
North Korean workers had left Russia"), which is never turned into a number.

Series belong to a group; the app draws each group on one scale, so 1 grant is not as tall as 207
applications. The chart and the table people read are in geo.view.source_statistics.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from geo.language import N_, Labels, _
from geo.paths import DATA_DIR

STATISTICS_YAML = DATA_DIR / "statistics.yaml"

SeriesId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEARS = re.compile(r"^(\d{4})-(\d{4})$")

COLUMNS = ["series_id", "title", "unit", "period", "value", "as_written"]
_FRAME_EXTRA = ["group", "measure", "label", "category", "order", "low", "high", "qualifier", "statement",
                "doc", "locator"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(Strict):
    doc: Text
    locator: Text
    quote: Text


class Value(Strict):
    period: Text
    value: int | None = Field(default=None, ge=0)
    low: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)
    statement: bool = False   # the text states this without a number: shown as words, never as a bar
    as_written: Text
    qualifier: Literal["about", "around", "more than", "fewer than"] | None = None
    label: Text | None = None
    source: Source | None = None   # this value's own citation; default: the series' source

    @field_validator("period", mode="before")
    @classmethod
    def _period_as_text(cls, v):
        # An unquoted period in YAML arrives as an int or a date; keep its written form.
        if isinstance(v, (int, dt.date)) and not isinstance(v, bool):
            return v.isoformat() if isinstance(v, dt.date) else str(v)
        return v

    @field_validator("period")
    @classmethod
    def _period_is_year_month_day_or_years(cls, v: str) -> str:
        if _YEAR.match(v):
            return v
        if _MONTH.match(v):
            dt.date.fromisoformat(f"{v}-01")  # raises on an impossible month
            return v
        if _DAY.match(v):
            dt.date.fromisoformat(v)  # raises on an impossible day
            return v
        years = _YEARS.match(v)
        if years and int(years[1]) < int(years[2]):
            return v
        raise ValueError(f"period {v!r} is not YYYY, YYYY-MM, YYYY-MM-DD or an increasing YYYY-YYYY")

    @model_validator(mode="after")
    def _number_range_or_statement(self):
        numbers = (self.value, self.low, self.high)
        if self.statement:
            if any(n is not None for n in numbers) or self.qualifier:
                raise ValueError("a statement has no number: drop value/low/high/qualifier or statement")
        elif self.value is not None:
            if self.low is not None or self.high is not None:
                raise ValueError("give either value or low/high, not both")
        elif self.low is None or self.high is None:
            raise ValueError("give value, or both low and high (or statement: true for words without a number)")
        elif self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self

    @property
    def is_range(self) -> bool:
        return not self.statement and self.value is None

    @property
    def category(self) -> str:
        """The period, and the label where one period has several figures."""
        return f"{self.period} · {self.label}" if self.label else self.period


class Series(Strict):
    id: SeriesId
    title: Text
    unit: Text
    measure: Text
    group: SeriesId
    source: Source | None = None
    values: list[Value] = Field(min_length=1)
    notes: Text | None = None

    @model_validator(mode="after")
    def _every_value_cited_and_unique(self):
        if self.source is None and any(v.source is None for v in self.values):
            raise ValueError("give the series a source, or every value its own source")
        seen = [v.category for v in self.values]
        duplicates = sorted({c for c in seen if seen.count(c) > 1})
        if duplicates:
            raise ValueError(f"several values for {duplicates}: give each a distinct label")
        return self

    def source_of(self, v: Value) -> Source:
        return v.source or self.source

    @property
    def docs(self) -> list[str]:
        return sorted({self.source_of(v).doc for v in self.values})


class Group(Strict):
    """Series drawn together on one scale; `notes` say where the documents' figures disagree."""
    id: SeriesId
    title: Text
    notes: Text | None = None


class Statistics(Strict):
    groups: list[Group] = Field(min_length=1)
    series: list[Series] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique_and_groups_known(self):
        for kind, ids in (("group", [g.id for g in self.groups]), ("series", [s.id for s in self.series])):
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"duplicate {kind} ids {duplicates}")
        known = {g.id for g in self.groups}
        unknown = sorted({s.group for s in self.series} - known)
        if unknown:
            raise ValueError(f"series name unknown groups {unknown}; known: {sorted(known)}")
        return self

    def in_group(self, group_id: str) -> list[Series]:
        return [s for s in self.series if s.group == group_id]


def load_statistics(path: Path = STATISTICS_YAML) -> Statistics:
    """Read and validate the statistics file (a mapping with `groups` and `series`)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping with 'groups' and 'series'")
    return Statistics.model_validate(raw)


def figure_text(v: Value) -> str:
    """The figure as people read it: '207', 'about 48,000', 'around 30,000–40,000', or the words
    of a statement ('“all North Korean worker had left Russia” (no number)')."""
    if v.statement:
        return _("“{words}” (no number)").format(words=v.as_written)
    number = f"{v.low:,}–{v.high:,}" if v.is_range else f"{v.value:,}"
    return QUALIFIERS[v.qualifier].format(figure=number) if v.qualifier else number


# "about 48,000": how a qualified figure reads, in the interface's language
QUALIFIERS = Labels({"about": N_("about {figure}"), "around": N_("around {figure}"),
                     "more than": N_("more than {figure}"), "fewer than": N_("fewer than {figure}")})


def statistics_frame(series: list[Series]) -> pd.DataFrame:
    """One row per value (long form). `value` is empty for ranges (then `low`/`high` hold them) and
    for statements; `figure` always holds the figure as text."""
    rows = []
    for s in series:
        for order, v in enumerate(s.values):
            source = s.source_of(v)
            rows.append({
                "series_id": s.id, "title": s.title, "unit": s.unit, "measure": s.measure, "group": s.group,
                "period": v.period, "label": v.label, "category": v.category, "order": order,
                "value": v.value, "low": v.low, "high": v.high, "qualifier": v.qualifier,
                "statement": v.statement, "as_written": v.as_written, "figure": figure_text(v),
                "doc": source.doc, "locator": source.locator,
            })
    columns = COLUMNS + [c for c in _FRAME_EXTRA if c not in COLUMNS] + ["figure"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("value", "low", "high"):
        frame[column] = frame[column].astype("Int64")
    return frame
