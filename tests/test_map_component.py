"""The map component's fast path (ui.map_component) hands streamlit-folium's component exactly the
arguments st_folium would, for the base map prepared once and the incidents' group of each run."""
import copy
import re

import pytest
import streamlit_folium

from geo.outputs.mapview import BASE_LAYERS, FAR_EAST_CENTER, FAR_EAST_ZOOM, build_map, dynamic_group, map_data
from geo.view.dataset import load_bundle
from geo.view.scale import Viewport, plan
from ui import map_component

RANDOM_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def base(bundle):
    """The app's base map (ui.data builds it so)."""
    return build_map(map_data(bundle, bundle.incidents, served_basemap=True, with_counts=False),
                     center=FAR_EAST_CENTER, zoom=FAR_EAST_ZOOM, layers=BASE_LAYERS, legend_open=False)


def component_args(monkeypatch, call) -> dict:
    seen = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: seen.update(kwargs))
    call()
    seen.pop("on_change")
    return {k: RANDOM_ID.sub("ID", v) if isinstance(v, str) else v for k, v in seen.items()}


def group(bundle, **options):
    shown = bundle.incidents[bundle.incidents["type"].isin(["court_decision", "abduction", "death"])]
    drawn = map_data(bundle, shown, plan=plan(bundle.incidents, Viewport.around(FAR_EAST_CENTER, FAR_EAST_ZOOM),
                                              mask=bundle.incidents.index.isin(shown.index), coords=bundle.coords))
    return dynamic_group(drawn, **options)


@pytest.mark.parametrize("options", [{}, {"with_regions": True}, {"view_request": {"seq": 3, "center": [55.7, 37.6],
                                                                                    "zoom": 7}}])
def test_draw_sends_what_st_folium_sends(bundle, base, monkeypatch, options):
    prepared = map_component.prepare(base)
    expected = component_args(monkeypatch, lambda: streamlit_folium.st_folium(
        copy.deepcopy(base), feature_group_to_add=group(bundle, **options), key="map", height=600,
        use_container_width=True, returned_objects=list(map_component.REPORTED)))
    fast = component_args(monkeypatch, lambda: map_component.draw(prepared, group(bundle, **options), key="map",
                                                                  height=600))
    assert fast.keys() == expected.keys()
    for name in expected:
        assert fast[name] == expected[name], name
    assert "map_div.addLayer(feature_group_feature_group_0)" in fast["feature_group"]


def test_a_prepared_map_is_not_changed_by_drawing(bundle, base, monkeypatch):
    prepared = map_component.prepare(base)
    before = copy.deepcopy(prepared)
    for _ in range(2):
        component_args(monkeypatch, lambda: map_component.draw(prepared, group(bundle), key="map", height=600))
    assert prepared.script == before.script and prepared.js_links == before.js_links
