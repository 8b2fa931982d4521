"""The app's logic through Streamlit's AppTest: filters change counts and markers, the URL
reproduces a view, a click shows details with sources, missing data gives a friendly message."""
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.build.layers import layer_path

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TOTAL = len(json.loads(layer_path("incidents").read_text(encoding="utf-8"))["features"])


def run(query: dict | None = None, env_setup=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def map_args(at: AppTest) -> dict:
    def walk(node):
        proto = getattr(node, "proto", None)
        if getattr(proto, "component_name", "") == "streamlit_folium.st_folium":
            yield json.loads(proto.json_args)
        for child in getattr(node, "children", {}).values():
            yield from walk(child)
    found = list(walk(at._tree))
    assert len(found) == 1, "expected exactly one map"
    return found[0]


def map_code(at: AppTest) -> str:
    """The base map's script plus the feature group st_folium swaps in (the incidents)."""
    args = map_args(at)
    return args["script"] + (args.get("feature_group") or "")


def incident_markers(at: AppTest) -> int:
    return map_code(at).count('"layer": "incidents"')


def in_view(at: AppTest) -> int:
    return int(at.metric[0].value.split(" of ")[0])


@pytest.fixture(scope="module")
def default_app():
    return run()


def test_default_run_shows_every_record_and_draws_the_mapped_ones(default_app):
    at = default_app
    assert not at.exception
    assert in_view(at) == TOTAL
    assert incident_markers(at) == int(at.metric[1].value)
    assert int(at.metric[1].value) + int(at.metric[2].value) == TOTAL


def test_map_assets_are_local(default_app):
    args = map_args(default_app)
    links = args.get("js_links", []) + args.get("css_links", [])
    assert links and all(link.startswith(("/app/static/vendor/", "data:")) for link in links), links
    assert "https://" not in args["script"].replace("https://www.openstreetmap.org/copyright", "") \
        .replace("https://tile.openstreetmap.org", "")


def test_time_slider_narrows_count_and_markers(default_app):
    at = run()
    before = (in_view(at), incident_markers(at))
    at.slider(key="years").set_value((2018, 2019)).run()
    assert not at.exception
    assert in_view(at) < before[0] and incident_markers(at) < before[1]
    assert at.query_params["from"] == "2018" and at.query_params["to"] == "2019"


@pytest.mark.parametrize("key, value", [
    ("types", ["court_decision"]),
    ("actors", ["ru_court"]),
    ("subjects", ["RU-KHA"]),
    ("docs", ["pscore-upr-2023"]),
])
def test_each_filter_changes_the_count(key, value):
    at = run()
    at.multiselect(key=key).set_value(value).run()
    assert not at.exception
    assert 0 < in_view(at) < TOTAL


def test_month_switch_hides_records_dated_only_to_a_year():
    at = run()
    at.toggle(key="month_only").set_value(True).run()
    assert 0 < in_view(at) < TOTAL
    assert at.query_params["month"] == "1"


def test_filters_combine():
    at = run()
    at.multiselect(key="types").set_value(["court_decision"]).run()
    courts = in_view(at)
    at.multiselect(key="subjects").set_value(["RU-KHA"]).run()
    assert 0 < in_view(at) < courts


def test_url_reproduces_a_view():
    at = run({"type": "court_decision", "subject": "RU-KHA", "from": "2018", "to": "2019",
              "rec": "mem20-court-03-khabarovsk", "c": "48.480,135.080", "z": "7"})
    assert not at.exception
    assert in_view(at) == 4   # the Khabarovsk court decisions of 2018-2019
    assert at.multiselect(key="types").value == ["court_decision"]
    script = map_args(at)["script"]
    assert "center: [48.48, 135.08]" in script and '"zoom": 7,' in script
    assert any("October 24, 2018" in m.value for m in at.markdown)


def test_unknown_url_values_are_ignored_with_a_warning():
    at = run({"type": "court_decision,teleportation"})
    assert not at.exception
    assert any("teleportation" in w.value for w in at.warning)


def test_clicking_a_marker_shows_details_with_quote_and_source():
    at = run()
    at.session_state["map"] = {"last_object_clicked_tooltip":
                               "Industrialny District Court orders expulsion · 24 Oct 2018 [mem20-court-03-khabarovsk]"}
    at.run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "Industrial District Court of Khabarovsk" in text      # the verbatim quote
    assert "Memorial / Civic Assistance \\(2020\\)" in text or "Memorial / Civic Assistance (2020)" in text
    assert "Section V, decision 3" in text
    assert at.query_params["rec"] == "mem20-court-03-khabarovsk"


def test_a_court_decision_shows_court_instance_and_outcome():
    at = run({"rec": "mem20-case4-appeal"})
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "**Court:** not named in the source" in text and "**Instance:** appeal" in text
    assert "**Court outcome:** earlier ruling overturned; proceedings terminated" in text


def test_a_link_with_the_old_court_type_still_selects_court_decisions():
    at = run({"type": "court_expulsion_decision"})
    assert not at.exception and not at.warning
    assert at.multiselect(key="types").value == ["court_decision"]


def test_statistics_page_says_where_documents_differ_and_writes_every_figure():
    at = run()
    at.switch_page("ui/pages/statistics.py").run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "Where the documents differ" in text and "211" in text
    table = next(df.value for df in at.dataframe if "Figure" in df.value.columns)
    assert "around 30,000–40,000" in table["Figure"].tolist()
    assert not table["Figure"].isna().any()


def test_related_records_can_be_followed():
    at = run({"rec": "mem20-case2-abduction"})
    buttons = [b for b in at.button if b.key and b.key.startswith("rel-mem20-case2-abduction-")]
    assert buttons
    target = buttons[0].key.split("rel-mem20-case2-abduction-")[1]
    buttons[0].click().run()
    assert at.query_params["rec"] == target


def test_empty_selection_shows_an_empty_state():
    at = run()
    at.multiselect(key="types").set_value([]).run()
    assert in_view(at) == 0
    assert any("No incident matches" in i.value for i in at.info)


def test_missing_data_in_another_folder_says_how_to_fill_that_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("missing" in e.value and "INCIDENT_DATA_DIR" in e.value and "geo synth" in e.value for e in at.error)
    # `geo build` writes only data/: it would not help here
    assert not any("geo build" in e.value for e in at.error) and not at.code


def test_missing_default_data_says_to_build(tmp_path, monkeypatch):
    import geo.paths
    import geo.view.dataset
    import ui.data
    for module in (geo.paths, geo.view.dataset, ui.data):
        monkeypatch.setattr(module, "DATA_DIR", tmp_path)
    monkeypatch.setenv("INCIDENT_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("missing" in e.value and "python -m geo build" in e.value for e in at.error)
    assert any("./start.sh" in c.value for c in at.code)


def test_public_deployment_never_shows_names(monkeypatch):
    from geo.view.dataset import load_bundle
    from geo.outputs.redaction import PUBLIC_FIGURES, register_names
    bundle = load_bundle()
    names = register_names(bundle.incidents, *bundle.sites.values())
    record = next(i for i, listed in zip(bundle.incidents["id"], bundle.incidents["people_names"]) if listed)
    monkeypatch.setenv("INCIDENT_MAP_MODE", "public")
    at = run({"rec": record})
    assert not at.exception
    # The map script carries popups as JSON-escaped HTML: decode \u003c etc. and drop the tags, so
    # "Su</td>" reads as the word Su (and "</li>" is not the name Li).
    script = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), map_code(at))
    script = re.sub(r"<[^<>]*>", " ", script)
    shown = "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                      + [script]).replace("\\", "")
    assert "[name withheld]" in shown
    for figure in PUBLIC_FIGURES:
        shown = re.sub(re.escape(figure), "", shown, flags=re.I)
    hits = [n for n in names if re.search(r"(?<![A-Za-z])" + re.escape(n) + r"(?![A-Za-z])", shown, re.I)]
    assert not hits


PAGES = ("ui/pages/map.py", "ui/pages/statistics.py", "ui/pages/export.py", "ui/pages/about.py")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_an_exception(page):
    at = run()
    at.switch_page(page).run()
    assert not at.exception


def test_export_page_prepares_a_download_of_the_current_view():
    at = run({"type": "court_decision"})
    at.switch_page("ui/pages/export.py").run()
    at.selectbox(key="export_format").set_value("csv")
    at.button(key="export_prepare").click().run()
    assert not at.exception
    name, content, mime = at.session_state["export_file"]
    assert name == "incidents-public.csv" and mime == "text/csv"
    assert content.decode("utf-8-sig").count("court_decision") >= 19


def test_filters_set_on_the_map_are_kept_on_other_pages_and_in_their_url():
    at = run()
    at.multiselect(key="subjects").set_value(["RU-KHA"]).run()
    at.switch_page("ui/pages/about.py").run()        # a page without the filters
    at.switch_page("ui/pages/export.py").run()
    assert at.multiselect(key="subjects").value == ["RU-KHA"]
    assert at.query_params["subject"] == "RU-KHA"
    assert any("Khabarovsk" in c.value for c in at.caption)
