"""Exploring in the app (AppTest): the timeline's selection -> filter -> URL, playback steps, the
within-N-km filter, case routes on the map and beside it, descriptions held back in briefings."""
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.view import proximity
from geo.view.dataset import load_bundle
from geo.view.filters import IncidentFilter
from tests.app_helpers import counts, map_args, map_code

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def run(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def ms(day: str) -> float:
    return (dt.datetime.fromisoformat(day) - dt.datetime(1970, 1, 1)).total_seconds() * 1000


def url(at: AppTest) -> dict:
    return {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in at.query_params}


def expected_in_view(bundle, params) -> int:
    return int(IncidentFilter.from_params(params, known_sites=bundle.site_places).mask(bundle.incidents).sum())


def test_a_drag_on_the_timeline_sets_the_slider_the_counts_and_the_url(bundle):
    at = run()
    at.session_state["timeline_chart_year"] = {"selection": {"brush": {"year_period": [ms("2017-06-01"),
                                                                                      ms("2019-02-10")]}}}
    at.run()
    assert not at.exception
    assert at.slider(key="years").value == (2017, 2019)
    assert url(at)["from"] == "2017" and url(at)["to"] == "2019"
    assert counts(at)[0] == expected_in_view(bundle, {"from": "2017", "to": "2019"})
    # the same selection again (the chart keeps it across runs) does not undo a later slider move
    at.slider(key="years").set_value((1995, 1996)).run()
    assert url(at)["from"] == "1995" and at.slider(key="years").value == (1995, 1996)


def test_a_click_on_a_bar_selects_that_year_and_a_link_reopens_it(bundle):
    at = run()
    at.session_state["timeline_chart_year"] = {"selection": {"brush": {}, "pick": [{"year_period": "2009-01-01T00:00:00.000Z"}]}}
    at.run()
    assert url(at)["from"] == url(at)["to"] == "2009"
    again = run(url(at))
    assert again.slider(key="years").value == (2009, 2009) and counts(again) == counts(at)


def test_a_drag_on_the_monthly_timeline_sets_a_window_of_months(bundle):
    at = run()
    at.radio(key="timeline_unit").set_value("month").run()
    at.session_state["timeline_chart_month"] = {"selection": {"brush": {"yearmonth_period": [ms("2018-09-20"),
                                                                                           ms("2018-11-03")]}}}
    at.run()
    assert not at.exception
    assert url(at)["from"] == "2018-09" and url(at)["to"] == "2018-11"
    assert counts(at)[0] == expected_in_view(bundle, {"from": "2018-09", "to": "2018-11"})
    assert "Sep 2018 – Nov 2018" in " ".join(c.value for c in at.caption)
    reopened = run({"from": "2018-09", "to": "2018-11"})
    assert counts(reopened) == counts(at)


def test_playback_steps_move_the_window_a_year_at_a_time_and_the_map_follows(bundle):
    at = run({"from": "2007", "to": "2007"})
    seen = []
    for _ in range(3):
        at.button(key="play_next").click().run()
        assert not at.exception
        params = url(at)
        seen.append(params["from"])
        assert counts(at)[0] == expected_in_view(bundle, {"from": params["from"], "to": params["to"]})
    assert seen == ["2008", "2009", "2010"]
    at.button(key="play_back").click().run()
    assert url(at)["from"] == "2009"


def test_a_five_year_window_slides_a_year_per_step():
    at = run({"from": "1990", "to": "1990"})
    at.selectbox(key="play_width").set_value("5years").run()
    at.button(key="play_next").click().run()   # first aligns the window to the width
    assert (url(at)["from"], url(at)["to"]) == ("1990", "1994")
    at.button(key="play_next").click().run()
    assert (url(at)["from"], url(at)["to"]) == ("1991", "1995")


def test_play_starts_a_playback_kept_in_the_url_and_pause_stops_it():
    at = run({"from": "2007", "to": "2007"})
    at.button(key="play_start").click().run()
    assert at.session_state["playing"] and url(at)["play"] == "year" and url(at)["speed"] == "1"
    assert any("Playing: 2007" in c.value for c in at.caption)
    at.button(key="play_pause").click().run()
    assert not at.session_state["playing"] and "play" not in url(at)


def test_a_link_starts_a_playback_at_its_window_and_width():
    at = run({"play": "5years", "speed": "2", "from": "1993"})
    assert not at.exception
    assert at.session_state["playing"] and at.session_state["play_width"] == "5years"
    assert (url(at)["from"], url(at)["to"]) == ("1993", "1997") and url(at)["speed"] == "2"


def test_a_slow_page_run_during_playback_does_not_step_inside_the_run():
    """The step's time can pass while the page itself runs (a busy server): the step waits for the
    ticker's own rerun instead of moving the time widgets the sidebar has already drawn."""
    at = run({"play": "5years", "speed": "2", "from": "1993"})
    at.session_state["last_step"] = 0.0          # as if the step's time passed during the run
    at.run()
    assert not at.exception
    assert at.session_state["playing"] and (url(at)["from"], url(at)["to"]) == ("1993", "1997")


def test_a_bad_playback_link_warns_and_plays_by_the_year():
    at = run({"play": "decade", "speed": "fast"})
    assert not at.exception and at.session_state["play_width"] == "year"
    assert any("play='decade'" in w.value for w in at.warning) and any("speed='fast'" in w.value for w in at.warning)


def icon_of(at: AppTest, record_id: str) -> str:
    """The icon key a record's marker was drawn with: type|precise|highlighted|hollow."""
    found = re.search(r'"icon": "([^"]+)", "id": "%s"' % re.escape(record_id),   # tojson sorts the keys
                      map_args(at)["feature_group"])
    assert found, f"{record_id} is not drawn"
    return found.group(1)


def test_records_dated_more_broadly_than_the_window_are_drawn_hollow(bundle):
    at = run({"from": "2007", "to": "2007"})
    assert icon_of(at, "mem20-case1-escape").endswith("|1")         # 1997–2007: may or may not be in 2007
    assert icon_of(at, "mem20-case1-arrest").endswith("|0")         # 2 Nov 2007
    assert "may or may not fall in it" in map_args(at)["feature_group"]
    assert any("Hollow: dated more broadly than the time window" in h.value for h in at.get("html"))
    assert icon_of(run(), "mem20-case1-escape").endswith("|0")      # no window, nothing hollow


def test_within_50_km_of_a_site_from_the_sidebar_keeps_the_nearby_records_and_the_url(bundle):
    at = run()
    at.selectbox(key="near").set_value("site-khasan-border-crossing").run()
    assert not at.exception
    params = url(at)
    assert params["near"] == "site-khasan-border-crossing" and params["km"] == "50"
    expected = expected_in_view(bundle, {"near": "site-khasan-border-crossing", "km": "50"})
    assert counts(at)[0] == expected and 0 < expected < len(bundle.incidents)
    assert any("within 50 km of Khasan border crossing" in c.value for c in at.caption)
    group = map_args(at)["feature_group"]   # the reach drawn round the site, and said in the legend
    assert "L.circle" in group and '"radius": 50000.0' in group
    assert any("Dashed blue circle: within 50 km of Khasan border crossing" in h.value for h in at.get("html"))
    at.select_slider(key="near_km").set_value(250.0).run()
    assert url(at)["km"] == "250" and counts(at)[0] == expected_in_view(bundle, {"near": "site-khasan-border-crossing",
                                                                                "km": "250"})


def test_a_click_on_a_site_offers_its_nearby_incidents_as_a_filter(bundle):
    at = run()
    at.session_state["map"] = {"last_object_clicked_tooltip": "Khasan border crossing (Russia–DPRK) · Border "
                                                              "crossing [site-khasan-border-crossing]",
                               "last_object_clicked_count": 1}
    at.run()
    near = proximity.near(bundle.incidents, bundle.coords, bundle.site_places["site-khasan-border-crossing"], 50)
    assert any(f"{int(near.mask.sum())} of the incidents in view lie within 50 km" in m.value for m in at.markdown)
    at.button(key="site-near").click().run()
    assert url(at)["near"] == "site-khasan-border-crossing" and counts(at)[0] == int(near.mask.sum())


def test_case_routes_are_drawn_when_switched_on_and_a_click_lists_the_steps_in_date_order(bundle):
    at = run()
    assert '"layer": "routes"' not in map_code(at)
    at.toggle(key="show_routes").set_value(True).run()
    code = map_code(at)
    assert code.count('"layer": "routes"') >= 10 and "route-arrow" in code and url(at)["routes"] == "1"
    at.session_state["map"] = {"last_object_clicked_tooltip": "Route of case mem20-case-1 [route:mem20-case-1]",
                               "last_object_clicked_count": 1}
    at.run()
    steps = [b.label for b in at.button if b.key and b.key.startswith("route-step-mem20-case-1-")]
    assert len(steps) == 14 and steps[0].startswith("1. 1997") and steps[-1].startswith("14. Mar 2008")
    at.button(key="route-step-mem20-case-1-mem20-case1-vnukovo").click().run()
    assert at.session_state["selected"] == "mem20-case1-vnukovo"


def test_clusters_are_drawn_as_rings_by_type():
    code = map_args(run())["feature_group"]
    assert "iconCreateFunction" in code and "stroke-dasharray" in code and "marker-cluster-small" not in code


def test_in_a_briefing_ill_treatment_shows_its_quote_only_when_asked_and_remembers(bundle):
    record_id = "mem20-case1-leg-cast"   # ill-treatment, highlighted by step 4 of the case-1 briefing
    at = run({"briefing": "memorial-2020-case-1", "step": "4"})
    at.session_state["selected"] = record_id
    at.run()
    quote = bundle.incidents.loc[record_id, "sources"][0]["quote"]
    text = lambda: " ".join(m.value for m in at.markdown).replace("\\", "")
    assert at.session_state["briefing"] == "memorial-2020-case-1"
    assert quote[:40] not in text() and "Outcome:" not in text()
    assert any("describes ill-treatment" in i.value.replace("\\", "") for i in at.info)
    at.button(key=f"reveal-{record_id}").click().run()
    assert quote[:40] in text() and "Outcome:" in text()
    at.session_state["selected"] = "mem20-case1-arrest"
    at.run()
    at.session_state["selected"] = record_id
    at.run()
    assert quote[:40] in text() and not any(b.key == f"reveal-{record_id}" for b in at.button)   # remembered


def test_in_a_public_deployment_a_killing_shows_its_quote_only_when_asked(bundle, monkeypatch):
    record_id = "ai96-vvo-border-shooting"
    monkeypatch.setenv("INCIDENT_MAP_MODE", "public")
    at = run({"rec": record_id})
    assert not at.exception
    quote = bundle.incidents.loc[record_id, "sources"][0]["quote"][:20]
    text = lambda: " ".join(m.value for m in at.markdown).replace("\\", "")
    assert quote not in text() and any(b.key == f"reveal-{record_id}" for b in at.button)
    at.button(key=f"reveal-{record_id}").click().run()
    assert quote in text()


def test_outside_briefings_and_public_mode_a_killing_shows_its_quote(bundle):
    at = run({"rec": "ai96-vvo-border-shooting"})
    quote = bundle.incidents.loc["ai96-vvo-border-shooting", "sources"][0]["quote"][:30]
    assert not any(b.key == "reveal-ai96-vvo-border-shooting" for b in at.button)
    assert any(quote[:20] in m.value.replace("\\", "") for m in at.markdown)


def test_the_map_page_runs_on_every_explore_link():
    for query in ({"play": "month", "from": "2018-03"}, {"routes": "1", "from": "1995", "to": "1996"},
                  {"near": "court-khabarovsk-industrialny", "km": "700"}, {"from": "2018-13"}):
        at = run(query)
        assert not at.exception, query
    assert json.dumps(url(at))


def test_the_statistics_page_counts_incidents_near_each_site_as_the_filter_does(bundle):
    at = run()
    at.switch_page("ui/pages/statistics.py").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Site id" in d.value.columns)
    top = table.iloc[0]
    assert top["Incidents"] == expected_in_view(bundle, {"near": top["Site id"], "km": "50"})
    assert list(table["Incidents"]) == sorted(table["Incidents"], reverse=True) and (table["Incidents"] > 0).all()


def test_a_browsers_first_run_draws_the_map_first_and_the_chart_and_table_in_the_next(monkeypatch):
    """In a browser, the timeline's chart and the records table wait for the run the map starts when
    it has painted (ui.map_state.map_first); their places are kept, and the controls are there."""
    from ui import map_state
    monkeypatch.setattr(map_state, "browser_connected", lambda: True)
    at = run()
    assert not at.exception
    assert map_code(at), "the map is drawn in the first run"
    assert not at.get("vega_lite_chart") and not at.dataframe
    assert at.button(key="play_start").label == "Play" and at.selectbox(key="play_width")
    at.run()   # what the map's first report starts
    assert at.get("vega_lite_chart") and len(at.dataframe) == 1
    at.switch_page("ui/pages/about.py").run()
    at.switch_page("ui/pages/map.py").run()   # back on the map: all at once (the browser has the code)
    assert at.get("vega_lite_chart") and len(at.dataframe) == 1


def test_in_a_browser_a_step_with_next_shows_the_map_first_and_its_table_in_the_next_run(bundle, monkeypatch):
    """Back and Next show the new window as quickly as a step while playing: the records table of
    the new window follows in the next run (a short timer starts it in the browser)."""
    from ui import map_state
    monkeypatch.setattr(map_state, "browser_connected", lambda: True)
    at = run({"from": "2018", "to": "2018"})
    at.run()   # past the first run (the map first)
    assert len(at.dataframe) == 1
    at.button(key="play_next").click().run()
    assert url(at)["from"] == "2019" and counts(at)[0] == expected_in_view(bundle, {"from": "2019", "to": "2019"})
    assert not at.dataframe, "the table follows the map"
    at.run()   # the timer's rerun
    assert len(at.dataframe) == 1 and url(at)["from"] == "2019"
    assert len(at.dataframe[0].value) == counts(at)[0], "the table lists the new window's records"
