"""The timeline under the map (counts per month/year by type, the Vega-Lite spec, selections) and
playback stepping."""
import datetime as dt

import pandas as pd
import pytest

from geo.view import playback, timeline
from geo.view.filters import IncidentFilter
from geo.view.timeline import Window
from layers.incidents import TYPE_COLOURS


def frame():
    rows = [  # id, start, end, precision, type
        ("a", "2018-03-05", "2018-03-05", "day", "arrest_detention"),
        ("b", "2018-03-01", "2018-03-31", "month", "court_decision"),
        ("c", "2018-01-01", "2018-12-31", "year", "court_decision"),
        ("d", "1990-01-01", "1996-12-31", "range", "forced_labour"),
        ("e", None, "1989-12-31", "year", "abduction"),   # "1989 or earlier"
    ]
    df = pd.DataFrame(rows, columns=["id", "date_start", "date_end", "date_precision", "type"]).set_index("id", drop=False)
    for column in ("date_start", "date_end"):
        df[column] = pd.to_datetime(df[column])
    return df


def test_yearly_counts_put_each_record_in_its_first_year_and_mark_what_does_not_fit():
    table = timeline.counts(frame(), "year")
    rows = {(r.period, r.type, r.fits): r.incidents for r in table.itertuples()}
    assert rows == {("1989-01-01", "abduction", False): 1,        # open start: counted at its end, pale
                    ("1990-01-01", "forced_labour", False): 1,    # 1990–1996: starts here
                    ("2018-01-01", "arrest_detention", True): 1,
                    ("2018-01-01", "court_decision", True): 2}


def test_monthly_counts_mark_a_year_only_date_as_not_fitting_its_month():
    table = timeline.counts(frame(), "month")
    rows = {(r.period, r.type, r.fits): r.incidents for r in table.itertuples()}
    assert rows[("2018-03-01", "court_decision", True)] == 1
    assert rows[("2018-01-01", "court_decision", False)] == 1   # "2018": January bar, pale
    assert rows[("2018-03-01", "arrest_detention", True)] == 1


def test_the_spec_uses_the_map_colours_shades_the_window_and_selects_by_drag_and_click():
    table = timeline.counts(frame(), "year")
    spec = timeline.spec(table, "year", TYPE_COLOURS, Window.of(2018, 1, 2018, 12), (1989, 2018))
    bars = spec["layer"][1]
    colour = bars["encoding"]["color"]["scale"]
    assert colour["range"][colour["domain"].index("Court decision")] == TYPE_COLOURS["court_decision"]
    assert {p["name"]: p["select"]["type"] for p in bars["params"]} == {"brush": "interval", "pick": "point"}
    assert spec["layer"][0]["data"] == spec["layer"][2]["data"] == {"name": timeline.WINDOW_DATA}
    assert spec["datasets"][timeline.WINDOW_DATA] == [{"from": "2018-01-01", "to": "2019-01-01"}]
    assert sum(r["incidents"] for r in spec["datasets"][timeline.BARS_DATA]) == 5


def ms(day: str) -> float:
    return (dt.datetime.fromisoformat(day) - dt.datetime(1970, 1, 1)).total_seconds() * 1000


@pytest.mark.parametrize("selection, unit, expected", [
    ({"brush": {"year_period": [ms("2017-06-01"), ms("2019-02-10")]}}, "year", Window.of(2017, 1, 2019, 12)),
    ({"brush": {"yearmonth_period": [ms("2018-02-20"), ms("2018-05-03")]}}, "month", Window.of(2018, 2, 2018, 5)),
    ({"brush": {}, "pick": [{"year_period": "2007-01-01T00:00:00.000Z"}]}, "year", Window.of(2007, 1, 2007, 12)),
    ({"brush": {}, "pick": [{"yearmonth_period": ms("2009-06-01")}]}, "month", Window.of(2009, 6, 2009, 6)),
    ({"brush": {}, "pick": []}, "year", None),
    ({}, "year", None),
    ({"brush": {"year_period": ["soon", "later"]}}, "year", None),
])
def test_a_drag_or_a_click_on_the_timeline_becomes_a_window_of_whole_bars(selection, unit, expected):
    assert timeline.window_from_selection(selection, unit) == expected


def test_a_window_of_months_round_trips_through_the_url_and_reads_as_months():
    f = playback.as_filter(IncidentFilter(), Window.of(2018, 3, 2018, 5))
    assert f.to_params() == {"from": "2018-03", "to": "2018-05"}
    assert IncidentFilter.from_params(f.to_params()) == f
    assert f.window_label() == "Mar 2018 – May 2018"
    assert "".join(f.apply(frame())["id"]) == "abc"      # the year-only record overlaps March–May
    assert playback.as_filter(IncidentFilter(), Window.of(2018, 1, 2019, 12)).to_params() == {"from": "2018", "to": "2019"}


SPAN = playback.span_of(1990, 1996)


@pytest.mark.parametrize("width, first, second", [
    ("month", Window.of(1990, 1, 1990, 1), Window.of(1990, 2, 1990, 2)),
    ("year", Window.of(1990, 1, 1990, 12), Window.of(1991, 1, 1991, 12)),
    ("5years", Window.of(1990, 1, 1994, 12), Window.of(1991, 1, 1995, 12)),
])
def test_playback_steps_move_the_window_by_its_step(width, first, second):
    start = playback.aligned(None, SPAN, width)
    assert start == first
    assert playback.step(start, width, SPAN) == second
    assert playback.step(second, width, SPAN, -1) == first
    assert playback.step(first, width, SPAN, -1) == first      # nothing before the first window


def test_playback_stops_at_the_last_window():
    window = playback.aligned(None, SPAN, "5years")
    seen = [window]
    while not playback.is_last(window, SPAN):
        window = playback.step(window, "5years", SPAN)
        seen.append(window)
    assert seen[-1] == Window.of(1992, 1, 1996, 12) and len(seen) == 3
    assert playback.step(window, "5years", SPAN) == window


def test_playback_starts_from_the_window_in_view_snapped_to_whole_years():
    assert playback.aligned(Window.of(1993, 5, 1993, 8), SPAN, "year") == Window.of(1993, 1, 1993, 12)
    assert playback.aligned(Window.of(1996, 5, 1996, 8), SPAN, "5years") == Window.of(1992, 1, 1996, 12)
    assert playback.aligned(Window.of(2001, 1, 2001, 12), SPAN, "year") == Window.of(1990, 1, 1990, 12)


@pytest.mark.parametrize("params, expected, warned", [
    ({"play": "year", "speed": "1"}, playback.Request("year", 1.0, True), False),
    ({"play": "5years", "speed": "2"}, playback.Request("5years", 2.0, True), False),
    ({"play": "five_years"}, playback.Request("5years", 1.0, True), False),
    ({"play": "decade"}, playback.Request("year", 1.0, True), True),
    ({"play": "month", "speed": "100"}, playback.Request("month", 1.0, True), True),
    ({"play": "month", "speed": "nan"}, playback.Request("month", 1.0, True), True),
    ({"speed": "2"}, None, True),
    ({}, None, False),
])
def test_a_link_can_start_a_playback(params, expected, warned):
    warnings = []
    assert playback.read_request(params, warnings) == expected
    assert bool(warnings) == warned
