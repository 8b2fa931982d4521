"""The data exports, written from one table (geo.outputs.export_schema): GeoJSON, CSV, GeoPackage
and KML. Each carries the release (public or full) in a place its readers show: a first column
(CSV, GeoPackage, KML fields), a member of the collection (GeoJSON), the layer's description and
metadata (GeoPackage), the document's name and description (KML)."""
from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas

from geo.outputs.export_schema import COLUMN_NAMES, KINDS, flat, json_value, records, release_note
from geo.language import _
from geo.outputs.html_text import esc


def export_table(view):
    return records(view.incidents, view.mode, view.site_names())


def geojson_bytes(view) -> bytes:
    """RFC 7946: WGS 84 longitude/latitude, no crs member; the release and caption as foreign members."""
    table = export_table(view)
    features = []
    for (_, row), point in zip(table.iterrows(), view.incidents.geometry):
        geometry = None if point is None else {"type": "Point", "coordinates": [point.x, point.y]}
        properties = {name: json_value(name, row[name]) for name in COLUMN_NAMES}
        features.append({"type": "Feature", "id": row["id"], "geometry": geometry, "properties": properties})
    collection = {"type": "FeatureCollection", "name": view.title, "release": view.mode,
                  "release_note": release_note(view.mode), "caption": view.caption_lines(), "features": features}
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# Text a spreadsheet would turn into a date, a number or a formula ("December 1993", "1/2",
# "=..."): an invisible word joiner (U+2060) keeps it text in LibreOffice and Excel alike.
WORD_JOINER = "\u2060"
_NUMBER_LIKE = re.compile(r"[\s\d.,:/%+\-–()]+")


def spreadsheet_text(value):
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "=+-@\t\r":
        return WORD_JOINER + value
    if any(c.isdigit() for c in value) and (_NUMBER_LIKE.fullmatch(value) or _reads_as_date(value)):
        return value + WORD_JOINER
    return value


def _reads_as_date(value: str) -> bool:
    if len(value) > 40:
        return False
    from dateutil import parser
    try:
        parser.parse(value, fuzzy=False)
        return True
    except (ValueError, OverflowError, TypeError):
        return False


def csv_bytes(view) -> bytes:
    """UTF-8 with a BOM (Excel then reads it as UTF-8), CRLF, every text quoted; the release is the
    first column, so a spreadsheet shows it in column A."""
    table = flat(export_table(view))
    for name, kind in KINDS.items():
        if kind in ("text", "list", "json"):
            table[name] = table[name].map(spreadsheet_text)
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def gpkg_bytes(view) -> bytes:
    """Layer `incidents`: integers as INTEGER, dates as DATE (written through Arrow), the release in
    the layer's description and metadata as well as in its first columns."""
    table = flat(export_table(view))
    frame = geopandas.GeoDataFrame(table, geometry=list(view.incidents.geometry), crs="EPSG:4326")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "incidents.gpkg"
        frame.to_file(path, driver="GPKG", layer="incidents", engine="pyogrio", use_arrow=True,
                      layer_options={"DESCRIPTION": f"{view.title}. {release_note(view.mode)}"},
                      metadata={"release": view.mode, "release_note": release_note(view.mode), "title": view.title})
        return path.read_bytes()


KML_NS = "http://www.opengis.net/kml/2.2"
_KML_TYPES = {"integer": "int", "real": "double"}


def kml_bytes(view) -> bytes:
    """KML 2.2 for Google Earth and the like: a placemark per record named by its title, with a
    TimeSpan (begin/end; an "on or before" date has only an end), a description with the date,
    place and every source quoted, a colour per incident type, and every column as ExtendedData
    (typed by a Schema). Records known only at country level have no point."""
    from layers.incidents import TYPE_COLOURS

    ET.register_namespace("", KML_NS)
    q = lambda tag: f"{{{KML_NS}}}{tag}"       # noqa: E731 - a qualified KML tag
    table = export_table(view)
    kml = ET.Element(q("kml"))
    document = ET.SubElement(kml, q("Document"), id="incidents")
    ET.SubElement(document, q("name")).text = view.title
    ET.SubElement(document, q("description")).text = "\n".join(view.caption_lines())
    for key, colour in TYPE_COLOURS.items():
        style = ET.SubElement(document, q("Style"), id=f"type-{key}")
        icon = ET.SubElement(style, q("IconStyle"))
        ET.SubElement(icon, q("color")).text = "ff" + colour[5:7] + colour[3:5] + colour[1:3]   # aabbggrr
        ET.SubElement(icon, q("scale")).text = "0.9"
    schema = ET.SubElement(document, q("Schema"), name="incidents", id="incidents-schema")
    for name in COLUMN_NAMES:
        ET.SubElement(schema, q("SimpleField"), name=name, type=_KML_TYPES.get(KINDS[name], "string"))
    folder = ET.SubElement(document, q("Folder"))
    ET.SubElement(folder, q("name")).text = f"Incidents ({view.mode} release)"
    for (_, row), flat_row, point in zip(table.iterrows(), flat(table).itertuples(index=False), view.incidents.geometry):
        placemark = ET.SubElement(folder, q("Placemark"), id=row["id"])
        ET.SubElement(placemark, q("name")).text = row["title"]
        ET.SubElement(placemark, q("description")).text = _kml_description(row)
        span = ET.SubElement(placemark, q("TimeSpan"))
        if row["date_start"] is not None:
            ET.SubElement(span, q("begin")).text = row["date_start"].isoformat()
        ET.SubElement(span, q("end")).text = row["date_end"].isoformat()
        ET.SubElement(placemark, q("styleUrl")).text = f"#type-{row['type']}"
        data = ET.SubElement(ET.SubElement(placemark, q("ExtendedData")), q("SchemaData"), schemaUrl="#incidents-schema")
        for name, value in zip(COLUMN_NAMES, flat_row):
            if value is not None and not (isinstance(value, float) and value != value) and str(value) != "<NA>":
                ET.SubElement(data, q("SimpleData"), name=name).text = value.isoformat() if hasattr(
                    value, "isoformat") else str(value)
        if point is not None:
            ET.SubElement(ET.SubElement(placemark, q("Point")), q("coordinates")).text = f"{point.x:.6f},{point.y:.6f}"
    ET.indent(kml, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(kml, encoding="utf-8") + b"\n"


def _kml_description(row) -> str:
    """HTML (KML viewers render descriptions as HTML): every value escaped."""
    facts = [(_("Type"), row["type_label"]),
             (_("Date"), _("{date} (as written: “{written}”)").format(date=row["date_label"], written=row["date_as_written"])),
             (_("Place"), row["location_label"]), (_("People affected"), row["people_affected"]),
             (_("Actors"), "; ".join(row["actor_labels"])), (_("Outcome"), row["outcome"]), (_("Record"), row["id"]),
             (_("Release"), row["release_note"])]
    lines = [f"<b>{esc(label)}:</b> {esc(value)}<br>" for label, value in facts
             if value is not None and str(value) not in ("", "<NA>")]
    quotes = "".join(f'<li>{esc(s.get("doc_title") or s["doc"])} [{esc(s["doc"])}], {esc(s["locator"])}'
                     f'<blockquote>“{esc(s["quote"])}”</blockquote></li>' for s in row["sources_json"])
    return "".join(lines) + "<b>" + esc(_("Sources")) + f"</b><ol>{quotes}</ol>"
