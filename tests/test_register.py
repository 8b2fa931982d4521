"""What the register says about records a review read against the sources (issue 9): each fix is
pinned here, on the built layers people see, and the schema rules that keep them fixed."""
import json

import pandas as pd
import pytest

from geo.build.layers import LAYER_NAMES, build, layer_path
from geo.errors import RegisterError
from geo.evidence.vocabulary import EXPULSION_OUTCOMES, INCIDENT_TYPES
from geo.outputs.details import incident_html, site_html
from geo.view import aggregate
from geo.view.dataset import load_layer
from geo.view.filters import IncidentFilter
from tests.test_build import GOOD


def _features(layer):
    return {f["id"]: f for f in json.loads(layer_path(layer).read_text(encoding="utf-8"))["features"]}


@pytest.fixture(scope="module")
def incidents():
    return {k: f["properties"] for k, f in _features("incidents").items()}


@pytest.fixture(scope="module")
def sites():
    return {k: f for layer in LAYER_NAMES if layer != "incidents" for k, f in _features(layer).items()}


# -- court decisions --------------------------------------------------------------------------
def test_no_type_claims_an_expulsion():
    assert not [t for t in INCIDENT_TYPES if "expulsion" in t]


def test_the_procurator_general_is_not_a_court(incidents):
    record = incidents["ai96-case-d-deportation-sanctioned-1995-09"]
    assert record["type"] == "administrative_decision" and record["actors"] == ["ru_prosecutor"]
    assert record["court"] is None and record["court_instance"] is None and record["court_outcome"] == []
    courts = _features("courts")
    assert not any(record["id"] in f["properties"]["incidents"] for f in courts.values())
    assert record["id"] not in IncidentFilter(types=("court_decision",)).apply(load_layer("incidents")).index


def test_the_appeal_overturned_the_expulsion(incidents):
    appeal = incidents["mem20-case4-appeal"]
    assert appeal["type"] == "court_decision" and appeal["court_instance"] == "appeal"
    assert appeal["court_outcome"] == ["overturned", "proceedings_terminated"]
    assert not set(appeal["court_outcome"]) & set(EXPULSION_OUTCOMES)
    first = incidents["mem20-case4-court-expulsion"]
    assert first["court"] == "court-vsevolozhsk-city" and first["court_outcome"] == ["forced_expulsion"]


def test_every_court_decision_has_court_instance_outcome_and_people(incidents, sites):
    decisions = [p for p in incidents.values() if p["type"] == "court_decision"]
    assert len(decisions) == 20
    for p in decisions:
        assert p["court_instance"] and p["court_outcome"] and p["people_affected"] >= 1, p["id"]
        if p["court"]:   # a named court is a court site, shown with its name, and lists the decision
            assert sites[p["court"]]["properties"]["kind"] == "court", p["id"]
            assert p["court_name"] == sites[p["court"]]["properties"]["name"] and p["site"] == p["court"]
            assert p["id"] in sites[p["court"]]["properties"]["incidents"]
    unnamed = {p["id"] for p in decisions if p["court"] is None}
    assert unnamed == {"mem20-case4-appeal", "mem20-case5-sentence", "mem20-case6-court"}
    assert all(p["court_instance"] is None for p in incidents.values() if p["type"] != "court_decision")


def test_the_sixteen_section_v_examples_order_expulsion_at_first_instance(incidents):
    examples = [p for k, p in incidents.items() if k.startswith("mem20-court-")]
    assert len(examples) == 16
    for p in examples:
        assert p["court_instance"] == "first_instance" and set(p["court_outcome"]) <= set(EXPULSION_OUTCOMES), p["id"]
    assert incidents["mem20-court-02-kazan"]["court_outcome"] == ["controlled_departure"]
    assert incidents["mem20-court-04-khabarovsk"]["court_outcome"] == ["forced_expulsion", "controlled_departure"]
    assert sum(p["people_affected"] for p in examples) == 50


def test_court_fields_show_in_the_popup(incidents, sites):
    html = incident_html(incidents["mem20-case4-appeal"])
    assert "<th>Court</th><td>not named in the source</td>" in html
    assert "<th>Instance</th><td>appeal</td>" in html and "earlier ruling overturned" in html
    court = sites["court-khabarovsk-industrialny"]["properties"]
    assert "<th>Court</th><td>Industrialny District Court of Khabarovsk</td>" in incident_html(
        incidents["mem20-court-03-khabarovsk"])
    assert "Records here</th><td>2: mem20-court-03-khabarovsk, mem20-court-04-khabarovsk" in site_html(court)


# -- types, dates, titles, actors ----------------------------------------------------------------
def test_marriage_refusal_is_not_an_asylum_decision_and_is_undated(incidents):
    record = incidents["ai96-case-a-marriage-refused-1993"]
    assert record["type"] == "administrative_decision"
    assert record["date_as_written"].startswith("not dated")
    assert (record["date_start"], record["date_end"]) == ("1993-01-01", "1995-12-31")   # marriage .. report


@pytest.mark.parametrize("record_id, label", [
    ("ai96-case-e-apprehended-1989", "1989 or earlier"),
    ("ai96-case-e-beaten-1989", "1989 or earlier"),
    ("pscore23-mongolian-border-death-2018", "2018 or earlier"),
    ("mem20-case5-border-crossing", "Oct 2008 or earlier"),
    ("ai96-chegdomyn-prison-exposed-early-1990s", "1993 or earlier"),
])
def test_dates_known_only_as_on_or_before(incidents, record_id, label):
    record = incidents[record_id]
    assert record["date_label"] == label and record["date_qualifier"] == "on_or_before"
    assert record["date_start"] is None


def test_the_rescue_itself_stays_dated_1989(incidents):
    assert incidents["ai96-case-e-rescued-1989"]["date_label"] == "1989 (year only)"


def test_an_on_or_before_record_counts_in_every_earlier_window():
    frame = load_layer("incidents")
    assert "ai96-case-e-apprehended-1989" in IncidentFilter(start_year=1970, end_year=1975).apply(frame).index
    assert "ai96-case-e-apprehended-1989" not in IncidentFilter(start_year=1990).apply(frame).index
    per_year = aggregate.per_year_by_type(frame.loc[["ai96-case-e-apprehended-1989"]])
    assert per_year[["year", "incidents"]].values.tolist() == [[1989, 1]]


def test_krasnoyarsk_decision_does_not_call_them_students(incidents):
    record = incidents["mem20-court-10-krasnoyarsk"]
    assert "student" not in record["title"].lower()
    assert "do not say whether they studied" in record["outcome"]


def test_four_dprk_citizens_are_not_coded_as_security_agents(incidents):
    for record_id in ("mem20-case2-abduction", "mem20-case2-beating"):
        assert incidents[record_id]["actors"] == ["dprk_citizens"]


def test_the_sentence_is_not_placed_at_the_river_crossing(incidents):
    sentence = incidents["mem20-case5-sentence"]
    assert sentence["site"] is None and sentence["place_name"] == "Amur Oblast"
    assert sentence["location_precision"] == "region" and sentence["court_outcome"] == ["custodial_sentence"]
    assert sentence["date_label"] == "Oct 2008 (month only)"
    for record_id in ("mem20-case5-border-crossing", "mem20-case5-arrest"):
        assert incidents[record_id]["site"] == "site-ignashino-amur-crossing"


def test_applications_are_not_decisions(incidents):
    for record_id in ("mem20-case1-asylum-application", "mem20-case2-asylum-application",
                      "ai96-case-d-asylum-application-1994", "ai96-yeltsin-letter-asylum-request-1991"):
        assert incidents[record_id]["type"] == "asylum_application", record_id


def test_unspecified_russian_authorities_are_not_the_government(incidents):
    for record_id in ("ai96-case-f-arrest-1995-03", "ai96-vvo-airport-arrest-1995-12", "mem20-case5-handover",
                      "pscore23-escapees-deportation-risk", "ai96-case-a-marriage-refused-1993"):
        assert "ru_authorities" in incidents[record_id]["actors"], record_id
        assert not {"ru_government", "ru_police"} & set(incidents[record_id]["actors"]), record_id


# -- missing records, second readings, named sites ---------------------------------------------
def test_refugee_convention_accession_keeps_both_readings(incidents):
    record = incidents["ai96-ru-refugee-convention-accession-1993-02"]
    readings = {(r["doc"], r["start"], r["end"]) for r in record["date_readings"]}
    assert readings == {("amnesty-1996", "1993-02-01", "1993-02-28"), ("memorial-2020", "1992-01-01", "1992-12-31"),
                        ("pscore-upr-2023", "1992-01-01", "1992-12-31")}
    assert (record["date_start"], record["date_end"]) == ("1992-01-01", "1993-02-28")
    assert set(record["source_docs"]) == {"amnesty-1996", "memorial-2020", "pscore-upr-2023"}


def test_the_refugees_association_and_its_two_dates(incidents):
    founded = incidents["ai96-refugees-association-founded-1995"]
    assert founded["type"] == "advocacy" and founded["place_name"] == "Moscow"
    assert founded["date_label"] == "1995 or earlier"
    assert {r["as_written"] for r in founded["date_readings"]} == {"was set up in 1995", "30 December 1994"}
    assert incidents["ai96-refugees-association-statement-1994-12-30"]["date_label"] == "30 Dec 1994"


def test_the_soviet_era_practice_of_returning_fugitives(incidents):
    record = incidents["ai96-soviet-era-return-of-escapees"]
    assert record["type"] == "forcible_return" and set(record["source_docs"]) == {"amnesty-1996", "memorial-2020"}
    assert {r["doc"] for r in record["date_readings"]} == {"amnesty-1996", "memorial-2020"}


@pytest.mark.parametrize("site_id, kind, place, precision", [
    ("office-khabarovsk-ovir", "government_office", "Khabarovsk", "settlement"),
    ("office-khabarovsk-foreign-affairs", "government_office", "Khabarovsk", "settlement"),
    ("office-khabarovsk-fsb", "government_office", "Khabarovsk", "settlement"),
    ("office-unhcr-moscow", "international_organisation", "Moscow", "settlement"),
    ("embassy-rok-russia", "diplomatic_mission", "Russia", "country"),
    ("office-primorye-internal-affairs", "government_office", "Primorsky Krai", "region"),
])
def test_named_sites_at_the_precision_their_sources_allow(sites, site_id, kind, place, precision):
    site = sites[site_id]
    p = site["properties"]
    assert (p["kind"], p["place_name"], p["location_precision"], p["layer"]) == (kind, place, precision, "offices")
    assert (site["geometry"] is None) == (precision == "country")   # a country-level site is not drawn


def test_disagreeing_worker_records_point_at_each_other(incidents):
    assert "mem20-ambassador-workers-left-2020-02" in incidents["pscore23-workers-remain-2019-2021"]["related"]
    assert "pscore23-workers-remain-2019-2021" in incidents["mem20-ambassador-workers-left-2020-02"]["related"]


# -- the schema keeps it so --------------------------------------------------------------------
# The build tests' good record, made a court decision.
COURT = GOOD.replace("test-good", "test-court").replace("type: arrest_detention", "type: court_decision").replace(
    "  sources:", "  court_decision: {court: court-khabarovsk-industrialny, instance: first_instance, "
    "outcome: [expulsion], people: 2}\n  sources:", 1)

COURT_PROBLEMS = {
    "no court fields": ("  court_decision: {court: court-khabarovsk-industrialny, instance: first_instance, "
                        "outcome: [expulsion], people: 2}\n", "", "a court_decision needs court_decision"),
    "court fields on another type": ("type: court_decision", "type: arrest_detention",
                                     "court_decision fields belong to type court_decision"),
    "unknown outcome": ("outcome: [expulsion]", "outcome: [deported]", "Input should be"),
    "no outcome": ("outcome: [expulsion]", "outcome: []", "at least 1 item"),
    "unknown instance": ("instance: first_instance", "instance: supreme", "Input should be"),
    "site differs from court": ("precision: settlement}", "precision: settlement, site: court-kazan-sovetsky}",
                                "differs from court_decision.court"),
    "people twice, differently": ("  sources:", "  people_affected: 3\n  sources:", "differs from court_decision.people"),
    "court is not a court": ("court: court-khabarovsk-industrialny", "court: office-khabarovsk-ovir",
                             "is a government_office, not a court"),
    "unknown court": ("court: court-khabarovsk-industrialny", "court: court-atlantis", "no site record with id"),
    "on or before with a start": ('start: 2018-10-05, precision: day',
                                  'start: 2018-10-05, end: 2018-10-05, qualifier: on_or_before, precision: day',
                                  "an on_or_before date has no start"),
}


@pytest.mark.parametrize("case", COURT_PROBLEMS)
def test_court_decision_rules_are_checked_by_the_build(workspace, case):
    old, new, message = COURT_PROBLEMS[case]
    assert old in COURT
    (workspace["register_dir"] / "incidents-test.yaml").write_text(COURT, encoding="utf-8")
    build(**workspace)
    (workspace["register_dir"] / "incidents-test.yaml").write_text(COURT.replace(old, new), encoding="utf-8")
    with pytest.raises(RegisterError) as caught:
        build(**workspace)
    assert any(p.record == "test-court" and message in p.message for p in caught.value.problems), str(caught.value)


def test_an_on_or_before_date_builds_with_no_start(workspace):
    text = COURT.replace('{as_written: "5 October 2018", start: 2018-10-05, precision: day}',
                         '{as_written: "2018 or before", qualifier: on_or_before, end: 2018-12-31, precision: year}')
    (workspace["register_dir"] / "incidents-test.yaml").write_text(text, encoding="utf-8")
    build(**workspace)
    built = load_layer("incidents", workspace["data_dir"]).loc["test-court"]
    assert pd.isna(built["date_start"]) and built["date_label"] == "2018 or earlier"
