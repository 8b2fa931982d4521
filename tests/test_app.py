"""The app's logic through Streamlit's AppTest: filters change counts and markers, the URL
reproduces a view, a click shows details with sources, missing data gives a friendly message."""
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.build.layers import layer_path
from tests.app_helpers import counts, in_view, incident_markers, map_args, map_code, view_request

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TOTAL = len(json.loads(layer_path("incidents").read_text(encoding="utf-8"))["features"])


def run(query: dict | None = None, env_setup=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture(scope="module")
def default_app():
    return run()


def test_default_run_shows_every_record_and_draws_the_mapped_ones(default_app):
    at = default_app
    assert not at.exception
    shown, mapped, country = counts(at)
    assert shown == TOTAL
    assert incident_markers(at) == mapped
    assert mapped + country == TOTAL


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
    assert view_request(at)["center"] == [48.48, 135.08] and view_request(at)["zoom"] == 7
    assert any("October 24, 2018" in m.value for m in at.markdown)
    assert at.query_params["c"] == "48.480,135.080" and at.query_params["z"] == "7"


def test_unknown_url_values_are_ignored_with_a_warning():
    at = run({"type": "court_decision,teleportation"})
    assert not at.exception
    assert any("teleportation" in w.value for w in at.warning)


def test_clicking_a_marker_shows_details_with_quote_and_source():
    at = run()
    at.session_state["map"] = {"last_object_clicked_count": 1, "last_object_clicked_tooltip":
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


PAGES = ("ui/pages/map.py", "ui/pages/review.py", "ui/pages/statistics.py", "ui/pages/export.py", "ui/pages/about.py")


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


# -- Where the map goes (ui.map_state): the browser tests check the map itself ----------------
def report(at: AppTest, lat: float, lng: float, zoom: float, clicks: int = 0, tooltip: str | None = None) -> None:
    """What st_folium leaves in session state when the map reports a view (and clicks)."""
    at.session_state["map"] = {"center": {"lat": lat, "lng": lng}, "zoom": zoom, "last_object_clicked_count": clicks,
                               "last_object_clicked_tooltip": tooltip,
                               "bounds": {"_southWest": {"lat": lat - 1, "lng": lng - 1},
                                          "_northEast": {"lat": lat + 1, "lng": lng + 1}}}


def test_default_view_frames_the_records_the_filters_keep():
    at = run({"subject": "RU-TA"})
    request = view_request(at)
    (south, west), (north, east) = request["bounds"]
    assert 55.7 < south <= north < 55.9 and 49.0 < west <= east < 49.2   # Kazan only


def test_a_record_link_alone_goes_to_the_record_and_highlights_it():
    at = run({"rec": "mem20-case1-embassy"})
    request = view_request(at)
    assert request["center"] == [55.75222, 37.61556] and request["zoom"] == 9
    assert "mem20-case1-embassy" in request["focus"]
    assert '"highlighted": true' in map_args(at)["feature_group"]
    assert at.query_params["rec"] == "mem20-case1-embassy" and at.query_params["z"] == "9"


def test_a_region_level_record_is_framed_whole():
    at = run({"rec": "ai96-vvo-border-shooting"})
    request = view_request(at)
    assert request["max_zoom"] == 7 and len(request["bounds"]) == 2


def test_next_step_is_not_undone_by_the_previous_steps_report():
    """The map's last report (the previous step's view) stays in session state: it must not
    overwrite the next step's view, and the URL names the step's view at once (no lag)."""
    at = run({"briefing": "court-expulsions-2018-2019", "step": "3"})
    report(at, 48.48, 135.08, 10)
    at.run()
    at.button(key="step_next").click().run()
    assert view_request(at)["center"] == [55.79, 49.12] and view_request(at)["zoom"] == 10
    assert at.query_params["step"] == "4" and at.query_params["c"] == "55.790,49.120" and at.query_params["z"] == "10"
    at.run()   # another run with the same old report in state
    assert at.query_params["c"] == "55.790,49.120"


def test_a_step_repeating_an_earlier_view_is_a_new_request():
    at = run({"briefing": "memorial-2020-case-1", "step": "5"})
    first = view_request(at)
    report(at, 43.5, 132.5, 11)   # the user panned and zoomed away
    at.run()
    at.button(key="step_next").click().run()   # step 6 has the same view as step 5
    assert view_request(at)["seq"] > first["seq"] and view_request(at)["center"] == first["center"]


def test_a_marker_click_selects_without_zooming_and_a_click_on_the_same_marker_again_counts():
    tooltip = "Industrialny District Court orders expulsion · 24 Oct 2018 [mem20-court-03-khabarovsk]"
    at = run()
    report(at, 48.5, 135.0, 6, clicks=1, tooltip=tooltip)
    at.run()
    assert at.session_state["selected"] == "mem20-court-03-khabarovsk"
    assert view_request(at)["inside"] and "center" not in view_request(at)
    at.selectbox(key="record_picker_en_mem20-court-03-khabarovsk").set_value("mem20-court-09-vladivostok").run()
    assert at.session_state["selected"] == "mem20-court-09-vladivostok"
    assert view_request(at)["center"] == [43.10562, 131.87353] and view_request(at)["zoom"] == 9
    report(at, 48.5, 135.0, 6, clicks=2, tooltip=tooltip)   # the same marker clicked again
    at.run()
    assert at.session_state["selected"] == "mem20-court-03-khabarovsk"


def test_record_search_matches_place_region_type_date_and_id():
    from geo.view.dataset import load_bundle
    from geo.view.search import matches, search_text
    bundle = load_bundle()
    at = run()
    at.text_input(key="record_search").set_value("Kazan").run()
    picker = next(s for s in at.selectbox if s.key and s.key.startswith("record_picker_"))
    listed = set(picker.options) - {"Click a marker or choose a record…"}
    kazan = bundle.incidents[bundle.incidents["place_name"].eq("Kazan") | bundle.incidents["title"].str.contains("Kazan")]
    assert listed == set(kazan["title"]) and len(listed) >= 3
    text = search_text(bundle.incidents)
    found = lambda query: set(bundle.incidents.index[matches(text, query)])
    assert found("tatarstan") >= set(kazan.index)                               # region
    assert found("KAZAN 2019") == set(kazan.index[kazan["date_start"].dt.year == 2019])   # words combine
    assert found("mem20-court-13") == {"mem20-court-13-tomsk"}                 # id
    assert found("asylum decision") >= set(bundle.incidents.index[bundle.incidents["type"].eq("asylum_decision")])
    assert found("Oct 2018") >= {"mem20-court-02-kazan"}                        # date as shown
    assert found("") == set(bundle.incidents.index)
