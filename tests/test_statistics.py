"""The statistics file: schema, verbatim quotes, numbers present in the text, the table people read
and the chart (one scale per group, documents side by side)."""
import json

import pytest
from pydantic import ValidationError

from geo.build.layers import layer_path
from geo.evidence import sources
from geo.evidence.statistics import STATISTICS_YAML, Series, Statistics, figure_text, load_statistics, statistics_frame
from geo.view import source_statistics
from geo.view.source_statistics import disagreements, statistics_chart, statistics_table


@pytest.fixture(scope="module")
def stats():
    return load_statistics()


def _series(stats, series_id):
    return next(s for s in stats.series if s.id == series_id)


def test_file_loads_and_validates(stats):
    assert STATISTICS_YAML.exists()
    assert isinstance(stats, Statistics) and stats.series and stats.groups
    assert len({s.id for s in stats.series}) == len(stats.series)
    assert {g.id for g in stats.groups} == {s.group for s in stats.series}


def test_the_expected_report_figures_are_recorded(stats):
    values = {(s.id, v.period, v.label, v.value) for s in stats.series for v in s.values}
    assert ("refugee-status-applicants", "2011-2019", None, 207) in values
    assert ("temporary-asylum-applicants", "2011-2019", None, 305) in values
    assert ("temporary-asylum-granted", "2011-2019", None, 213) in values
    assert ("temporary-asylum-holders", "2019-12-31", None, 49) in values
    assert ("refugee-status-holders", "2019-12-31", None, 1) in values
    citizens = _series(stats, "dprk-citizens-in-russia").values[0]
    assert (citizens.low, citizens.high) == (30000, 40000)


def test_un_sr_2016_figures_are_their_own_series(stats):
    unsr = _series(stats, "unsr16-asylum-2004-2014")
    assert unsr.docs == ["un-sr-2016"] and unsr.group == "asylum"
    assert [(v.period, v.label, v.value) for v in unsr.values] == [
        ("2004-2014", "applied for asylum", 211), ("2004-2014", "granted asylum", 2)]


def test_asylum_grants_of_three_documents_share_one_group(stats):
    asylum = stats.in_group("asylum")
    docs = {doc for s in asylum for doc in s.docs}
    assert {"amnesty-1996", "un-sr-2016", "memorial-2020"} <= docs
    assert {"refugee-status-applicants", "refugee-status-granted"} <= {s.id for s in asylum}
    note = dict(disagreements(stats))[next(g.title for g in stats.groups if g.id == "asylum")]
    assert "211" in note and "207" in note and "1992" in note


def test_workers_2019_2021_readings_side_by_side_with_their_sources(stats):
    workers = _series(stats, "dprk-workers-2019-2021")
    assert workers.docs == ["memorial-2020", "pscore-upr-2023"]
    tip = next(v for v in workers.values if v.source.doc == "pscore-upr-2023")
    assert (tip.value, tip.qualifier) == (500, "more than")
    ambassador = next(v for v in workers.values if v.period == "2020-02")
    assert ambassador.statement and ambassador.value is None     # "all had left" is not turned into 0


@pytest.mark.parametrize("bad, why", [
    ({"extra": 1}, "Extra inputs are not permitted"),
    ({"values": [{"period": "2011", "as_written": "x"}]}, "give value, or both low and high"),
    ({"values": [{"period": "2011", "value": 1, "low": 1, "high": 2, "as_written": "x"}]}, "not both"),
    ({"values": [{"period": "2011", "value": 0, "statement": True, "as_written": "x"}]}, "a statement has no number"),
    ({"values": [{"period": "2019-02-30", "value": 1, "as_written": "x"}]}, "day is out of range"),
    ({"values": [{"period": "2019-13", "value": 1, "as_written": "x"}]}, "month must be in"),
    ({"values": [{"period": "2019-2011", "value": 1, "as_written": "x"}]}, "is not YYYY"),
    ({"values": [{"period": "2018", "value": 1, "as_written": "x"},
                 {"period": "2018", "value": 2, "as_written": "y"}]}, "distinct label"),
    ({"source": None}, "give the series a source, or every value its own source"),
])
def test_invalid_series_are_rejected(stats, bad, why):
    record = stats.series[0].model_dump(exclude_none=True) | bad
    with pytest.raises(ValidationError, match=why):
        Series.model_validate(record)


def test_a_series_in_an_unknown_group_is_rejected(stats):
    raw = stats.model_dump(exclude_none=True)
    raw["series"][0]["group"] = "nowhere"
    with pytest.raises(ValidationError, match="unknown groups"):
        Statistics.model_validate(raw)


def test_every_quote_is_verbatim(stats):
    catalogue = sources.catalogue()
    problems = {}
    for s in stats.series:
        for v in s.values:
            source = s.source_of(v)
            assert source.doc in catalogue, (s.id, source.doc)
            why = sources.quote_problem(source.quote, sources.document_text(source.doc))
            if why:
                problems[(s.id, v.period, v.label)] = why
    assert problems == {}


def test_every_value_is_written_in_the_document_and_in_its_quote(stats):
    missing = []
    for s in stats.series:
        for v in s.values:
            source = s.source_of(v)
            written = sources.normalise(v.as_written)
            if written not in sources.document_text(source.doc):
                missing.append((s.id, v.period, v.as_written, "not in the document"))
            elif written not in sources.normalise(source.quote):
                missing.append((s.id, v.period, v.as_written, "not in the value's quote"))
    assert missing == []


def test_the_table_writes_every_figure_never_none(stats):
    table = statistics_table(stats)
    assert len(table) == sum(len(s.values) for s in stats.series)
    assert table["Figure"].map(lambda f: isinstance(f, str) and f and "None" not in f and "nan" not in f).all()
    citizens = table[table["Series"] == _series(stats, "dprk-citizens-in-russia").title]
    assert citizens["Figure"].tolist() == ["around 30,000–40,000"]
    assert "all North Korean worker had left Russia" in " ".join(table["Figure"])
    assert table["Source"].notna().all() and table["Where in the source"].str.len().gt(0).all()


def test_the_same_person_note_is_on_the_bar_and_in_the_table(stats):
    spec = statistics_chart(stats)
    rows = [r["row"] for chart in spec["vconcat"] for r in chart["data"]["values"]]
    assert any("2011 · the same person as the 2011-2019 total" in r for r in rows)
    table = statistics_table(stats)
    granted = table[table["Series"] == "Refugee status granted, 2011-2019"]
    assert granted["What"].tolist() == ["", "the same person as the 2011-2019 total"]
    assert granted["Notes"].str.contains("not an additional grant").all()


def test_one_chart_per_group_with_one_scale_for_its_bars(stats):
    spec = statistics_chart(stats)
    charts = {c["title"]["text"]: c for c in spec["vconcat"]}
    assert set(charts) == {g.title for g in stats.groups}
    dumped = json.dumps(spec)
    assert '"resolve"' not in dumped          # no independent scales inside a group chart
    asylum = charts[next(g.title for g in stats.groups if g.id == "asylum")]
    bars = {r["row"].split("|")[0]: r["bar_to"] for r in asylum["data"]["values"]}
    assert bars["Applications for refugee status, 2011-2019 (total)"] == 207
    assert bars["Refugee status granted, 2011-2019"] == 1   # same chart, so 1/207 of the length
    for group in stats.groups:
        chart = charts[group.title]
        docs = sorted({doc for s in stats.in_group(group.id) for doc in s.docs})
        assert chart["title"]["subtitle"][0].endswith(f"Sources: {', '.join(docs)}.")
        assert all(r["doc"] for r in chart["data"]["values"])
    assert source_statistics.EXACT_COLOUR in dumped and source_statistics.INEXACT_COLOUR in dumped


def test_ranges_are_bars_from_low_to_high_and_statements_are_not_bars(stats):
    rows = [r for chart in statistics_chart(stats)["vconcat"] for r in chart["data"]["values"]]
    citizens = next(r for r in rows if r["series"] == "DPRK citizens in Russia, 2012-2017")
    assert (citizens["bar_from"], citizens["bar_to"]) == (30000, 40000)
    statements = [r for r in rows if r["stated_as"] == source_statistics.STATEMENT]
    assert statements and all(r["bar_to"] is None for r in statements)


def test_figure_text():
    stats = load_statistics()
    assert figure_text(_series(stats, "dprk-labour-quota-2017").values[0]) == "more than 44,000"


def test_frame_has_the_expected_columns(stats):
    frame = statistics_frame(stats.series)
    assert list(frame.columns[:6]) == ["series_id", "title", "unit", "period", "value", "as_written"]
    assert len(frame) == sum(len(s.values) for s in stats.series)
    ranges = frame[frame["value"].isna() & ~frame["statement"]]
    assert (ranges["low"].notna() & ranges["high"].notna()).all()
    assert frame["figure"].str.len().gt(0).all()


def test_expulsion_figures_match_the_register(stats):
    """The report's 50 people in 16 examples equal the people of the 16 court records."""
    people = next(v.value for v in _series(stats, "court-expulsion-decisions-2018-2019").values
                  if v.label == "people they concern")
    features = json.loads(layer_path("incidents").read_text(encoding="utf-8"))["features"]
    courts = [f["properties"] for f in features if f["id"].startswith("mem20-court-")]
    assert len(courts) == 16 and sum(p["people_affected"] for p in courts) == people == 50
