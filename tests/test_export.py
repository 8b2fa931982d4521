"""Every export format is produced and read back; public releases carry no personal name."""
import json
import re
import xml.etree.ElementTree as ET

import geopandas
import pandas as pd
import pytest

from geo.places.boundaries import load_subjects
from geo.view.dataset import load_bundle
from geo.outputs.export import ExportError, export, make_view
from geo.view.filters import IncidentFilter
from geo.outputs.redaction import PUBLIC_FIGURES, WITHHELD, register_names

ALL = IncidentFilter()


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def names(bundle):
    found = register_names(bundle.incidents, *bundle.sites.values())
    assert len(found) >= 10, "the register lists personal names; the scan must have something to find"
    return found


@pytest.fixture(scope="module")
def public_files(bundle, tmp_path_factory):
    folder = tmp_path_factory.mktemp("public")
    view = make_view(bundle, ALL)
    return {fmt: export(view, fmt, folder / f"incidents.{fmt}") for fmt in ("html", "geojson", "csv", "gpkg", "png", "svg")}


def _public_figures_removed(text: str) -> str:
    for figure in PUBLIC_FIGURES:
        text = re.sub(re.escape(figure), "", text, flags=re.I)
    return text


@pytest.mark.parametrize("fmt", ["html", "geojson", "csv", "gpkg", "svg"])
def test_no_personal_name_in_any_public_export(public_files, names, fmt):
    text = public_files[fmt].read_bytes().decode("utf-8", errors="ignore")
    if fmt == "gpkg":
        # Read the text a GIS shows (every layer's fields and names), not the SQLite pages, whose
        # binary index bytes can spell a short name by chance.
        import pyogrio
        layers = [name for name, _ in pyogrio.list_layers(public_files[fmt])]
        frames = [pyogrio.read_dataframe(public_files[fmt], layer=name) for name in layers]
        text = " ".join(layers + [str(v) for f in frames for v in f.drop(columns="geometry").to_numpy().ravel()])
    if fmt == "html":
        # Inlined Leaflet/jQuery code is not ours (its identifiers include "Li"): keep the page and
        # the one script folium wrote from our data; drop markup ("<li>") and style sheets.
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", text, flags=re.S)
        ours = [js for js in scripts if "geo_json_" in js]
        assert ours, "the map's data script was not found"
        text = re.sub(r"<script[^>]*>.*?</script>", " ", text, flags=re.S) + " ".join(ours)
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
        text = re.sub(r"(<|&lt;|\\u003c)/?[A-Za-z][A-Za-z0-9]*", " ", text)
    text = _public_figures_removed(text)
    hits = [n for n in names if re.search(r"(?<![A-Za-z])" + re.escape(n) + r"(?![A-Za-z])", text, re.I)]
    assert not hits, f"names in the public {fmt}: {hits}"


def test_public_export_marks_withheld_names(public_files):
    assert WITHHELD in public_files["csv"].read_text(encoding="utf-8-sig")


def test_full_export_keeps_names_and_says_so(bundle, names, tmp_path):
    path = export(make_view(bundle, ALL, "full"), "csv", tmp_path / "full.csv")
    text = path.read_text(encoding="utf-8-sig")
    assert any(n in text for n in names)
    assert set(pd.read_csv(path, encoding="utf-8-sig")["release"]) == {"full"}


def test_coarsened_points_move_to_their_region(bundle):
    view = make_view(bundle, ALL)
    subjects = load_subjects()
    sensitive = bundle.incidents[bundle.incidents["public_precision"].notna()]
    assert len(sensitive) >= 3
    renamed = view.bundle.public_ids
    for record_id, original in sensitive.iterrows():
        public = view.bundle.incidents.loc[renamed.get(record_id, record_id)]
        if original.geometry is None or original["location_precision"] in ("region", "country"):
            continue
        assert public["location_precision"] == "region"
        label = subjects[original["subject_code"]].label_point
        assert (public.geometry.x, public.geometry.y) == pytest.approx((label.x, label.y))
        km = geopandas.GeoSeries([original.geometry, public.geometry], crs=4326).to_crs(3576).distance(
            geopandas.GeoSeries([public.geometry, original.geometry], crs=4326).to_crs(3576)).iloc[0] / 1000
        assert km >= 10 or original.geometry.equals(label), f"{record_id} moved only {km:.1f} km"


def test_geojson_round_trips_through_geopandas(bundle, public_files):
    frame = geopandas.read_file(public_files["geojson"])
    assert len(frame) == len(bundle.incidents) and frame.crs.to_epsg() == 4326
    data = json.loads(public_files["geojson"].read_text(encoding="utf-8"))
    assert data["release"] == "public" and all(f["properties"]["sources"] for f in data["features"])


def test_gpkg_round_trips_with_the_same_records(bundle, public_files):
    frame = geopandas.read_file(public_files["gpkg"], layer="incidents")
    renamed = make_view(bundle, ALL).bundle.public_ids      # ids that spell a withheld place
    assert sorted(frame["id"]) == sorted(renamed.get(i, i) for i in bundle.incidents["id"])
    assert {"sources", "sources_json", "date_as_written", "location_precision"} <= set(frame.columns)


def test_csv_opens_in_excel_and_pandas(bundle, public_files):
    raw = public_files["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM so Excel reads it as UTF-8"
    frame = pd.read_csv(public_files["csv"], encoding="utf-8-sig")
    assert len(frame) == len(bundle.incidents)
    assert {"lat", "lon", "wkt", "sources"} <= set(frame.columns)
    drawn = frame.dropna(subset=["lat"])
    assert drawn["wkt"].str.startswith("POINT").all()
    # court fields and dates known only as "on or before" travel as plain text
    rows = frame.set_index("id")
    appeal = rows.loc["mem20-case4-appeal"]
    assert (appeal["court_instance"], appeal["court_outcome"]) == ("appeal", "overturned; proceedings_terminated")
    apprehended = rows.loc["ai96-case-e-apprehended-1989"]
    assert pd.isna(apprehended["date_start"]) and apprehended["date_end"] == "1989-12-31"
    assert (apprehended["date_qualifier"], apprehended["date_label"]) == ("on_or_before", "1989 or earlier")


def test_png_is_print_quality(public_files):
    from PIL import Image
    with Image.open(public_files["png"]) as image:
        assert image.width >= 2480
        assert round(image.info["dpi"][0]) >= 299


def test_svg_parses_and_has_the_caption(public_files):
    root = ET.parse(public_files["svg"]).getroot()
    text = "".join(root.itertext())
    assert "GeoNames" in text and "Natural Earth" in text


def test_html_is_self_contained_with_caption(public_files):
    html = public_files["html"].read_text(encoding="utf-8")
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', html)
    assert "PUBLIC RELEASE" in html and "GeoNames" in html and "Natural Earth" in html


@pytest.mark.parametrize("kwargs, message", [
    ({"view_filter": IncidentFilter(types=())}, "match no records"),
    ({"view_filter": ALL, "mode": "leaky"}, "unknown mode"),
])
def test_bad_requests_give_one_line_errors(bundle, kwargs, message):
    with pytest.raises(ExportError, match=message):
        make_view(bundle, **kwargs)


def test_unknown_format_and_missing_folder(bundle, tmp_path):
    view = make_view(bundle, ALL)
    with pytest.raises(ExportError, match="unknown format"):
        export(view, "docx", tmp_path / "x.docx")
    with pytest.raises(ExportError, match="does not exist"):
        export(view, "csv", tmp_path / "missing" / "x.csv")
    assert list(tmp_path.iterdir()) == []


def test_cli_export_and_its_errors(tmp_path, capsys):
    from geo.cli import main
    assert main(["export", "geojson", "--out", str(tmp_path / "c.geojson"), "--type", "court_decision",
                 "--from", "2018", "--to", "2019"]) == 0
    assert len(json.loads((tmp_path / "c.geojson").read_text())["features"]) == 16
    assert main(["export", "csv", "--out", str(tmp_path / "x.csv"), "--type", "teleportation"]) == 2
    assert "unknown type 'teleportation'" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
