"""Every layer honours the layer contract; geo/ and layers/ never import streamlit."""
import ast
from pathlib import Path

import folium
import pytest

from geo.view.dataset import load_bundle
from geo.outputs.html_text import esc
from geo.outputs.mapview import build_map, map_data
from layers import LAYERS
from layers.base import LegendEntry

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data():
    bundle = load_bundle()
    return map_data(bundle, bundle.incidents)


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.name)
def test_layer_contract(layer, data):
    assert layer.name and layer.title and isinstance(layer.show, bool)
    m = folium.Map(tiles=None)
    layer.add_to(m, data)
    assert m._children, f"{layer.name} added nothing to the map"
    legend = layer.legend(data)
    assert isinstance(legend, list) and all(isinstance(e, LegendEntry) for e in legend)


def test_layer_names_are_unique():
    names = [layer.name for layer in LAYERS]
    assert len(names) == len(set(names))


def test_map_renders_with_local_assets_only(data):
    html = build_map(data).get_root().render()
    assert 'src="https://' not in html and 'href="https://' not in html
    assert "/app/static/vendor/leaflet/dist/leaflet.js" in html


def test_record_text_is_escaped_for_html_and_template_literals():
    assert esc('<img src=x onerror="a()"> `${x}` \\') == \
        "&lt;img src=x onerror=&quot;a()&quot;&gt; &#96;&#36;&#123;x&#125;&#96; &#92;"
    assert esc("{{ 7*7 }} {% x %} {# c #} 5%") == \
        "&#123;&#123; 7*7 &#125;&#125; &#123;&#37; x &#37;&#125; &#123;&#35; c &#35;&#125; 5&#37;"


@pytest.mark.parametrize("path", sorted([*ROOT.glob("geo/**/*.py"), *ROOT.glob("layers/*.py")]),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_domain_modules_do_not_import_streamlit(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert "streamlit" not in imported and "streamlit_folium" not in imported


def test_every_incident_type_has_its_own_shape_and_a_colour_with_3_to_1_contrast():
    from geo.evidence.vocabulary import INCIDENT_TYPES
    from layers.symbols import SHAPES, SURFACES, TYPE_COLOURS, TYPE_SHAPES, contrast
    assert set(TYPE_COLOURS) == set(TYPE_SHAPES) == set(INCIDENT_TYPES)
    assert len(set(TYPE_SHAPES.values())) == len(TYPE_SHAPES), "two types share a shape"
    assert len(set(TYPE_COLOURS.values())) == len(TYPE_COLOURS), "two types share a colour"
    assert set(TYPE_SHAPES.values()) <= set(SHAPES)
    low = [(kind, surface, round(contrast(colour, bg), 2)) for kind, colour in TYPE_COLOURS.items()
           for surface, bg in SURFACES.items() if contrast(colour, bg) < 3]
    assert not low, low


def test_the_surfaces_checked_are_the_basemap_colours():
    import inspect

    from layers import basemap
    from layers.symbols import SURFACES
    source = inspect.getsource(basemap)
    assert SURFACES["sea"] == basemap.SEA
    assert SURFACES["Russia"] in source and SURFACES["other countries"] in source


def test_incident_markers_are_labelled_and_the_legend_shows_the_shapes(data):
    from geo.outputs.mapview import legend_html
    from layers.incidents import LAYER, marker_label
    html = build_map(data).get_root().render()
    record = data.incidents[data.incidents.geometry.notna()].iloc[0]
    assert marker_label(record).startswith(f'{record["type_label"]}, {record["date_label"]}, {record["place_name"]}')
    assert '"label": ' in html and "aria-label" in html
    legend = legend_html(data)
    types = [e for e in LAYER.legend(data) if e.label in set(data.incidents["type_label"])]
    assert types and all("<img" in e.swatch_html for e in types)
    assert legend.count("data:image/svg+xml") >= len(types)
