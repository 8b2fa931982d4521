"""Loading a dataset that is empty, incomplete, odd or rewritten while the app runs: a one-line message
that says what to do (and, for another INCIDENT_DATA_DIR, not to run `geo build`); a running app
picks up rebuilt files; a public deployment redacts the briefings' text too."""
import json
import os
import shutil

import geopandas
import pytest
from streamlit.testing.v1 import AppTest

from geo.build.layers import LAYER_NAMES, layer_path
from geo.errors import DataFileMissing
from geo.view.dataset import data_version, fix_advice, load_bundle, load_layer
from tests.test_app import APP

RECORD = "mem20-court-03-khabarovsk"


@pytest.fixture
def copy_of_data(tmp_path):
    for name in LAYER_NAMES:
        shutil.copy(layer_path(name), tmp_path / f"{name}.geojson")
    return tmp_path


def _edit_incidents(folder, change):
    path = folder / "incidents.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    tmp = folder / ".incidents.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)       # as the build writes: a new file renamed over the old one


def app_on(folder, monkeypatch, query=None) -> AppTest:
    monkeypatch.setenv("INCIDENT_DATA_DIR", str(folder))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def test_an_empty_dataset_gives_a_clear_message(copy_of_data, monkeypatch):
    _edit_incidents(copy_of_data, lambda d: d.update(features=[]))
    with pytest.raises(DataFileMissing, match="holds no incidents"):
        load_bundle(copy_of_data)
    at = app_on(copy_of_data, monkeypatch)
    assert not at.exception
    assert any("holds no incidents" in e.value for e in at.error)


def test_a_parquet_without_a_column_gives_a_clear_message(copy_of_data, monkeypatch):
    frame = load_layer("incidents", copy_of_data).drop(columns=["sources"]).reset_index(drop=True)
    frame.to_parquet(copy_of_data / "incidents.parquet")
    with pytest.raises(DataFileMissing, match=r"lacks the column\(s\) sources"):
        load_bundle(copy_of_data)
    at = app_on(copy_of_data, monkeypatch)
    assert not at.exception and any("sources" in e.value for e in at.error)


def test_a_geojson_without_a_column_or_with_a_bad_id_gives_a_clear_message(copy_of_data):
    _edit_incidents(copy_of_data, lambda d: [f["properties"].pop("type_label") for f in d["features"]])
    with pytest.raises(DataFileMissing, match="type_label"):
        load_bundle(copy_of_data)
    _edit_incidents(copy_of_data, lambda d: [f["properties"].update(type_label="x") for f in d["features"]])
    _edit_incidents(copy_of_data, lambda d: d["features"][0]["properties"].update(id="{{7*7}}"))
    with pytest.raises(DataFileMissing, match="record id"):
        load_bundle(copy_of_data)


def test_a_fifo_or_folder_as_a_layer_fails_at_once(copy_of_data):
    (copy_of_data / "courts.geojson").unlink()
    os.mkfifo(copy_of_data / "courts.geojson")         # reading it would block forever
    with pytest.raises(DataFileMissing, match="not a regular file"):
        load_bundle(copy_of_data)
    (copy_of_data / "courts.geojson").unlink()
    (copy_of_data / "courts.geojson").mkdir()
    with pytest.raises(DataFileMissing, match="not a regular file"):
        load_bundle(copy_of_data)


def test_messages_for_another_folder_do_not_advise_the_build(tmp_path):
    with pytest.raises(DataFileMissing) as failure:
        load_bundle(tmp_path)
    assert "geo build" not in str(failure.value) and "INCIDENT_DATA_DIR" in str(failure.value)
    from geo.paths import DATA_DIR
    assert "geo build" in fix_advice(DATA_DIR)


def test_the_version_key_changes_when_a_file_is_rewritten(copy_of_data):
    before = data_version(copy_of_data)
    assert data_version(copy_of_data) == before
    _edit_incidents(copy_of_data, lambda d: None)
    assert data_version(copy_of_data) != before


def test_a_running_app_shows_rebuilt_data(copy_of_data, monkeypatch):
    at = app_on(copy_of_data, monkeypatch, {"rec": RECORD})
    assert not at.exception
    old = next(f for f in json.loads((copy_of_data / "incidents.geojson").read_text())["features"] if f["id"] == RECORD)
    assert any(old["properties"]["title"] in m.value for m in at.markdown)   # the details heading

    def retitle(data):
        next(f for f in data["features"] if f["id"] == RECORD)["properties"]["title"] = "Corrected title"
    _edit_incidents(copy_of_data, retitle)
    at.run()
    assert not at.exception
    assert any("Corrected title" in m.value for m in at.markdown)


def test_a_public_deployment_redacts_briefing_text(tmp_path, monkeypatch):
    import geo.outputs.briefings
    from geo.outputs.briefing_export import briefing_bytes
    from geo.outputs.briefings import load_briefings
    from geo.outputs.redaction import PUBLIC, WITHHELD, release_bundle

    folder = tmp_path / "briefings"
    folder.mkdir()
    shutil.copy(geo.outputs.briefings.BRIEFINGS_DIR / "court-expulsions.yaml", folder / "named.yaml")
    text = (folder / "named.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Court expulsions", "title: Tatyana Dokuchaeva and court expulsions", 1)
    text = text.replace("heading: Sixteen expulsion decisions", "heading: Valery Zaidulin and sixteen decisions", 1)
    (folder / "named.yaml").write_text(text, encoding="utf-8")

    import geo.outputs.static_map
    monkeypatch.setattr(geo.outputs.static_map, "render_static_map",    # the text, not the maps
                        lambda data, path, *args, **kwargs: path.write_bytes(b"png"))
    public = release_bundle(load_bundle(), PUBLIC)
    briefing = next(b for b in load_briefings(public, folder))
    assert "Dokuchaeva" not in briefing.title and WITHHELD in briefing.title
    assert "Zaidulin" not in briefing.steps[0].heading
    deck = briefing_bytes(public, briefing, "html", PUBLIC).decode("utf-8")
    assert "Zaidulin" not in deck and "Dokuchaeva" not in deck

    monkeypatch.setattr(geo.outputs.briefings, "BRIEFINGS_DIR", folder)
    monkeypatch.setenv("INCIDENT_MAP_MODE", "public")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"briefing": "court-expulsions-2018-2019", "step": "1"})
    at.run()
    assert not at.exception
    shown = "\n".join([i.value for i in at.info] + [str(o) for o in at.selectbox(key="briefing").options])
    assert WITHHELD in shown and "Zaidulin" not in shown and "Dokuchaeva" not in shown


@pytest.mark.parametrize("page", ["ui/pages/map.py", "ui/pages/statistics.py", "ui/pages/export.py",
                                  "ui/pages/about.py"])
def test_no_page_of_a_public_deployment_shows_a_listed_name(page, monkeypatch):
    import re

    from geo.outputs.redaction import PUBLIC_FIGURES, register_names
    bundle = load_bundle()
    names = register_names(bundle.incidents, *bundle.sites.values())
    monkeypatch.setenv("INCIDENT_MAP_MODE", "public")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"briefing": "memorial-2020-case-1", "step": "2"})
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    texts = [e.value for kind in (at.markdown, at.caption, at.info, at.warning, at.subheader) for e in kind]
    texts += [frame.value.to_csv() for frame in at.dataframe]
    texts += [str(option) for box in at.selectbox for option in box.options]
    shown = "\n".join(texts).replace("\\", "")
    for figure in PUBLIC_FIGURES:
        shown = re.sub(re.escape(figure), "", shown, flags=re.I)
    assert not [n for n in names if re.search(r"(?<![A-Za-z])" + re.escape(n) + r"(?![A-Za-z])", shown, re.I)]
