"""The synthetic data generator: deterministic, shaped like the real layer, points inside their
subjects, and a written dataset loads (GeoParquet) and runs in the app."""
from pathlib import Path

import geopandas.testing
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from geo.places.boundaries import load_subjects
from geo.cli import main
from geo.view.dataset import load_bundle, load_layer
from geo.evidence.dates import date_label
from geo.errors import DataFileMissing
from geo.view.filters import IncidentFilter
from geo.build.synth import FAR_EAST_BOX, synthesize, write_dataset
from tests.app_helpers import counts
from geo.evidence.vocabulary import ACTORS, INCIDENT_TYPES, SITE_LAYERS

APP = str(Path(__file__).resolve().parent.parent / "app.py")
N = 2000
LIST_COLUMNS = ("date_readings", "people_names", "actors", "actor_labels", "related", "sources", "source_docs")


@pytest.fixture(scope="module")
def real():
    return load_layer("incidents")


@pytest.fixture(scope="module")
def frame(real):
    return synthesize(N, 1, real)


@pytest.fixture(scope="module")
def dataset(frame, tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    write_dataset(frame, folder, None)
    return folder


def test_same_seed_same_frame_other_seed_other_frame(real, frame):
    geopandas.testing.assert_geodataframe_equal(synthesize(N, 1, real), frame)
    other = synthesize(N, 2, real)
    assert not other["type"].equals(frame["type"])
    assert not other.geometry.geom_equals(frame.geometry).all()


def test_same_seed_same_files(real, tmp_path):
    for name in ("a", "b"):
        write_dataset(synthesize(300, 5, real), tmp_path / name, None)
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_columns_and_dtypes_match_the_real_layer(real, frame):
    assert list(frame.columns) == list(real.columns)
    assert frame.dtypes.to_dict() == real.dtypes.to_dict()
    assert frame.index.name == "id" and frame.index.dtype == real.index.dtype
    assert frame.crs == real.crs
    assert frame["id"].tolist() == [f"syn-{k:06d}" for k in range(1, N + 1)]
    assert frame["title"].iloc[0] == f"Synthetic {frame['type_label'].iloc[0]} #1"
    for column in LIST_COLUMNS:
        assert all(isinstance(v, list) for v in frame[column]), column
    assert frame["sources"].iloc[0] == [{"doc": "synthetic", "doc_title": "Synthetic test data",
                                         "locator": "generated", "quote": "synthetic record"}]
    assert set(frame["source_docs"].map(tuple)) == {("synthetic",)}
    assert set(frame["type"]) <= set(INCIDENT_TYPES) and frame["type"].nunique() >= 8
    assert all(labels == [ACTORS[a] for a in actors] for actors, labels in zip(frame["actors"], frame["actor_labels"]))


def test_dates_are_labelled_like_real_records(frame):
    assert set(frame["date_precision"]) == {"day", "month", "year", "range"}
    assert frame["date_start"].dt.year.min() >= 1990 and frame["date_end"].dt.year.max() <= 2025
    assert (frame["date_start"] <= frame["date_end"]).all()
    for start, end, precision, label in zip(frame["date_start"], frame["date_end"], frame["date_precision"],
                                            frame["date_label"]):
        assert label == date_label(start.date(), end.date(), precision)


def test_spread_and_points_inside_their_subjects(frame):
    subjects = load_subjects()
    drawn = frame[frame.geometry.notna()]
    country = frame[frame.geometry.isna()]
    assert 0.02 < len(country) / N < 0.09
    assert (country["location_precision"] == "country").all() and country["subject_code"].isna().all()
    for code, point in zip(drawn["subject_code"], drawn.geometry):
        assert subjects[code].holds(Point(point.x, point.y)), (code, point)
    region = drawn[drawn["location_precision"] == "region"]
    assert len(region) and all(p.equals(subjects[c].label_point) or p.distance(subjects[c].label_point) < 1e-6
                               for c, p in zip(region["subject_code"], region.geometry))
    assert set(drawn["location_precision"]) == {"settlement", "district", "region"}
    assert (drawn["location_precision"] == "settlement").mean() > 0.6
    x0, y0, x1, y1 = FAR_EAST_BOX
    far_east = drawn.geometry.x.between(x0, x1) & drawn.geometry.y.between(y0, y1)
    assert 0.3 < far_east.mean() < 0.95                                   # clusters reach Moscow, the Urals...
    assert drawn["subject_code"].nunique() > 10


def test_cases_are_related_both_ways(frame):
    ids = set(frame["id"])
    related = dict(zip(frame["id"], frame["related"]))
    for record, others in related.items():
        assert set(others) <= ids
        assert all(record in related[other] for other in others)
    in_case = frame[frame["case"].notna()]
    assert 0.2 < len(in_case) / N < 0.8
    assert (in_case["related"].map(len) >= 1).all()


def test_written_dataset_loads_and_filters(frame, dataset):
    assert (dataset / "incidents.parquet").exists()
    assert not (dataset / "incidents.geojson").exists()
    bundle = load_bundle(dataset)
    geopandas.testing.assert_geodataframe_equal(bundle.incidents, frame)
    for column in LIST_COLUMNS:
        assert all(isinstance(v, list) for v in bundle.incidents[column]), column
    assert set(bundle.sites) == set(SITE_LAYERS) and all(len(s) for s in bundle.sites.values())
    assert bundle.doc_titles == {"synthetic": "Synthetic test data"}
    assert IncidentFilter().apply(bundle.incidents).shape[0] == N
    chosen = ("court_decision", "arrest_detention")
    shown = IncidentFilter(types=chosen).apply(bundle.incidents)
    assert 0 < len(shown) < N and len(shown) == frame["type"].isin(chosen).sum()
    code = frame["subject_code"].value_counts().index[0]
    assert len(IncidentFilter(subjects=(code,)).apply(bundle.incidents)) == (frame["subject_code"] == code).sum()


def test_parquet_is_preferred_and_missing_names_both_files(dataset, tmp_path):
    (tmp_path / "incidents.geojson").write_text("not json", encoding="utf-8")
    (tmp_path / "incidents.parquet").write_bytes((dataset / "incidents.parquet").read_bytes())
    assert len(load_layer("incidents", tmp_path)) == N
    with pytest.raises(DataFileMissing, match=r"worksites\.geojson.*worksites\.parquet"):
        load_layer("worksites", tmp_path)
    (tmp_path / "courts.parquet").write_text("garbage", encoding="utf-8")
    with pytest.raises(DataFileMissing, match="not a valid GeoParquet"):
        load_layer("courts", tmp_path)


def test_site_layers_can_be_written_as_parquet(frame, tmp_path):
    sites = {name: load_layer(name) for name in SITE_LAYERS}
    write_dataset(frame.iloc[:50], tmp_path, sites)
    for name, layer in sites.items():
        loaded = load_layer(name, tmp_path)
        assert (tmp_path / f"{name}.parquet").exists()
        assert list(loaded.columns) == list(layer.columns) and len(loaded) == len(layer)
        assert loaded["sources"].tolist() == layer["sources"].tolist()


def test_cli_writes_a_dataset(tmp_path, capsys):
    assert main(["synth", "--n", "300", "--seed", "3", "--out", str(tmp_path / "out")]) == 0
    assert "synthesized 300 incidents" in capsys.readouterr().out
    assert len(load_layer("incidents", tmp_path / "out")) == 300


def test_app_runs_on_a_synthetic_dataset(dataset, monkeypatch):
    monkeypatch.setenv("INCIDENT_DATA_DIR", str(dataset))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    shown, mapped, country = counts(at)
    assert shown == N and mapped + country == N
