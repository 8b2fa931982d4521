"""Case routes: the records of a case in date order, stops and legs, arrow angles."""
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.view import routes
from geo.view.dataset import load_bundle


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def step_ids(route):
    return [s.id for s in route.steps]


def test_case_one_runs_from_moscow_through_vnukovo_to_vladivostok_and_back(bundle):
    route = routes.route_of(bundle.incidents, "mem20-case-1",
                            list(bundle.incidents.index[bundle.incidents["case"] == "mem20-case-1"]))
    ids = step_ids(route)
    order = ["mem20-case1-arrival", "mem20-case1-escape", "mem20-case1-asylum-application", "mem20-case1-refusal",
             "mem20-case1-arrest", "mem20-case1-embassy", "mem20-case1-leg-cast", "mem20-case1-vnukovo",
             "mem20-case1-held-vladivostok", "mem20-case1-escape-vladivostok", "mem20-case1-asylum-certificate",
             "mem20-case1-pursuit", "mem20-case1-rescue", "mem20-case1-departure"]
    assert ids == order
    places = [bundle.incidents.loc[stop_step_id(route, stop), "place_name"] for stop in route.stops()]
    assert places == ["Sverdlovsk Oblast", "Moscow Oblast", "Moscow", "Vnukovo International Airport",
                      "Vladivostok", "Moscow"]


def stop_step_id(route, stop):
    return route.steps[stop.steps[0] - 1].id


def test_steps_are_in_date_order(bundle):
    found, _ = routes.routes(bundle.incidents)
    assert len(found) >= 5
    for route in found:
        keys = [bundle.incidents.loc[s.id, "date_start"] if pd.notna(bundle.incidents.loc[s.id, "date_start"])
                else bundle.incidents.loc[s.id, "date_end"].replace(day=1) for s in route.steps]
        assert keys == sorted(keys), route.case


def test_records_dated_only_as_on_or_before_come_before_what_follows_from_them(bundle):
    members = list(bundle.incidents.index[bundle.incidents["case"] == "mem20-case-5"])
    ids = step_ids(routes.route_of(bundle.incidents, "mem20-case-5", members))
    assert ids[:3] == ["mem20-case5-border-crossing", "mem20-case5-arrest", "mem20-case5-sentence"]


def test_a_leg_to_a_region_level_place_is_dashed_and_arrows_point_along_the_leg(bundle):
    members = list(bundle.incidents.index[bundle.incidents["case"] == "mem20-case-1"])
    legs = routes.route_of(bundle.incidents, "mem20-case-1", members).legs()
    assert legs[0].dashed                                   # Sverdlovsk Oblast (region) -> Moscow Oblast
    vnukovo_to_vladivostok = legs[3]
    assert not vnukovo_to_vladivostok.dashed
    assert -30 < vnukovo_to_vladivostok.angle < 30          # eastwards (a little south on screen)
    assert 150 < abs(legs[4].angle) <= 180                  # Vladivostok -> Moscow: westwards


def test_arrow_angle_is_measured_on_the_screen():
    def leg(a, b):
        frame = pd.DataFrame({
            "id": ["x", "y"], "title": ["x", "y"], "date_label": ["", ""], "type": ["escape"] * 2,
            "type_label": ["Escape"] * 2, "place_name": ["", ""], "location_precision": ["settlement"] * 2,
            "date_start": pd.to_datetime(["2000-01-01", "2000-02-01"]), "date_end": pd.to_datetime(["2000-01-01", "2000-02-01"]),
            "date_precision": ["day", "day"], "related": [["y"], ["x"]], "case": ["c", "c"],
            "geometry": [Point(*a), Point(*b)]}).set_index("id", drop=False)
        return routes.route_of(frame, "c", ["x", "y"]).legs()[0].angle
    assert leg((0, 0), (10, 0)) == pytest.approx(0)
    assert leg((0, 0), (0, 10)) == pytest.approx(-90)        # north is up: counter-clockwise
    assert leg((0, 10), (0, 0)) == pytest.approx(90)
    assert leg((0, 60), (10, 70)) < -45                      # Mercator stretches the north: steeper than 45°


def test_a_filter_cuts_the_drawn_line_but_not_the_list_of_steps(bundle):
    incidents = bundle.incidents
    keep = (incidents["date_start"] >= "2007-11-01").to_numpy()
    found, _ = routes.routes(incidents, keep)
    case1 = next(r for r in found if r.case == "mem20-case-1")
    assert len(case1.steps) == 14
    assert not case1.steps[0].shown and case1.steps[-1].shown
    assert len(case1.stops()) < len(case1.stops(shown_only=False))


def test_a_related_link_to_a_policy_record_never_joins_two_cases(bundle):
    groups = routes.case_groups(bundle.incidents)
    assert "pscore23-escapees-deportation-risk" not in groups.get("pscore23-case-a", [])
    assert all(len(set(bundle.incidents.loc[m, "case"].dropna())) <= 1 for m in groups.values())


def test_route_tooltips_are_told_apart_from_record_tooltips():
    assert routes.route_id_from_tooltip("Route of case mem20-case-1 · 14 steps [route:mem20-case-1]") == "mem20-case-1"
    assert routes.route_id_from_tooltip("Arrest · 2 Nov 2007 [mem20-case1-arrest]") is None
