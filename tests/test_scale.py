"""Rendering cost bounded by the screen: counts on screen add up to the records in view."""
import numpy as np
import geopandas
import pytest
from shapely.geometry import Point

from geo.view.scale import Viewport, plan


def frame(n, seed=1):
    rng = np.random.default_rng(seed)
    lon = rng.normal(133, 4, n)
    lat = rng.normal(47, 3, n)
    points = [Point(x, y) for x, y in zip(lon, lat)]
    points[:5] = [None] * 5          # country-level records
    return geopandas.GeoDataFrame({"id": [f"r{i}" for i in range(n)]}, geometry=points, crs=4326)


def in_view(f, vp):
    return sum(1 for g in f.geometry if g is not None and vp.west <= g.x <= vp.east and vp.south <= g.y <= vp.north)


@pytest.mark.parametrize("zoom", [2, 3, 4, 5, 6, 8, 10, 13])
def test_markers_plus_cell_counts_equal_the_records_in_view(zoom):
    f = frame(20_000)
    vp = Viewport.around((47, 133), zoom)
    p = plan(f, vp, limit=1500)
    assert p.shown == p.in_view == in_view(f, vp)
    assert p.not_drawn == 5
    assert len(p.markers) == 0 or len(p.cells) == 0
    assert len(p.markers) <= 1500


def test_a_dataset_under_the_limit_is_drawn_whole():
    f = frame(300)
    p = plan(f, Viewport.around((47, 133), 6), limit=1500)
    assert len(p.markers) == 295 and p.cells.empty and p.shown == p.in_view < 295


def test_a_zoomed_in_view_of_a_large_dataset_draws_only_its_markers():
    f = frame(20_000)
    p = plan(f, Viewport.around((47, 133), 11), limit=1500)
    assert p.cells.empty and len(p.markers) == p.in_view <= 1500


def test_cells_hold_their_points():
    f = frame(20_000)
    p = plan(f, Viewport.around((47, 133), 4), limit=100)
    assert ((p.cells["lon"] >= p.cells["west"] - 1e-9) & (p.cells["lon"] <= p.cells["east"] + 1e-9)).all()
    assert ((p.cells["lat"] >= p.cells["south"] - 1e-9) & (p.cells["lat"] <= p.cells["north"] + 1e-9)).all()


def test_an_empty_selection_plans_nothing():
    p = plan(frame(100).iloc[0:0], Viewport.around((47, 133), 4))
    assert p.shown == 0 and p.in_view == 0


def test_viewport_from_leaflet_bounds():
    vp = Viewport.from_leaflet({"_southWest": {"lat": 40, "lng": 120}, "_northEast": {"lat": 55, "lng": 145}}, 5)
    assert (vp.west, vp.south, vp.east, vp.north, vp.zoom) == (120, 40, 145, 55, 5)
    assert Viewport.from_leaflet(None, 5) is None


def test_the_app_on_a_large_dataset_counts_every_record_in_view(tmp_path, monkeypatch):
    import re

    from streamlit.testing.v1 import AppTest

    from geo.view.dataset import load_layer
    from geo.build.synth import synthesize, write_dataset
    from tests.test_app import APP, map_args

    write_dataset(synthesize(5000, 7, load_layer("incidents")), tmp_path, None)
    monkeypatch.setenv("INCIDENT_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    caption = next(c.value for c in at.caption if "counted in" in c.value)
    in_view = int(re.search(r"([\d,]+) incidents in view", caption).group(1).replace(",", ""))
    group = map_args(at)["feature_group"]
    cell_total = sum(int(n) for n in re.findall(r'"count": (\d+)', group))
    markers = group.count('"layer": "incidents"')
    assert markers + cell_total == in_view > 0
    # a filter that matches nothing: an empty state, nothing drawn
    at.multiselect(key="types").set_value([]).run()
    assert any("No incident matches" in i.value for i in at.info)
    assert '"count":' not in (map_args(at).get("feature_group") or "")
