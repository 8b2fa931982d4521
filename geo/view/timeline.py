"""The timeline under the map: incidents per month or year, stacked by type in the map's colours.

It counts what every filter but the time window keeps (the window is what the timeline sets), and
shows the window as a shaded band. A record is counted once, in the period its date starts in (a
record known only as "on or before" a date, in that date's period). A record whose date does not
fit inside one bar — a year-only date on a monthly timeline, a "1990–1996" range — is drawn paler
in its first bar: the bar says "started here", not "happened here".

Selections come back from Vega-Lite (Streamlit's on_select) as an interval over the x axis (a drag)
or the bar clicked; `window_from_selection` turns either into whole months or years.

Plain dicts rather than altair: the spec is rebuilt on every step of a playback.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.evidence.vocabulary import INCIDENT_TYPES
from geo.language import _

UNITS = ("month", "year")
BRUSH, PICK = "brush", "pick"   # the chart's selection parameters (the app reads them by name)
PALE = 0.35                     # opacity of records whose date does not fit in one bar


@dataclass(frozen=True)
class Window:
    """A time window of whole months, first and last month inclusive, as month numbers
    (year * 12 + month - 1): easy to step, compare and turn into a filter."""
    first: int
    last: int

    @classmethod
    def of(cls, start_year: int, start_month: int, end_year: int, end_month: int) -> "Window":
        return cls(start_year * 12 + start_month - 1, end_year * 12 + end_month - 1)

    @property
    def start(self) -> tuple[int, int]:
        return divmod(self.first, 12)[0], divmod(self.first, 12)[1] + 1

    @property
    def end(self) -> tuple[int, int]:
        return divmod(self.last, 12)[0], divmod(self.last, 12)[1] + 1

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    def start_date(self) -> dt.date:
        year, month = self.start
        return dt.date(year, month, 1)

    def label(self) -> str:
        """'1995', '1990–1994', 'Mar 2018', 'Mar – May 2018'."""
        from geo.view.filters import month_label
        (y1, m1), (y2, m2) = self.start, self.end
        if m1 == 1 and m2 == 12:
            return str(y1) if y1 == y2 else "{start}–{end}".format(start=y1, end=y2)
        if self.first == self.last:
            return month_label(y1, m1)
        return "{start} – {end}".format(start=month_label(y1, m1), end=month_label(y2, m2))

    def end_date(self) -> dt.date:
        """The first day after the window (an exclusive end, as a chart's band needs)."""
        year, month = divmod(self.last + 1, 12)
        return dt.date(year, month + 1, 1)


def month_numbers(dates: pd.Series) -> np.ndarray:
    """Dates -> month numbers (year * 12 + month - 1); -1 where a date is missing."""
    values = dates.to_numpy(dtype="datetime64[ns]")
    months = values.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    return np.where(np.isnat(values), -1, months)


def counts(incidents: pd.DataFrame, unit: str = "year") -> pd.DataFrame:
    """Incidents per period (first day, ISO) and type, split by whether the date fits in the period.
    Columns: period, type, type_label, fits, incidents."""
    if unit not in UNITS:
        raise ValueError("unit must be one of {units}".format(units=", ".join(UNITS)))
    columns = ["period", "type", "type_label", "fits", "incidents"]
    if incidents.empty:
        return pd.DataFrame(columns=columns)
    start = month_numbers(incidents["date_start"])
    end = month_numbers(incidents["date_end"])
    first = np.where(start >= 0, start, end)   # "on or before": in the period of its end
    if unit == "year":
        first_bin, last_bin = first // 12 * 12, end // 12 * 12
    else:
        first_bin, last_bin = first, end
    fits = (start >= 0) & (first_bin == last_bin)
    frame = pd.DataFrame({"bin": first_bin, "type": incidents["type"].to_numpy(), "fits": fits})
    frame = frame[frame["bin"] >= 0]
    grouped = frame.value_counts(["bin", "type", "fits"]).rename("incidents").reset_index()
    years, months = np.divmod(grouped["bin"].to_numpy(), 12)
    grouped["period"] = [f"{y:04d}-{m + 1:02d}-01" for y, m in zip(years, months)]
    grouped["type_label"] = grouped["type"].map(INCIDENT_TYPES)
    order = {key: i for i, key in enumerate(INCIDENT_TYPES)}
    grouped["order"] = grouped["type"].map(order)
    grouped = grouped.sort_values(["bin", "fits", "order"], ascending=[True, False, True], ignore_index=True)
    return grouped[columns]


def spec(table: pd.DataFrame, unit: str, colours: dict[str, str], window: Window | None,
         span: tuple[int, int], height: int = 150) -> dict:
    """The Vega-Lite spec: stacked bars over [span] years, the window as a shaded band, a drag
    (interval) and a click (point) selection. Colours are the map's, for the types present."""
    return with_window(bars_spec(table, unit, colours, span, height), window)


WINDOW_DATA, BARS_DATA = "window", "bars"


def with_window(bars: dict, window: Window | None) -> dict:
    """A bars spec (bars_spec) with the window shaded. The band is a named dataset (empty without a
    window) and its layers are always there, so a playback step changes the data, not the spec:
    Streamlit then updates the drawn chart in place instead of embedding it anew (Vega's parse and
    first draw were ~15 % of the browser's main-thread work in a step)."""
    band = [] if window is None else [{"from": window.start_date().isoformat(), "to": window.end_date().isoformat()}]
    data = {"name": WINDOW_DATA}
    layers = [
        {"data": data, "mark": {"type": "rect", "color": "#1f2937", "opacity": 0.12, "aria": False},
         "encoding": {"x": {"field": "from", "type": "temporal"}, "x2": {"field": "to"}}},
        bars["layer"][0],
        {"data": data, "mark": {"type": "rule", "color": "#111827", "strokeWidth": 1.5, "aria": False},
         "encoding": {"x": {"field": "from", "type": "temporal"}}},
    ]
    # Both datasets named: with a named one beside it, Streamlit's frontend drops unnamed top-level data.
    # The band is hidden from screen readers (an empty layer would be an unlabelled graphic): the
    # caption under the chart says the window in words.
    return {**bars, "data": {"name": BARS_DATA}, "layer": layers,
            "datasets": {BARS_DATA: bars["data"]["values"], WINDOW_DATA: band}}


def bars_spec(table: pd.DataFrame, unit: str, colours: dict[str, str], span: tuple[int, int],
              height: int = 150) -> dict:
    """The timeline's bars and selections, without a window (with_window adds it)."""
    present = [k for k in INCIDENT_TYPES if k in set(table["type"])]
    time_unit = "yearmonth" if unit == "month" else "year"
    first_year, last_year = span
    domain = [f"{first_year:04d}-01-01", f"{last_year + 1:04d}-01-01"]
    values = table.assign(pale=~table["fits"].astype(bool))[["period", "type_label", "pale", "incidents"]]
    x = {"field": "period", "type": "temporal", "timeUnit": time_unit, "title": None,
         "scale": {"domain": domain},
         "axis": {"format": "%Y", "labelFlush": True, "grid": False, "tickCount": "year" if last_year - first_year < 12 else 12}}
    bars = {
        "mark": {"type": "bar", "cornerRadius": 0, "binSpacing": 0 if unit == "month" else 1},
        "params": [
            {"name": BRUSH, "select": {"type": "interval", "encodings": ["x"]}},
            {"name": PICK, "select": {"type": "point", "encodings": ["x"], "on": "click", "clear": "dblclick"}},
        ],
        "encoding": {
            "x": x,
            "y": {"aggregate": "sum", "field": "incidents", "type": "quantitative", "title": None,
                  "axis": {"tickMinStep": 1, "format": "d"}},
            "color": {"field": "type_label", "type": "nominal", "legend": None,
                      "scale": {"domain": [INCIDENT_TYPES[k] for k in present],
                                "range": [colours[k] for k in present]}},
            "opacity": {"condition": {"test": "datum.pale", "value": PALE}, "value": 1},
            "order": {"field": "pale", "type": "nominal"},
            "tooltip": [
                {"field": "period", "type": "temporal", "timeUnit": time_unit, "title": _("Period"),
                 "format": "%b %Y" if unit == "month" else "%Y"},
                {"field": "type_label", "type": "nominal", "title": _("Type")},
                {"field": "incidents", "type": "quantitative", "title": _("Incidents"), "aggregate": "sum"},
            ],
        },
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "height": height,
        "data": {"values": values.to_dict("records")},
        "layer": [bars],
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 11}},
    }


def _month_of_ms(ms) -> int:
    """A Vega-Lite time (milliseconds since 1970, UTC) -> its month number."""
    moment = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=float(ms))
    return moment.year * 12 + moment.month - 1


def _month_of_text(text: str) -> int:
    moment = pd.Timestamp(text)
    return moment.year * 12 + moment.month - 1


def window_from_selection(selection: dict | None, unit: str) -> Window | None:
    """Streamlit's selection state of the chart -> the window it asks for, snapped to whole bars
    (months or years); None when nothing is selected. A drag wins over a click."""
    if not selection:
        return None
    brush = selection.get(BRUSH) or {}
    interval = next(iter(brush.values()), None) if isinstance(brush, dict) else None
    if isinstance(interval, (list, tuple)) and len(interval) == 2:
        try:
            low, high = sorted(_month_of_ms(v) if isinstance(v, (int, float)) else _month_of_text(str(v))
                               for v in interval)
        except (TypeError, ValueError, OverflowError):
            return None
        return _snapped(low, high, unit)
    picked = selection.get(PICK) or []
    if isinstance(picked, list) and picked and isinstance(picked[0], dict):
        value = picked[0].get("period")
        if value is None:
            value = next((v for k, v in picked[0].items() if "period" in k), None)
        try:
            month = _month_of_ms(value) if isinstance(value, (int, float)) else _month_of_text(str(value))
        except (TypeError, ValueError, OverflowError):
            return None
        return _snapped(month, month, unit)
    return None


def _snapped(low: int, high: int, unit: str) -> Window:
    if unit == "year":
        return Window(low // 12 * 12, high // 12 * 12 + 11)
    return Window(low, high)


def inside_window(incidents: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None) -> np.ndarray:
    """True for records whose whole date range lies inside the window [start, end] (an open end
    bounds nothing): "happened in this window". False for records that only overlap it — a
    "1990–1996" range, a year-only date in a month's window, an "on or before" date — which may or
    may not have happened in it; the map draws those hollow."""
    keep = incidents["date_start"].notna().to_numpy()
    if start is not None:
        keep = keep & (incidents["date_start"] >= start).to_numpy()
    if end is not None:
        keep = keep & (incidents["date_end"] <= end).to_numpy()
    return keep
