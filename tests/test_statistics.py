"""The statistics file: schema, verbatim quotes, numbers present in the text, frame and chart."""
import json

import pytest
from pydantic import ValidationError

from geo.evidence import sources

from geo.evidence import statistics
from geo.evidence.statistics import STATISTICS_YAML, Series, load_statistics, statistics_chart, statistics_frame


@pytest.fixture(scope="module")
def series():
    return load_statistics()


def test_file_loads_and_validates(series):
    assert STATISTICS_YAML.exists()
    assert series, "no series in data/statistics.yaml"
    assert all(isinstance(s, Series) for s in series)
    assert len({s.id for s in series}) == len(series)


def test_the_expected_report_figures_are_recorded(series):
    by_id = {s.id: s for s in series}
    values = {(s.id, v.period, v.value) for s in series for v in s.values}
    assert ("refugee-status-applicants", "2011-2019", 207) in values
    assert ("temporary-asylum-applicants", "2011-2019", 305) in values
    assert ("temporary-asylum-granted", "2011-2019", 213) in values
    assert ("temporary-asylum-holders", "2019-12-31", 49) in values
    assert ("refugee-status-holders", "2019-12-31", 1) in values
    citizens = by_id["dprk-citizens-in-russia"].values[0]
    assert (citizens.low, citizens.high) == (30000, 40000)


@pytest.mark.parametrize("bad, why", [
    ({"extra": 1}, "Extra inputs are not permitted"),
    ({"values": [{"period": "2011", "as_written": "x"}]}, "give value, or both low and high"),
    ({"values": [{"period": "2011", "value": 1, "low": 1, "high": 2, "as_written": "x"}]}, "not both"),
    ({"values": [{"period": "2019-02-30", "value": 1, "as_written": "x"}]}, "day is out of range"),
    ({"values": [{"period": "2019-2011", "value": 1, "as_written": "x"}]}, "is not YYYY"),
    ({"values": [{"period": "2018", "value": 1, "as_written": "x"},
                 {"period": "2018", "value": 2, "as_written": "y"}]}, "distinct label"),
])
def test_invalid_series_are_rejected(series, bad, why):
    record = series[0].model_dump(exclude_none=True) | bad
    with pytest.raises(ValidationError, match=why):
        Series.model_validate(record)


def test_every_quote_is_verbatim(series):
    text = sources.document_text("memorial-2020")
    problems = {s.id: sources.quote_problem(s.source.quote, text) for s in series}
    assert {k: v for k, v in problems.items() if v} == {}
    assert {s.source.doc for s in series} <= set(sources.read_catalogue())


def test_every_value_is_written_in_the_document_and_in_its_quote(series):
    missing = []
    for s in series:
        text = sources.document_text(s.source.doc)
        quote = sources.normalise(s.source.quote)
        for v in s.values:
            written = sources.normalise(v.as_written)
            if written not in text:
                missing.append((s.id, v.period, v.as_written, "not in the document"))
            elif written not in quote:
                missing.append((s.id, v.period, v.as_written, "not in the series' quote"))
    assert missing == []


def test_frame_has_the_expected_columns(series):
    frame = statistics_frame(series)
    assert list(frame.columns[:6]) == ["series_id", "title", "unit", "period", "value", "as_written"]
    assert len(frame) == sum(len(s.values) for s in series)
    ranges = frame[frame["value"].isna()]
    assert (ranges["low"].notna() & ranges["high"].notna()).all()
    assert statistics_frame([]).columns.tolist()[:6] == statistics.COLUMNS


def test_chart_renders_to_a_spec_with_titles_and_citations(series):
    spec = statistics_chart(series).to_dict()
    dumped = json.dumps(spec)
    charts = {c["title"]["text"]: c["title"] for c in spec["concat"]}
    for s in series:
        assert s.title in charts
        # the citation (document id + locator) is the subtitle, wrapped to the chart's width
        assert " ".join(charts[s.title]["subtitle"]) == statistics.citation(s)
        assert s.source.doc in statistics.citation(s) and s.source.locator in statistics.citation(s)
    assert statistics.EXACT_COLOUR in dumped and statistics.INEXACT_COLOUR in dumped
    assert '"tooltip"' in dumped
