"""Statistics from the sources (`data/statistics.yaml`): schema, a long table and a cited chart.

Only numbers that a document's text states are recorded; each series cites its document, a
locator and a verbatim quote. A value is either one number (`value`) or a range the text gives
(`low`-`high`, e.g. "30-40 thousand"). No streamlit here: the app renders the chart it gets.
"""
from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path
from typing import Annotated, Literal

import altair as alt
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from geo.paths import DATA_DIR

STATISTICS_YAML = DATA_DIR / "statistics.yaml"

SeriesId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_YEAR = re.compile(r"^\d{4}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEARS = re.compile(r"^(\d{4})-(\d{4})$")

# Okabe-Ito colours (safe for the common colour-vision deficiencies).
EXACT_COLOUR = "#0072B2"   # blue: a number as stated
INEXACT_COLOUR = "#E69F00"  # orange: "about", "more than", or a range

COLUMNS = ["series_id", "title", "unit", "period", "value", "as_written"]
_FRAME_EXTRA = ["measure", "label", "category", "order", "low", "high", "qualifier", "doc", "locator"]


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
    as_written: Text
    qualifier: Literal["about", "around", "more than", "fewer than"] | None = None
    label: Text | None = None

    @field_validator("period", mode="before")
    @classmethod
    def _period_as_text(cls, v):
        # An unquoted period in YAML arrives as an int or a date; keep its written form.
        if isinstance(v, (int, dt.date)) and not isinstance(v, bool):
            return v.isoformat() if isinstance(v, dt.date) else str(v)
        return v

    @field_validator("period")
    @classmethod
    def _period_is_year_day_or_years(cls, v: str) -> str:
        if _YEAR.match(v):
            return v
        if _DAY.match(v):
            dt.date.fromisoformat(v)  # raises on an impossible day
            return v
        years = _YEARS.match(v)
        if years and int(years[1]) < int(years[2]):
            return v
        raise ValueError(f"period {v!r} is not YYYY, YYYY-MM-DD or an increasing YYYY-YYYY")

    @model_validator(mode="after")
    def _number_or_range(self):
        if self.value is not None:
            if self.low is not None or self.high is not None:
                raise ValueError("give either value or low/high, not both")
        elif self.low is None or self.high is None:
            raise ValueError("give value, or both low and high")
        elif self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self

    @property
    def is_range(self) -> bool:
        return self.value is None

    @property
    def category(self) -> str:
        """The x-axis label: the period, and the label where one period has several figures."""
        return f"{self.period} · {self.label}" if self.label else self.period


class Series(Strict):
    id: SeriesId
    title: Text
    unit: Text
    measure: Text
    source: Source
    values: list[Value] = Field(min_length=1)
    notes: Text | None = None

    @model_validator(mode="after")
    def _categories_unique(self):
        seen = [v.category for v in self.values]
        duplicates = sorted({c for c in seen if seen.count(c) > 1})
        if duplicates:
            raise ValueError(f"several values for {duplicates}: give each a distinct label")
        return self


def load_statistics(path: Path = STATISTICS_YAML) -> list[Series]:
    """Read and validate the statistics file; series ids must be unique."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a list of series")
    series = [Series.model_validate(item) for item in raw]
    ids = [s.id for s in series]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{path}: duplicate series ids {duplicates}")
    return series


def statistics_frame(series: list[Series]) -> pd.DataFrame:
    """One row per value (long form). `value` is empty for ranges; `low`/`high` then hold them."""
    rows = []
    for s in series:
        for order, v in enumerate(s.values):
            rows.append({
                "series_id": s.id, "title": s.title, "unit": s.unit, "measure": s.measure,
                "period": v.period, "label": v.label, "category": v.category, "order": order,
                "value": v.value, "low": v.low, "high": v.high, "qualifier": v.qualifier,
                "as_written": v.as_written, "doc": s.source.doc, "locator": s.source.locator,
            })
    columns = COLUMNS + [c for c in _FRAME_EXTRA if c not in COLUMNS]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("value", "low", "high"):
        frame[column] = frame[column].astype("Int64")
    return frame


def citation(s: Series) -> str:
    return f"Source: {s.source.doc}, {s.source.locator}"


def citation_lines(s: Series, width: int = 300) -> list[str]:
    """The citation wrapped to the chart's width (about 5.5 px per character at 10 px)."""
    return textwrap.wrap(citation(s), width=max(30, int(width / 5.5)),
                         break_on_hyphens=False, break_long_words=False)


def figure_text(v: Value) -> str:
    """The number for a bar label: '207', 'about 48,000', 'around 30,000-40,000'."""
    number = f"{v.low:,}-{v.high:,}" if v.is_range else f"{v.value:,}"
    return f"{v.qualifier} {number}" if v.qualifier else number


def _axis_label(v: Value, chars: int) -> str:
    """Period and label as lines joined by ' · ' (the axis splits them into lines)."""
    lines = [v.period] + (textwrap.wrap(v.label, width=chars) if v.label else [])
    return " · ".join(lines)


def _series_chart(s: Series, width: int) -> alt.LayerChart:
    width = max(width, 105 * len(s.values))
    rows = []
    for order, v in enumerate(s.values):
        exact = v.qualifier is None and not v.is_range
        rows.append({
            "order": order, "category": _axis_label(v, 16), "period": v.period,
            "label": v.label or "", "as_written": v.as_written, "figure": figure_text(v),
            "bar_from": v.low if v.is_range else 0,
            "bar_to": v.high if v.is_range else v.value,
            "stated as": "exact figure" if exact else "approximate, bound or range",
        })
    data = pd.DataFrame(rows)
    x = alt.X("category:N", sort=alt.SortField("order"), title="Period",
              axis=alt.Axis(labelAngle=0, labelLimit=160, labelExpr="split(datum.label, ' · ')"))
    tooltip = [
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("label:N", title="What"),
        alt.Tooltip("figure:N", title=f"Value ({s.unit})"),
        alt.Tooltip("as_written:N", title="As written"),
        alt.Tooltip("stated as:N", title="Stated as"),
    ]
    colour = alt.Color(
        "stated as:N", title="Figure",
        scale=alt.Scale(domain=["exact figure", "approximate, bound or range"],
                        range=[EXACT_COLOUR, INEXACT_COLOUR]),
        legend=None,
    )
    base = alt.Chart(data).encode(x=x, tooltip=tooltip)
    bars = base.mark_bar(size=min(44, max(14, width // (2 * len(rows) + 1)))).encode(
        y=alt.Y("bar_from:Q", title=s.unit, scale=alt.Scale(zero=True, nice=True),
                axis=alt.Axis(format=",d", tickMinStep=1)),
        y2="bar_to:Q",
        color=colour,
    )
    labels = base.mark_text(dy=-4, baseline="bottom", fontSize=11).encode(
        y="bar_to:Q", text="figure:N")
    return (bars + labels).properties(
        width=width, height=160,
        title=alt.TitleParams(
            text=s.title, subtitle=citation_lines(s, width), anchor="start", fontSize=13,
            limit=width + 40, subtitleFontSize=10, subtitleColor="#555555"),
    )


def statistics_chart(series_list: list[Series], columns: int = 2, width: int = 300) -> alt.ConcatChart:
    """Small multiples, one bar chart per series, each with its own scale and citation."""
    charts = [_series_chart(s, width) for s in series_list]
    docs = sorted({s.source.doc for s in series_list})
    return alt.concat(*charts, columns=columns).properties(
        title=alt.TitleParams(
            text="Statistics from the sources: asylum in Russia for DPRK citizens, 2011-2019",
            subtitle=[
                f"Figures as stated in the text of {', '.join(docs)}; the report's diagrams have "
                "no values in the text, so per-year figures are not shown.",
                "Blue: exact figure. Orange: approximate (\"about\", \"more than\") or a range.",
            ],
            anchor="start", fontSize=15),
    ).configure_view(stroke=None).configure_axis(labelFontSize=11, titleFontSize=11)
