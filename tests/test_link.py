"""Shared links with bad or out-of-range values: clamped or ignored, each with a short warning;
never a traceback (geo/view/link.py, and the app through AppTest)."""
import pytest

from geo.view.filters import IncidentFilter
from geo.view.link import read_link, within_years

YEARS = (1957, 2023)
SUBJECTS = {"RU-KHA": "Khabarovsk Krai", "RU-PRI": "Primorsky Krai"}
DOCS = {"memorial-2020": "Memorial 2020"}
RECORDS = {"mem20-court-03-khabarovsk": "A court decision"}
BRIEFINGS = {"court-expulsions-2018-2019": 4}


def link(**params):
    return read_link(params, years=YEARS, subject_names=SUBJECTS, doc_titles=DOCS, record_ids=RECORDS,
                     briefing_steps=BRIEFINGS)


@pytest.mark.parametrize("params, window", [
    ({"from": "2024"}, (None, None)),                  # after the last record: nothing to show there
    ({"from": "2030"}, (None, None)),
    ({"to": "1950"}, (None, None)),                    # before the first record
    ({"from": "1950", "to": "1955"}, (None, None)),
    ({"from": "1950", "to": "2000"}, (None, 2000)),    # clamped to the records' years
    ({"from": "2000", "to": "2030"}, (2000, None)),
    ({"from": "2024", "to": "2018"}, (2018, None)),    # swapped, then clamped
])
def test_years_outside_the_data_are_clamped_or_ignored_with_a_warning(params, window):
    result = link(**params)
    assert (result.filter.start_year, result.filter.end_year) == window
    assert result.warnings


def test_years_inside_the_data_are_kept_silently():
    result = link(**{"from": "2018", "to": "2019"})
    assert (result.filter.start_year, result.filter.end_year) == (2018, 2019) and not result.warnings


@pytest.mark.parametrize("raw", ["²", "٢٠١٩", "1" * 5000, "20 19", "-2019", "2019.0"])
def test_years_that_are_not_plain_years_are_ignored(raw):
    result = link(**{"from": raw})
    assert result.filter.start_year is None and len(result.warnings) == 1
    assert len(result.warnings[0]) < 200


@pytest.mark.parametrize("raw, step, warned", [
    ("3", 2, False), ("1", 0, False), ("9", 3, True), ("0", 0, True), ("²", 0, True), ("1" * 5000, 0, True),
    ("-1", 0, True), ("", 0, True),
])
def test_briefing_steps_are_clamped_or_ignored(raw, step, warned):
    result = link(briefing="court-expulsions-2018-2019", step=raw)
    assert result.briefing == "court-expulsions-2018-2019" and result.step == step
    assert bool(result.warnings) == warned


def test_unknown_briefing_record_and_bad_map_position_are_ignored_with_warnings():
    result = link(briefing="no-such", step="2", rec="invented-record", c="north,east", z="5")
    assert (result.briefing, result.selected, result.view) == (None, None, None)
    assert len(result.warnings) == 3
    assert link(c="48.5,135.0").view is None and link(c="48.5,135.0").warnings     # a centre without zoom
    assert link(c="48.5,135.0", z="1" * 5000).view is None


def test_a_zoom_beyond_the_maps_levels_is_clamped():
    result = link(c="48.5,135.0", z="99")
    assert result.view == ((48.5, 135.0), 13) and "zoom 13" in result.warnings[0]


def test_unknown_types_and_subjects_are_ignored_the_same_way():
    for key, attribute in (("type", "types"), ("subject", "subjects"), ("actor", "actors"), ("doc", "docs")):
        only_unknown = link(**{key: "teleportation"})
        assert getattr(only_unknown.filter, attribute) is None, key         # the filter is dropped, not "select none"
        assert "ignored" in only_unknown.warnings[0]
    mixed = link(type="abduction,teleportation", subject="RU-KHA,XX")
    assert mixed.filter.types == ("abduction",) and mixed.filter.subjects == ("RU-KHA",)
    assert link(type="").filter.types == ()      # a cleared filter in the app's own link selects nothing


def test_warnings_cut_long_values_to_80_characters():
    long = "x" * 10_000
    for params in ({"type": long}, {"rec": long}, {"briefing": long}, {"from": long}, {"c": long, "z": long}):
        result = link(**params)
        assert result.warnings, params
        assert all(len(w) < 400 for w in result.warnings), params
        assert any("…" in w for w in result.warnings), params


def test_within_years_keeps_a_filter_without_a_window():
    f = IncidentFilter(types=("abduction",))
    assert within_years(f, *YEARS) == (f, [])


# -- the app, through AppTest: every bad link opens the page with a warning, never an exception ---
BAD_LINKS = [
    {"from": "2024"}, {"from": "2030"}, {"to": "1950"}, {"from": "1950", "to": "1955"},
    {"briefing": "court-expulsions-2018-2019", "step": "²"},
    {"briefing": "court-expulsions-2018-2019", "step": "1" * 5000},
    {"from": "1" * 5000}, {"type": "teleportation"}, {"subject": "XX"}, {"c": "north", "z": "x"},
    {"rec": "invented"}, {"briefing": "invented"}, {"z": "99", "c": "48.5,135"}, {"type": "y" * 10_000},
]


@pytest.mark.parametrize("params", BAD_LINKS, ids=lambda p: "&".join(f"{k}={v[:12]}" for k, v in p.items()))
def test_bad_links_open_the_app_with_a_warning(params):
    from tests.test_app import TOTAL, in_view, run

    at = run(params)
    assert not at.exception
    assert at.warning, "the link's problem is not said"
    assert all(len(w.value) < 500 for w in at.warning)
    if set(params) & {"from", "to", "type", "subject"}:
        assert in_view(at) == TOTAL      # nothing the data can show was asked for: everything is shown


def test_the_warning_stays_until_the_filters_are_changed():
    from tests.test_app import run

    at = run({"from": "2030"})
    assert any("2030" in w.value for w in at.warning)
    at.switch_page("ui/pages/statistics.py").run()       # still the link's view on another page
    assert any("2030" in w.value for w in at.warning)
    at.toggle(key="month_only").set_value(True).run()
    assert not at.exception and not at.warning
