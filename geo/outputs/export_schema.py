"""One schema for every data export: the same columns, in the same order, with the same meaning,
in GeoJSON, CSV, GeoPackage and KML (docs/export-schema.md describes each column; a contract
test reads every format back and checks it has every column).

Each column has a kind, and each format writes a kind the way its readers expect:

| kind    | GeoJSON              | CSV                  | GeoPackage           | KML (ExtendedData) |
|---------|----------------------|----------------------|----------------------|--------------------|
| text    | string               | text                 | TEXT                 | string             |
| integer | number (1, not 1.0)  | 1                    | INTEGER              | int                |
| real    | number               | 43.1                 | REAL                 | double             |
| date    | "YYYY-MM-DD"         | YYYY-MM-DD           | DATE                 | string (and TimeSpan) |
| list    | array of strings     | "a; b"               | TEXT "a; b"          | string "a; b"      |
| json    | JSON value           | JSON text            | TEXT (JSON)          | string (JSON)      |

Empty values are null (GeoJSON), an empty cell (CSV) or NULL (GeoPackage).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from geo.evidence.vocabulary import COURT_INSTANCES, COURT_OUTCOMES


@dataclass(frozen=True)
class Column:
    name: str
    kind: str            # text | integer | real | date | list | json
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("release", "text", "public or full: what this file may be used for"),
    Column("release_note", "text", "the release in words; a full release says it contains names and must not be published"),
    Column("id", "text", "record id (stable; a public release renames an id that spells a withheld place)"),
    Column("title", "text", "one-line title"),
    Column("type", "text", "incident type code (data/README.md, Incident types)"),
    Column("type_label", "text", "incident type in words"),
    Column("date_start", "date", "first day the sources allow; empty for a date known only as on or before"),
    Column("date_end", "date", "last day the sources allow"),
    Column("date_precision", "text", "day, month, season, year or range"),
    Column("date_qualifier", "text", "on_or_before when the sources give only the latest date; else empty"),
    Column("date_as_written", "text", "the date exactly as the source writes it"),
    Column("date_label", "text", "the date as the map shows it (\"1989 or earlier\", \"Oct 2018 (month only)\")"),
    Column("date_readings", "json", "where sources disagree: every reading with its document"),
    Column("place_as_written", "text", "the place exactly as the source writes it (withheld when coarsened)"),
    Column("place_name", "text", "the place the record is located at"),
    Column("place_id", "text", "gazetteer id of that place (a federal subject or country code when coarser)"),
    Column("location_precision", "text", "exact_site, settlement, district, region or country"),
    Column("location_label", "text", "place and precision in words"),
    Column("public_precision", "text", "coarsest precision allowed in public releases, when the register sets one"),
    Column("subject_code", "text", "ISO 3166-2 code of the federal subject"),
    Column("subject_name", "text", "federal subject in words"),
    Column("country", "text", "ISO 3166-1 alpha-2 country code"),
    Column("lat", "real", "latitude, WGS 84 (empty: located only at country level, not drawn)"),
    Column("lon", "real", "longitude, WGS 84"),
    Column("wkt", "text", "the point as WKT, POINT (lon lat) (for CSV readers such as QGIS); empty when not drawn"),
    Column("coordinate_source", "text", "where the coordinate comes from (geonames:<id>, a researched point, a label point)"),
    Column("site", "text", "id of the site (court, worksite, crossing ...) where it happened"),
    Column("site_name", "text", "name of that site"),
    Column("court", "text", "court decisions: site id of the court; empty when the source names none"),
    Column("court_name", "text", "court decisions: the court's name"),
    Column("court_instance", "text", "court decisions: first_instance, appeal, cassation, supervisory or not_stated"),
    Column("court_instance_label", "text", "court decisions: the instance in words"),
    Column("court_outcome", "list", "court decisions: outcome codes"),
    Column("court_outcome_labels", "list", "court decisions: outcomes in words"),
    Column("people_affected", "integer", "lowest number of people the sources give; empty when unknown"),
    Column("people_names", "list", "SENSITIVE: personal names and pseudonyms; always empty in a public release"),
    Column("actors", "list", "actor codes (data/README.md, Actors)"),
    Column("actor_labels", "list", "actors in words"),
    Column("outcome", "text", "what happened as a result"),
    Column("related", "list", "ids of records in the same case chain"),
    Column("case", "text", "id shared by every record of one case history"),
    Column("source_docs", "list", "ids of the source documents"),
    Column("sources", "text", "every source as a line: document | locator | \"quote\""),
    Column("sources_json", "json", "every source as an object: doc, locator, quote, doc_title"),
    Column("notes", "text", "the curator's notes"),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
KINDS = {c.name: c.kind for c in COLUMNS}
LIST_SEPARATOR = "; "


def release_note(mode: str) -> str:
    if mode == "full":
        return ("FULL RELEASE - CONTAINS PERSONAL NAMES AND EXACT PLACES. For trusted partners only: "
                "do not publish, do not forward.")
    return "Public release: personal names are withheld and sensitive places coarsened to their region."


def _text(value):
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    return str(value)


def _date(value):
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def records(incidents, mode: str, site_names: dict[str, str]) -> pd.DataFrame:
    """The export table: one row per record, every column of COLUMNS, values typed by kind
    (integers as nullable Int64, dates as datetime.date, lists as lists, json as Python values)."""
    rows = []
    for record_id, row in incidents.iterrows():
        point = row.geometry
        site = _text(row.get("site"))
        outcome = list(row.get("court_outcome") or [])
        people = row.get("people_affected")
        rows.append({
            "release": mode, "release_note": release_note(mode), "id": record_id,
            "title": row["title"], "type": row["type"], "type_label": row["type_label"],
            "date_start": _date(row["date_start"]), "date_end": _date(row["date_end"]),
            "date_precision": row["date_precision"], "date_qualifier": _text(row.get("date_qualifier")),
            "date_as_written": row["date_as_written"], "date_label": row["date_label"],
            "date_readings": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
                              for r in row.get("date_readings") or []],
            "place_as_written": _text(row["place_as_written"]), "place_name": _text(row["place_name"]),
            "place_id": _text(row.get("place_id")), "location_precision": row["location_precision"],
            "location_label": _text(row.get("location_label")), "public_precision": _text(row.get("public_precision")),
            "subject_code": _text(row["subject_code"]), "subject_name": _text(row["subject_name"]),
            "country": _text(row["country"]),
            "lat": None if point is None else round(point.y, 6), "lon": None if point is None else round(point.x, 6),
            "wkt": None if point is None else point.wkt,
            "coordinate_source": _text(row["coordinate_source"]),
            "site": site, "site_name": site_names.get(site) if site else None,
            "court": _text(row.get("court")), "court_name": _text(row.get("court_name")),
            "court_instance": _text(row.get("court_instance")),
            "court_instance_label": COURT_INSTANCES.get(row.get("court_instance")) if _text(row.get("court_instance")) else None,
            "court_outcome": outcome, "court_outcome_labels": [COURT_OUTCOMES.get(o, o) for o in outcome],
            "people_affected": None if people is None or pd.isna(people) else int(people),
            "people_names": list(row.get("people_names") or []) if mode == "full" else [],
            "actors": list(row["actors"] or []), "actor_labels": list(row["actor_labels"] or []),
            "outcome": _text(row["outcome"]), "related": list(row["related"] or []), "case": _text(row["case"]),
            "source_docs": list(row["source_docs"] or []),
            "sources": "\n".join(f'{s["doc"]} | {s["locator"]} | "{s["quote"]}"' for s in row["sources"]),
            "sources_json": [dict(s) for s in row["sources"]],
            "notes": _text(row["notes"]),
        })
    table = pd.DataFrame(rows, columns=list(COLUMN_NAMES))
    table["people_affected"] = table["people_affected"].astype("Int64")
    return table


def flat(table: pd.DataFrame) -> pd.DataFrame:
    """The table with lists joined and json written as text (CSV, GeoPackage, KML)."""
    out = table.copy()
    for name, kind in KINDS.items():
        if kind == "list":
            out[name] = [LIST_SEPARATOR.join(v) if v else None for v in out[name]]
        elif kind == "json":
            out[name] = [json.dumps(v, ensure_ascii=False) if v not in (None, []) else None for v in out[name]]
    return out


def json_value(name: str, value):
    """A value as GeoJSON writes it."""
    kind = KINDS[name]
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if kind == "date":
        return value.isoformat()
    if kind == "integer":
        return int(value)
    return value
