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
