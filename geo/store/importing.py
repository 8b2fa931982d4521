"""From the file register to store rows, and from store rows back to register files.

`register_rows` checks the register exactly as `python -m geo build` does (nothing is imported
from a register with problems), resolves every place, builds every record's map feature, and takes
every file apart with geo.store.layout so that `export_files` gives the files back byte for byte.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.build.layers import check_register, layer_features
from geo.errors import RegisterError
from geo.evidence import sources as source_texts
from geo.evidence.register import load_register
from geo.paths import GAZETTEER_CSV, REGISTER_DIR, SOURCES_DIR
from geo.places.gazetteer import Gazetteer
from geo.store.base import SourceDocument, StoreError
from geo.store.layout import RegisterFile, parse_register_file, render_register_file
from geo.writing import write_atomically


@dataclass
class RecordRow:
    """One record as the store keeps it: the register document and layout, and the built feature."""
    id: str
    kind: str                     # incident | site
    file: str
    position: int
    comments_before: str
    doc: dict
    layout: dict
    properties: dict              # the built feature's properties (geo.build.layers)
    lon: float | None
    lat: float | None

    def columns(self) -> dict:
        """The typed columns the store extracts for its queries."""
        p = self.properties
        return {
            "title": p.get("title") or p.get("name"),
            "type": p.get("type") or p.get("kind"),
            "layer": p.get("layer") or "incidents",
            "date_start": p.get("date_start") or p.get("period_start"),
            "date_end": p.get("date_end") or p.get("period_end"),
            "date_precision": p.get("date_precision"),
            "subject": p.get("subject_code"),
            "country": p.get("country"),
            "location_precision": p.get("location_precision"),
            "actors": list(p.get("actors") or []),
            "source_docs": list(p.get("source_docs") or []),
            "related": list(self.doc.get("related") or []),
            "site": p.get("site"),
        }


def feature_row(kind: str, file: str, position: int, comments_before: str, doc: dict, layout: dict,
                feature: dict) -> RecordRow:
    geometry = feature.get("geometry")
    lon, lat = geometry["coordinates"] if geometry else (None, None)
    return RecordRow(doc["id"], kind, file, position, comments_before, doc, layout, feature["properties"], lon, lat)


def register_rows(register_dir: Path = REGISTER_DIR, gazetteer_csv: Path = GAZETTEER_CSV,
                  sources_dir: Path = SOURCES_DIR) -> tuple[list[RegisterFile], list[RecordRow]]:
    register = load_register(register_dir)
    checked = check_register(register, Gazetteer.load(gazetteer_csv), sources_dir, gazetteer_csv.name)
    if checked.problems:
        raise RegisterError(checked.problems)
    features = {f["id"]: f for layer in layer_features(register, checked.resolved, checked.titles).values()
                for f in layer}
    files, rows = [], []
    for path in sorted(register_dir.glob("*.yaml")):
        register_file = parse_register_file(path.name, path.read_text(encoding="utf-8"))
        kind = "site" if path.name.startswith("sites") else "incident"
        for position, record in enumerate(register_file.records):
            rows.append(feature_row(kind, path.name, position, record.comments_before, record.doc, record.layout,
                                    features[record.doc["id"]]))
        files.append(register_file)
    missing = set(features) - {row.id for row in rows}
    if missing:   # the two readers disagree: a YAML construct one of them reads differently
        raise StoreError(f"records {', '.join(sorted(missing))} were read by the register but not by the "
                         "layout reader; write them as plain `- id: ...` list items")
    return files, rows


def source_documents(sources_dir: Path = SOURCES_DIR) -> list[SourceDocument]:
    """The cited documents from the source catalogue (data/sources/sources.yaml), with the sha256 of
    the original and of the text the quotes are checked against."""
    return [SourceDocument(d.id, d.title, d.text_file, d.original_sha256 or None, d.text_sha256 or None, d.as_dict())
            for d in source_texts.catalogue(sources_dir).values()]


def export_files(files: list[RegisterFile], out_dir: Path) -> list[Path]:
    """Write register files (atomically, all or none) into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    contents = {out_dir / f.name: render_register_file(f) for f in files}
    write_atomically(contents)
    return sorted(contents)


# -- built datasets (e.g. `python -m geo synth`) -------------------------------------------------
def dataset_rows(frame, file: str, chunk: int = 20_000):
    """Store rows for a built incidents layer (a GeoDataFrame as geo.view.dataset.load_layer gives),
    streamed in chunks. The register document is rebuilt from the feature's properties."""
    import numpy as np
    import pandas as pd
    columns = [c for c in frame.columns if c != "geometry"]
    for offset in range(0, len(frame), chunk):
        part = frame.iloc[offset:offset + chunk]
        lon, lat = part.geometry.x.to_numpy(), part.geometry.y.to_numpy()   # NaN where there is no point
        table = {c: part[c].dt.strftime("%Y-%m-%d").to_numpy(dtype=object) if pd.api.types.is_datetime64_any_dtype(part[c])
                 else part[c].to_numpy(dtype=object) for c in columns}
        for i in range(len(part)):
            properties = {c: _plain(table[c][i]) for c in columns}
            has_point = not np.isnan(lon[i])
            yield RecordRow(properties["id"], "incident", file, offset + i, "", _document(properties), {}, properties,
                            float(lon[i]) if has_point else None, float(lat[i]) if has_point else None)


def _plain(value):
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict)):
        return value.item()
    return value


def _document(p: dict) -> dict:
    """A register document for a built incident feature (what `store export` writes for it)."""
    place = {"as_written": p["place_as_written"], "name": p["place_name"], "subject": p.get("subject_code"),
             "country": p["country"], "precision": p["location_precision"]}
    doc = {"id": p["id"], "title": p["title"], "type": p["type"],
           "date": {"as_written": p["date_as_written"], "start": p["date_start"], "end": p["date_end"],
                    "precision": p["date_precision"]},
           "place": {k: v for k, v in place.items() if v is not None},
           "people_affected": None if p.get("people_affected") is None else int(p["people_affected"]),
           "actors": p.get("actors") or [], "outcome": p.get("outcome"),
           "sources": [{k: s[k] for k in ("doc", "locator", "quote")} for s in p.get("sources") or []],
           "notes": p.get("notes")}
    return {k: v for k, v in doc.items() if v not in (None, [])}
