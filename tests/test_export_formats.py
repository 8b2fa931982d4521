"""Exports that survive other tools: one schema in every data format, read back as GIS tools, an
office suite and Google Earth would; integers stay integers, dates are dates, boundaries follow
RFC 7946, a full release says so where a reader looks, and text stays text in a spreadsheet."""
import json
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import geopandas
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from geo.outputs.export import DATA_FORMATS, EXPORT_FORMATS, FORMATS, export, make_view
from geo.outputs.export_schema import COLUMN_NAMES, KINDS
from geo.paths import BOUNDARIES_DIR
from geo.view.dataset import load_bundle
from geo.view.filters import IncidentFilter

KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def files(bundle, tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    out = {}
    for mode in ("public", "full"):
        view = make_view(bundle, IncidentFilter(), mode, title=f"All records ({mode})")
        for fmt in DATA_FORMATS:
            out[mode, fmt] = export(view, fmt, folder / f"{mode}.{fmt}")
    return out


def _columns(path, fmt) -> list[str]:
    if fmt == "csv":
        return list(pd.read_csv(path, encoding="utf-8-sig", nrows=1).columns)
    if fmt == "geojson":
        return list(json.loads(path.read_text(encoding="utf-8"))["features"][0]["properties"])
    if fmt == "kml":
        return [f.get("name") for f in ET.parse(path).getroot().iter(KML + "SimpleField")]
    return list(pyogrio.read_info(path)["fields"])


def test_the_format_registry_is_what_the_cli_and_the_export_page_offer():
    from geo.cli import main
    assert FORMATS == ("html", "png", "svg", "pdf", "geojson", "csv", "gpkg", "kml")
    assert set(DATA_FORMATS) == {"geojson", "csv", "gpkg", "kml"}
    with pytest.raises(SystemExit):
        main(["export", "shp", "--out", "x.shp"])
    from tests.test_app import run
    at = run()
    at.switch_page("ui/pages/export.py").run()
    assert list(at.selectbox(key="export_format").options) == [f.label for f in EXPORT_FORMATS.values()]
    at.selectbox(key="export_format").set_value("kml").run()
    assert any("254 characters" in c.value for c in at.caption)


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg", "kml"])
def test_every_data_format_has_every_column_of_the_schema_in_order(files, fmt):
    for mode in ("public", "full"):
        columns = _columns(files[mode, fmt], fmt)
        assert [c for c in columns if c in COLUMN_NAMES] == list(COLUMN_NAMES), (mode, fmt)


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg", "kml"])
def test_codes_and_labels_travel_together(files, fmt):
    path = files["public", fmt]
    if fmt == "kml":
        placemark = next(p for p in ET.parse(path).getroot().iter(KML + "Placemark") if p.get("id") == "mem20-case4-appeal")
        row = {d.get("name"): d.text for d in placemark.iter(KML + "SimpleData")}
    else:
        frame = geopandas.read_file(path) if fmt != "csv" else pd.read_csv(path, encoding="utf-8-sig")
        row = frame.set_index("id").loc["mem20-case4-appeal"]
    actors = row["actors"] if fmt != "geojson" else "; ".join(row["actors"]) if isinstance(row["actors"], list) else row["actors"]
    assert "ru_court" in str(actors) and "Russian courts" in str(row["actor_labels"])
    assert row["type"] == "court_decision" and row["type_label"] == "Court decision"
    assert row["court_instance"] == "appeal" and row["court_instance_label"] == "appeal"
    assert "overturned" in str(row["court_outcome"]) and "ruling overturned" in str(row["court_outcome_labels"]).lower()


def test_integers_stay_integers(files):
    features = json.loads(files["public", "geojson"].read_text(encoding="utf-8"))["features"]
    counts = [f["properties"]["people_affected"] for f in features]
    assert all(c is None or type(c) is int for c in counts) and 1 in counts
    raw = files["public", "geojson"].read_text(encoding="utf-8")
    assert '"people_affected": 1,' in raw and '"people_affected": 1.0' not in raw
    csv = pd.read_csv(files["public", "csv"], encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert set(csv["people_affected"]) - {""} <= {str(n) for n in range(10_000)}
    columns = {c[1]: c[2] for c in sqlite3.connect(files["public", "gpkg"]).execute("pragma table_info(incidents)")}
    assert columns["people_affected"] == "INTEGER"
    stored = sqlite3.connect(files["public", "gpkg"]).execute(
        "select distinct typeof(people_affected) from incidents").fetchall()
    assert {t for (t,) in stored} <= {"integer", "null"}
    kml = ET.parse(files["public", "kml"]).getroot()
    assert next(f for f in kml.iter(KML + "SimpleField") if f.get("name") == "people_affected").get("type") == "int"
    assert all("." not in d.text for d in kml.iter(KML + "SimpleData") if d.get("name") == "people_affected")


def test_geopackage_dates_are_dates(files):
    columns = {c[1]: c[2] for c in sqlite3.connect(files["public", "gpkg"]).execute("pragma table_info(incidents)")}
    assert columns["date_start"] == columns["date_end"] == "DATE"
    types = dict(zip(pyogrio.read_info(files["public", "gpkg"])["fields"], pyogrio.read_info(files["public", "gpkg"])["ogr_types"]))
    assert types["date_start"] == types["date_end"] == "OFTDate"
    frame = geopandas.read_file(files["public", "gpkg"]).set_index("id")
    assert str(frame.loc["mem20-court-01-primorsky-krai", "date_start"])[:10] == "2018-10-05"
    assert pd.isna(frame.loc["ai96-case-e-apprehended-1989", "date_start"])       # "1989 or earlier"


def test_kml_has_names_time_spans_and_sources(bundle, files):
    root = ET.parse(files["public", "kml"]).getroot()
    placemarks = {p.get("id"): p for p in root.iter(KML + "Placemark")}
    assert len(placemarks) == len(bundle.incidents)
    appeal = placemarks["mem20-case4-appeal"]
    assert appeal.find(KML + "name").text == bundle.incidents.loc["mem20-case4-appeal", "title"]
    span = appeal.find(KML + "TimeSpan")
    assert span.find(KML + "begin").text == "2017-02-09" and span.find(KML + "end").text == "2017-02-09"
    before = placemarks["ai96-case-e-apprehended-1989"].find(KML + "TimeSpan")
    assert before.find(KML + "begin") is None and before.find(KML + "end").text == "1989-12-31"
    description = appeal.find(KML + "description").text
    assert "memorial-2020" in description and "<blockquote>" in description and "Sources" in description
    assert appeal.find(f"{KML}Point/{KML}coordinates").text.count(",") == 1
    assert root.find(f"{KML}Document/{KML}name").text == "All records (public)"
    read = pyogrio.read_dataframe(files["public", "kml"])          # GDAL's KML driver reads it back
    assert len(read) == len(bundle.incidents) and "release" in read.columns


def test_a_full_release_says_so_where_each_reader_looks(files):
    note = "FULL RELEASE - CONTAINS PERSONAL NAMES"
    first = files["full", "csv"].read_text(encoding="utf-8-sig").splitlines()
    assert first[0].startswith('"release","release_note"') and first[1].startswith('"full","' + note)
    collection = json.loads(files["full", "geojson"].read_text(encoding="utf-8"))
    assert collection["release"] == "full" and collection["release_note"].startswith(note)
    info = pyogrio.read_info(files["full", "gpkg"])
    assert info["layer_metadata"]["release"] == "full" and note in info["layer_metadata"]["DESCRIPTION"]
    contents = sqlite3.connect(files["full", "gpkg"]).execute("select description from gpkg_contents").fetchone()[0]
    assert note in contents                                         # QGIS shows the layer's description
    kml = ET.parse(files["full", "kml"]).getroot()
    assert "FULL RELEASE" in kml.find(f"{KML}Document/{KML}description").text
    assert all(note in p.find(KML + "description").text for p in kml.iter(KML + "Placemark"))
    assert 'release,release_note' not in files["public", "csv"].read_text(encoding="utf-8-sig")[:40]
    assert "Public release" in files["public", "csv"].read_text(encoding="utf-8-sig").splitlines()[1]


def test_boundary_files_are_wound_counter_clockwise():
    """RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise."""
    checked = 0
    for path in sorted(BOUNDARIES_DIR.glob("*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            for polygon in shapely.get_parts(shape(feature["geometry"])):
                if polygon.geom_type != "Polygon":
                    continue
                assert polygon.exterior.is_ccw, (path.name, feature["properties"].get("name"))
                assert not any(ring.is_ccw for ring in polygon.interiors), path.name
                checked += 1
    assert checked > 600


def test_csv_text_that_looks_like_a_date_or_number_stays_text():
    from geo.outputs.data_formats import WORD_JOINER, spreadsheet_text
    for value in ("December 1993", "Oct 2018", "5 October 2018", "1995", "1/2", "=HYPERLINK(1)"):
        guarded = spreadsheet_text(value)
        assert guarded.replace(WORD_JOINER, "") == value and guarded != value
    for value in ("in 1995", "The Khabarovsk court", "In the spring of 2013", ""):
        assert spreadsheet_text(value) == value


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (apt-get install libreoffice-calc)")
def test_libreoffice_keeps_dates_as_written_as_text(files, tmp_path):
    """Open the CSV in LibreOffice Calc with "detect special numbers" on (the setting that turns
    "December 1993" into 12/01/93) and read the cells back from the ODS it writes."""
    subprocess.run(["soffice", "--headless", "--infilter=CSV:44,34,76,1,,1033,false,true", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(files["public", "csv"])], check=True, capture_output=True, timeout=180)
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
    root = ET.fromstring(zipfile.ZipFile(tmp_path / "public.ods").read("content.xml"))
    rows = []
    for row in root.iter(f"{{{ns['table']}}}table-row"):
        cells = []
        for cell in row.findall("table:table-cell", ns):
            repeat = int(cell.get(f"{{{ns['table']}}}number-columns-repeated", "1"))
            cells += [(cell.get(f"{{{ns['office']}}}value-type"), "".join(cell.itertext()))] * min(repeat, 100)
        rows.append(cells)
    header = [text for _, text in rows[0]]
    written = header.index("date_as_written")
    kinds = {}
    for row in rows[1:]:
        if len(row) > written and row[written][1]:
            kinds[row[written][1].rstrip("\u2060")] = row[written][0]
    assert kinds["December 1993"] == "string" and kinds["in 1995"] == "string"
    assert set(kinds.values()) == {"string"}, {k: v for k, v in kinds.items() if v != "string"}
    people = header.index("people_affected")
    assert {r[people][0] for r in rows[1:] if len(r) > people and r[people][1]} == {"float"}   # numbers stay numbers


def test_the_schema_is_documented_column_by_column():
    from geo.paths import ROOT
    doc = (ROOT / "docs" / "export-schema.md").read_text(encoding="utf-8")
    for name, kind in KINDS.items():
        assert f"`{name}`" in doc and kind in doc, name
    assert "254" in doc and "Shapefile" in doc and "KML" in doc


def test_full_print_maps_and_decks_say_so_too(bundle, tmp_path):
    view = make_view(bundle, IncidentFilter(subjects=("RU-TOM",)), "full")
    svg = " ".join(ET.parse(export(view, "svg", tmp_path / "full.svg")).getroot().itertext())
    assert "FULL RELEASE FOR TRUSTED PARTNERS" in svg
    from pypdf import PdfReader
    pdf = PdfReader(export(view, "pdf", tmp_path / "full.pdf"))
    assert "FULL RELEASE FOR TRUSTED PARTNERS" in pdf.pages[0].extract_text()
