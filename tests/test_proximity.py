"""Within N km of a site: geodesic distances between seed places, the filter in links, the CLI and
captions, and per-site counts."""
import math

import numpy as np
import pytest

from geo.view import proximity
from geo.view.dataset import load_bundle
from geo.view.filters import FilterError, IncidentFilter

# Seed places (the register's gazetteer rows) and their distances: great-circle figures as
# published (Vladivostok–Khabarovsk ≈ 647 km, Moscow–Vladivostok ≈ 6,430 km, Moscow–St Petersburg
# ≈ 634 km), within 1 %; the ellipsoid differs from a sphere by up to ~0.5 %.
PLACES = {
    "Vladivostok": (131.87353, 43.10562), "Khabarovsk": (135.08379, 48.48271), "Moscow": (37.61556, 55.75222),
    "Saint Petersburg": (30.31413, 59.93863), "Khasan crossing": (130.65156, 42.42387),
    "Vnukovo airport": (37.2615, 55.5915),
}
KNOWN_KM = [("Vladivostok", "Khabarovsk", 647), ("Moscow", "Vladivostok", 6430),
            ("Moscow", "Saint Petersburg", 634), ("Vladivostok", "Khasan crossing", 125),
            ("Moscow", "Vnukovo airport", 28.6)]


def haversine_km(a, b, radius=6371.0088):
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.mark.parametrize("a, b, km", KNOWN_KM)
def test_geodesic_distances_between_seed_places_match_the_known_ones(a, b, km):
    (lon, lat), (lon2, lat2) = PLACES[a], PLACES[b]
    measured = proximity.distances_km(np.array([lon2]), np.array([lat2]), lon, lat)[0]
    assert measured == pytest.approx(km, rel=0.01)
    assert measured == pytest.approx(haversine_km(PLACES[a], PLACES[b]), rel=0.006)


def test_a_degree_box_would_be_wrong_but_the_filter_is_not():
    # 0.9° of longitude at Moscow's latitude is ~56 km: inside 60 km, although 0.9° of latitude is 100 km.
    lon, lat = np.array([37.61556 + 0.9]), np.array([55.75222])
    assert proximity.within_mask(lon, lat, np.array(["settlement"], dtype=object), 37.61556, 55.75222, 60)[0]
    assert not proximity.within_mask(np.array([37.61556]), np.array([55.75222 + 0.9]),
                                     np.array(["settlement"], dtype=object), 37.61556, 55.75222, 60)[0]


def test_region_and_country_level_records_are_never_within_a_distance():
    lon, lat = np.array([131.9, 131.9, np.nan]), np.array([43.1, 43.1, np.nan])
    precision = np.array(["settlement", "region", "country"], dtype=object)
    assert proximity.within_mask(lon, lat, precision, 131.87353, 43.10562, 50).tolist() == [True, False, False]


def test_across_the_antimeridian_the_box_still_finds_neighbours():
    lon, lat = np.array([-179.9, 179.9]), np.array([65.0, 65.0])
    inside = proximity.within_mask(lon, lat, np.array(["settlement"] * 2, dtype=object), 179.95, 65.0, 20)
    assert inside.tolist() == [True, True]


def test_the_sites_to_measure_from_have_a_precise_point(bundle):
    places = bundle.site_places
    assert "site-khasan-border-crossing" in places and "court-khabarovsk-industrialny" in places
    assert "site-amur-oblast-logging" not in places            # region level: no point to measure from
    assert "embassy-rok-russia" not in places                  # country level
    assert all(p.precision in proximity.MEASURABLE for p in places.values())


def test_incidents_within_50_km_of_khasan_are_those_at_khasan(bundle):
    place = bundle.site_places["site-khasan-border-crossing"]
    f = IncidentFilter().with_near(place, 50)
    kept = f.apply(bundle.incidents)
    assert len(kept) > 0
    assert set(kept["location_precision"]) <= set(proximity.MEASURABLE)
    lon = kept.geometry.x.to_numpy()
    lat = kept.geometry.y.to_numpy()
    assert (proximity.distances_km(lon, lat, place.lon, place.lat) <= 50).all()
    # everything measurable within 50 km is kept, nothing farther
    everything = bundle.incidents[bundle.incidents.geometry.notna()
                                  & bundle.incidents["location_precision"].isin(proximity.MEASURABLE)]
    d = proximity.distances_km(everything.geometry.x.to_numpy(), everything.geometry.y.to_numpy(), place.lon, place.lat)
    assert set(kept.index) == set(everything.index[d <= 50])


def test_vladivostok_within_700_km_of_khabarovsk_but_not_within_600(bundle):
    court = bundle.site_places["court-khabarovsk-industrialny"]
    vladivostok = bundle.incidents[bundle.incidents["place_name"] == "Vladivostok"].index
    assert len(vladivostok)
    assert set(vladivostok) <= set(IncidentFilter().with_near(court, 700).apply(bundle.incidents).index)
    assert not set(vladivostok) & set(IncidentFilter().with_near(court, 600).apply(bundle.incidents).index)


def test_the_distance_filter_round_trips_through_the_url_and_says_what_it_does(bundle):
    place = bundle.site_places["site-khasan-border-crossing"]
    f = IncidentFilter(types=("forcible_return",)).with_near(place, 25)
    params = f.to_params()
    assert params["near"] == "site-khasan-border-crossing" and params["km"] == "25"
    back = IncidentFilter.from_params(params, known_sites=bundle.site_places)
    assert back == f and back.near_place == place
    assert "within 25 km of Khasan border crossing (Russia–DPRK)" in f.describe()


@pytest.mark.parametrize("params, warning", [
    ({"near": "nowhere"}, "near='nowhere' is not a site"),
    ({"near": "site-amur-oblast-logging"}, "is not a site with a point"),
    ({"near": "site-khasan-border-crossing", "km": "-5"}, "km='-5' is not a distance"),
    ({"near": "site-khasan-border-crossing", "km": "lots"}, "km='lots' is not a distance"),
    ({"km": "30"}, "km='30' without a site"),
])
def test_a_bad_distance_link_is_ignored_with_a_warning(bundle, params, warning):
    f = IncidentFilter.from_params(params, known_sites=bundle.site_places)
    assert any(warning in w for w in f.warnings), f.warnings
    with pytest.raises(FilterError, match=warning.split("'")[0]):
        IncidentFilter.from_params(params, known_sites=bundle.site_places, strict=True)


def test_a_site_without_km_uses_the_default_distance(bundle):
    f = IncidentFilter.from_params({"near": "site-khasan-border-crossing"}, known_sites=bundle.site_places)
    assert f.within_km == proximity.DEFAULT_KM and not f.warnings


def test_per_site_counts_agree_with_the_filter(bundle):
    counts = proximity.per_site_counts(bundle.incidents, bundle.coords, bundle.site_places, 50)
    assert list(counts["incidents"]) == sorted(counts["incidents"], reverse=True)
    for _, row in counts.head(5).iterrows():
        f = IncidentFilter().with_near(bundle.site_places[row["id"]], 50)
        assert row["incidents"] == len(f.apply(bundle.incidents))
