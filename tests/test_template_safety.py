"""Template injection: branca/folium evaluate what they render as Jinja, so no user or register text
may ever become template source (geo/outputs/template_safety.py).

- the source is scanned: every Element/Html/Popup/Tooltip/IFrame/Template/MacroElement our code
  builds, and every popup=/tooltip= it hands folium, is a string literal;
- template syntax in the export title and in every text field of a record and a site comes out
  literally in every format (html, png, svg, geojson, csv, gpkg, briefing html and pdf), in the
  app's page and map, and is never evaluated (no `49`, no command run).
"""
import ast
import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas
import pandas as pd
import pytest

from geo.build.layers import LAYER_NAMES, layer_path
from geo.outputs.template_safety import TemplateTextError, check_inert

ROOT = Path(__file__).resolve().parent.parent
SCANNED = [p for folder in ("geo", "layers", "ui", "scripts", "bench") for p in sorted((ROOT / folder).rglob("*.py"))]
SCANNED += [ROOT / "app.py"]
# Names whose first argument (or template=/html=/text= keyword) is template source for branca/jinja.
TEMPLATE_SOURCES = {"Element", "Html", "Popup", "Tooltip", "IFrame", "Template", "MacroElement", "Figure",
                    "from_string"}
LIBRARIES = ("branca", "folium", "jinja2")


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> what it was imported as (module path plus name)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _qualified(func: ast.expr, imports: dict[str, str]) -> str | None:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return ".".join(reversed(parts)) if parts else None   # e.g. env().from_string
    base = imports.get(func.id, func.id)
    return ".".join([base, *reversed(parts)])


def _literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
        return True
    except ValueError:
        return False


def template_source_problems(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    imports = _imports(tree)
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _qualified(node.func, imports) or ""
        last = name.rsplit(".", 1)[-1]
        ours = name.startswith(LIBRARIES) or last == "from_string"
        where = f"{path.relative_to(root)}:{node.lineno}"
        if ours and last in TEMPLATE_SOURCES:
            sources = node.args[:1] + [k.value for k in node.keywords if k.arg in ("template", "html", "text", "data")]
            for arg in sources:
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    problems.append(f"{where}: {name}() built from non-literal text ({ast.unparse(arg)[:60]})")
        if name.startswith("folium"):
            for keyword in node.keywords:
                if keyword.arg in ("popup", "tooltip") and not _literal(keyword.value):
                    value = keyword.value
                    helper = isinstance(value, ast.Call) and (_qualified(value.func, imports) or "").endswith(
                        ("GeoJsonTooltip", "GeoJsonPopup"))
                    if not (helper and all(_literal(a) for a in [*value.args, *(k.value for k in value.keywords)])):
                        problems.append(f"{where}: {keyword.arg}= is not literal text ({ast.unparse(value)[:60]})")
    return problems


def test_the_scan_finds_template_source_built_from_text(tmp_path):
    (tmp_path / "bad.py").write_text(
        "import folium\nfrom branca.element import Element\nfrom jinja2 import Template\n"
        "def f(t, m):\n    m.add_child(Element(f'<b>{t}</b>'))\n    Template(t)\n"
        "    folium.Marker((0, 0), popup=t, tooltip=folium.Tooltip(t))\n    folium.Html(t)\n"
        "    Element('<b>constant</b>')\n", encoding="utf-8")
    problems = template_source_problems(tmp_path / "bad.py", tmp_path)
    # the f-string Element, Template(t), popup=t, tooltip=Tooltip(t) and Tooltip(t) itself, Html(t)
    assert len(problems) == 6, problems


def test_no_code_passes_text_to_branca_or_jinja_as_template_source():
    assert len(SCANNED) > 30
    problems = [p for path in SCANNED for p in template_source_problems(path)]
    assert not problems, "\n".join(problems)


# -- text with template syntax, through every output -------------------------------------------
EVALUATING = "{{7*7}} {{ 'inj' ~ 'ected' }} {{ lipsum.__globals__.os.popen('touch MARKER').read() }}"
BREAKING = "{% x {# y %} #} {{"
PAYLOADS = {"evaluating": EVALUATING, "breaking": BREAKING}
INCIDENT, SITE = "mem20-court-13-tomsk", "court-tomsk-leninsky"
INCIDENT_TEXT = ("title", "type_label", "date_as_written", "date_label", "place_as_written", "place_name",
                 "location_label", "subject_name", "coordinate_source", "court_name", "outcome", "notes")
SITE_TEXT = ("name", "kind_label", "place_as_written", "place_name", "location_label", "subject_name", "notes",
             "period_label", "period_as_written")


def _hostile(props: dict, payload: str, fields) -> None:
    for key in fields:
        props[key] = payload
    props["people_names"] = [payload + " Person"]
    for source in props["sources"]:
        source.update(locator=payload, quote=payload, doc_title=payload)


@pytest.fixture(scope="module", params=sorted(PAYLOADS))
def hostile(request, tmp_path_factory):
    """(payload, marker file, data dir): the real layers with the payload in every text field of one
    record and one site; the payload's command would create the marker file."""
    folder = tmp_path_factory.mktemp(f"hostile-{request.param}")
    marker = folder / "pwned"
    payload = PAYLOADS[request.param].replace("MARKER", str(marker))
    for name in LAYER_NAMES:
        shutil.copy(layer_path(name), folder / f"{name}.geojson")
    for layer, record_id, fields in (("incidents", INCIDENT, INCIDENT_TEXT), ("courts", SITE, SITE_TEXT)):
        path = folder / f"{layer}.geojson"
        data = json.loads(path.read_text(encoding="utf-8"))
        feature = next(f for f in data["features"] if f["id"] == record_id)
        _hostile(feature["properties"], payload, fields)
        if layer == "incidents":
            feature["properties"]["actor_labels"] = [payload]
            feature["properties"]["date_readings"] = [{"as_written": payload, "start": "2019-05-15",
                                                       "end": "2019-05-15", "doc": "memorial-2020"}]
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return payload, marker, folder


@pytest.fixture(scope="module")
def exported(hostile, tmp_path_factory):
    from geo.outputs.export import export, make_view
    from geo.view.dataset import load_bundle
    from geo.view.filters import IncidentFilter

    payload, marker, folder = hostile
    bundle = load_bundle(folder)
    out = tmp_path_factory.mktemp("exports")
    files = {}
    for mode in ("public", "full"):
        view = make_view(bundle, IncidentFilter(subjects=("RU-TOM",)), mode, title="Title " + payload)
        for fmt in ("html", "png", "svg", "geojson", "csv", "gpkg") if mode == "full" else ("html", "geojson"):
            files[mode, fmt] = export(view, fmt, out / f"{mode}.{fmt}")
    return payload, marker, bundle, files


def _page_text(document: str) -> str:
    """What a browser would show of the document's markup and of the HTML inside its scripts' strings."""
    return html.unescape(document.replace("\\u0026", "&").replace("\\u0027", "'").replace('\\"', '"'))


@pytest.mark.parametrize("mode", ["public", "full"])
def test_html_export_shows_the_text_literally(exported, mode):
    payload, marker, _, files = exported
    document = files[mode, "html"].read_text(encoding="utf-8")
    title = re.search(r'<h1 class="export-title[^"]*">(.*?)</h1>', document).group(1)
    assert html.unescape(title) == "Title " + payload
    shown = _page_text(document)
    assert shown.count(payload) >= len(INCIDENT_TEXT) + len(SITE_TEXT), "the payload is not shown as written"
    assert "injected" not in shown and not marker.exists()


@pytest.mark.parametrize("mode", ["full"])    # print maps draw the same text in both modes
def test_print_maps_show_the_text_literally(exported, mode):
    from PIL import Image

    payload, marker, _, files = exported
    with Image.open(files[mode, "png"]) as image:
        assert image.info["Title"] == "Title " + payload
    svg = " ".join(ET.parse(files[mode, "svg"]).getroot().itertext())
    assert payload in " ".join(svg.split()), "the title is not drawn as written"
    assert not marker.exists()


def test_data_exports_keep_every_text_field_literally(exported):
    payload, marker, _, files = exported
    feature = next(f for f in json.loads(files["full", "geojson"].read_text(encoding="utf-8"))["features"]
                   if f["id"] == INCIDENT)
    for key in INCIDENT_TEXT:
        assert feature["properties"][key] == payload, key
    assert feature["properties"]["people_names"] == [payload + " Person"]
    assert feature["properties"]["sources_json"][0]["quote"] == payload
    for fmt, read in (("csv", lambda p: pd.read_csv(p, encoding="utf-8-sig")),
                      ("gpkg", lambda p: geopandas.read_file(p, layer="incidents"))):
        row = read(files["full", fmt]).set_index("id").loc[INCIDENT]
        assert row["title"] == payload and row["outcome"] == payload and payload in row["sources"], fmt
        assert row["people_names"] == payload + " Person"
    public = json.loads(files["public", "geojson"].read_text(encoding="utf-8"))
    assert any(f["properties"]["title"] == payload for f in public["features"])
    assert not marker.exists()


def _pdf_text(content: bytes) -> str:
    """The text a PDF reader gets out of every page (pypdf)."""
    import io

    from pypdf import PdfReader
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_briefing_decks_show_the_text_literally(exported, tmp_path, fmt):
    from geo.outputs.briefing_export import export_briefing
    from geo.outputs.briefings import load_briefing

    payload, marker, bundle, _ = exported
    path = tmp_path / "hostile.yaml"
    path.write_text(json.dumps({
        "id": "hostile", "title": "T " + payload, "summary": "S " + payload,
        "steps": [{"heading": "H " + payload, "text": "X " + payload, "filters": {"subject": "RU-TOM"},
                   "view": {"center": [56.5, 85.0], "zoom": 6}, "highlight": [INCIDENT]}]}), encoding="utf-8")
    briefing = load_briefing(path, bundle)
    deck = export_briefing(bundle, briefing, fmt, tmp_path / f"deck.{fmt}", mode="full")
    if fmt == "html":
        shown = html.unescape(deck.read_text(encoding="utf-8"))
        for prefix in ("T ", "S ", "H ", "X "):
            assert prefix + payload in shown
        assert "injected" not in shown
    else:
        shown = re.sub(r"\s+", "", _pdf_text(deck.read_bytes()))     # lines wrap at spaces
        compact = payload.replace(" ", "")
        assert ("T" + compact) in shown and ("X" + compact) in shown
        assert "injected" not in shown
    assert not marker.exists()


def test_the_app_shows_the_text_literally(hostile, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP, map_code

    payload, marker, folder = hostile
    monkeypatch.setenv("INCIDENT_DATA_DIR", str(folder))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"subject": "RU-TOM", "rec": INCIDENT})
    at.run()
    assert not at.exception and not at.error
    shown = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert payload in shown
    code = _page_text(map_code(at))
    assert payload in code and "injected" not in code
    assert not marker.exists()


def test_unescaped_text_in_a_map_is_refused_before_rendering():
    import folium

    m = folium.Map(tiles=None)
    folium.GeoJson({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "tooltip_html": "{{ 7*7 }}"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}).add_to(m)
    with pytest.raises(TemplateTextError, match="template syntax"):
        check_inert(m)


def test_the_cli_title_is_not_evaluated(tmp_path):
    from geo.cli import main

    marker = tmp_path / "pwned"
    title = EVALUATING.replace("MARKER", str(marker)) + " " + BREAKING
    assert main(["export", "html", "--out", str(tmp_path / "t.html"), "--subject", "RU-TOM", "--title", title]) == 0
    document = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert html.unescape(re.search(r'<h1 class="export-title[^"]*">(.*?)</h1>', document).group(1)) == title
    assert not marker.exists()
