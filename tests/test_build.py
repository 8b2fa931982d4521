"""The build: committed layers equal a fresh build; bad input is reported, all at once, and
leaves the previous files untouched."""
import json

import geopandas
import pytest
from shapely.geometry import Point

from geo.places.boundaries import load_subjects
from geo.build.layers import LAYER_NAMES, build, layer_path
from geo.errors import RegisterError


def test_committed_layers_equal_a_fresh_build(workspace):
    build(**workspace)
    for layer in LAYER_NAMES:
        fresh = layer_path(layer, workspace["data_dir"]).read_bytes()
        assert fresh == layer_path(layer).read_bytes(), f"data/{layer}.geojson is stale: run python -m geo build"


def test_build_is_deterministic(workspace):
    build(**workspace)
    first = {layer: layer_path(layer, workspace["data_dir"]).read_bytes() for layer in LAYER_NAMES}
    build(**workspace)
    assert first == {layer: layer_path(layer, workspace["data_dir"]).read_bytes() for layer in LAYER_NAMES}


@pytest.mark.parametrize("layer", LAYER_NAMES)
def test_layers_load_with_geopandas_in_wgs84(layer):
    frame = geopandas.read_file(layer_path(layer))
    assert frame.crs.to_epsg() == 4326
    assert frame["id"].is_unique
    points = frame.geometry.dropna()
    assert ((points.x > 19) & (points.x < 180) & (points.y > 35) & (points.y < 82)).all()


@pytest.mark.parametrize("layer", LAYER_NAMES)
def test_every_point_lies_inside_its_stated_federal_subject(layer):
    subjects = load_subjects()
    features = json.loads(layer_path(layer).read_text(encoding="utf-8"))["features"]
    for feature in features:
        code = feature["properties"]["subject_code"]
        if feature["geometry"] and code:
            assert subjects[code].holds(Point(feature["geometry"]["coordinates"])), feature["id"]


def test_register_covers_the_sources():
    incidents = json.loads(layer_path("incidents").read_text(encoding="utf-8"))["features"]
    sites = sum(len(json.loads(layer_path(l).read_text(encoding="utf-8"))["features"])
                for l in LAYER_NAMES if l != "incidents")
    court_decisions = [f for f in incidents if f["properties"]["type"] == "court_decision"
                       and f["id"].startswith("mem20-court-")]
    assert len(incidents) >= 60 and sites >= 40
    assert len(court_decisions) == 16
    assert {f["properties"]["source_docs"][0] for f in incidents} >= {
        "amnesty-1996", "memorial-2020", "pscore-upr-2023", "un-sr-2016", "un-sr-2019"}


def test_disagreeing_sources_keep_both_readings():
    incidents = {f["id"]: f for f in json.loads(layer_path("incidents").read_text(encoding="utf-8"))["features"]}
    readings = incidents["agr-2016-readmission-agreement"]["properties"]["date_readings"]
    assert {(r["start"], r["doc"]) for r in readings} == {("2016-02-02", "un-sr-2016"), ("2016-02-03", "memorial-2020")}


GOOD = """\
- id: test-good
  title: A good record
  type: arrest_detention
  date: {as_written: "5 October 2018", start: 2018-10-05, precision: day}
  place: {as_written: Khabarovsk, name: Khabarovsk, subject: RU-KHA, precision: settlement}
  sources:
    - doc: memorial-2020
      locator: Section V, decision 3
      quote: the judge of the Industrial District Court of Khabarovsk
"""

BAD_INPUTS = {
    "unknown place": ("name: Khabarovsk,", "name: Atlantis,", "place.name", "unknown place 'Atlantis' in RU-KHA"),
    "place in the wrong subject": ("subject: RU-KHA", "subject: RU-AMU", "place.name",
                                   "unknown place 'Khabarovsk' in RU-AMU (the gazetteer has it in RU-KHA)"),
    "unknown type": ("type: arrest_detention", "type: kidnapping", "type", "Input should be"),
    "impossible date": ("start: 2018-10-05", "start: 2019-02-30", "date.start", "day value is outside"),
    "end before start": ("start: 2018-10-05, precision: day", "start: 2018-10-05, end: 2018-10-01, precision: range",
                         "date", "end 2018-10-01 is before start 2018-10-05"),
    "missing source": ("  sources:\n    - doc: memorial-2020\n      locator: Section V, decision 3\n"
                       "      quote: the judge of the Industrial District Court of Khabarovsk\n",
                       "  sources: []\n", "sources", "at least 1 item"),
    "missing quote": ("      quote: the judge of the Industrial District Court of Khabarovsk", "", "sources.0.quote",
                      "Field required"),
    "quote not in its document": ("Industrial District Court", "Supreme Court", "sources[0].quote",
                                  "not found verbatim"),
    "unknown document": ("doc: memorial-2020", "doc: memorial-2021", "sources[0].doc", "unknown document"),
}


def _write_register(workspace, text: str, name="incidents-test.yaml"):
    (workspace["register_dir"] / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_names_file_record_and_field_and_writes_nothing(workspace, case):
    old, new, field, message = BAD_INPUTS[case]
    assert old in GOOD
    _write_register(workspace, GOOD)
    build(**workspace)  # the good version builds
    _write_register(workspace, GOOD.replace(old, new))
    _assert_rejected_after_good_build(workspace, field, message)


def _assert_rejected_after_good_build(workspace, field, message):
    before = {layer: layer_path(layer, workspace["data_dir"]).read_bytes() for layer in LAYER_NAMES}
    with pytest.raises(RegisterError) as caught:
        build(**workspace)
    hits = [p for p in caught.value.problems if p.record in ("test-good", "record #1")]
    assert any(p.field == field and message in p.message for p in hits), str(caught.value)
    assert all(p.file.endswith("incidents-test.yaml") for p in hits)
    after = {layer: layer_path(layer, workspace["data_dir"]).read_bytes() for layer in LAYER_NAMES}
    assert after == before, "a failed build must leave the previous files untouched"


def test_duplicate_id_is_reported_with_both_files(workspace):
    _write_register(workspace, GOOD)
    _write_register(workspace, GOOD, name="incidents-test2.yaml")
    with pytest.raises(RegisterError) as caught:
        build(**workspace)
    assert any(p.field == "id" and "duplicate id (also in" in p.message and p.record == "test-good"
               for p in caught.value.problems)


def test_swapped_coordinates_in_the_gazetteer_are_caught(workspace):
    path = workspace["gazetteer_csv"]
    rows = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, row in enumerate(rows) if row.startswith("khabarovsk,"))
    fields = rows[index].split(",")
    lat_col, lon_col = rows[0].split(",").index("lat"), rows[0].split(",").index("lon")
    fields[lat_col], fields[lon_col] = fields[lon_col], fields[lat_col]
    rows[index] = ",".join(fields)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(RegisterError) as caught:
        build(**workspace)
    assert any(p.record == "khabarovsk" and "out of range" in p.message for p in caught.value.problems)


def test_point_outside_its_subject_is_caught(workspace):
    path = workspace["gazetteer_csv"]
    text = path.read_text(encoding="utf-8")
    # Move Khabarovsk onto Vladivostok: in range, but in the wrong federal subject.
    path.write_text(text.replace("48.48271,135.08379", "43.10562,131.87353"), encoding="utf-8")
    with pytest.raises(RegisterError) as caught:
        build(**workspace)
    assert any(p.record == "khabarovsk" and "lies outside RU-KHA" in p.message for p in caught.value.problems)


def test_all_problems_are_listed_at_once(workspace):
    second = GOOD.replace("test-good", "test-other").replace("name: Khabarovsk,", "name: Atlantis,")
    _write_register(workspace, GOOD.replace("type: arrest_detention", "type: kidnapping") + second)
    with pytest.raises(RegisterError) as caught:
        build(**workspace)
    found = {(p.record, p.field) for p in caught.value.problems}
    assert {("test-good", "type"), ("test-other", "place.name")} <= found


def test_an_id_that_spells_a_listed_name_is_rejected(workspace):
    text = GOOD.replace("test-good", "test-kim-sun-ho-arrest") + "  people_names: [Kim Sun Ho]\n"
    _write_register(workspace, text)
    with pytest.raises(RegisterError) as caught:
        build(**workspace)
    assert any(p.field == "id" and "personal name 'kim sun ho'" in p.message for p in caught.value.problems)
