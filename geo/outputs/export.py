"""Outputs of a view for reports: standalone HTML, PNG/SVG, GeoJSON, CSV and GeoPackage.

The same IncidentFilter as the app selects the records; the release mode (public by default)
decides what may leave the building. Every output is written to a temporary file beside the
target and renamed into place, so a failure leaves nothing partial.
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas
import pandas as pd

from geo.view.dataset import Bundle
from geo.errors import GeoError
from geo.view.filters import IncidentFilter
from geo.outputs.html_text import esc
from geo.outputs.mapview import build_map, map_data
from geo.outputs.redaction import FULL, PUBLIC, release_bundle
from geo.evidence import sources
from geo.writing import NotAFile, existing_mode, write_atomically

FORMATS = ("html", "png", "svg", "geojson", "csv", "gpkg")
ATTRIBUTION = "Places: GeoNames (CC BY 4.0, geonames.org) · Outlines: Natural Earth (public domain)"


class ExportError(GeoError):
    """A one-line reason an export could not be written."""


@dataclass(frozen=True)
class View:
    """A filtered, release-ready selection: what every export format draws or lists."""
    bundle: Bundle
    filter: IncidentFilter
    incidents: geopandas.GeoDataFrame
    title: str

    @property
    def mode(self) -> str:
        return self.bundle.mode

    def caption_lines(self) -> list[str]:
        docs = sources.chronological(set().union(*self.incidents["source_docs"])) if len(self.incidents) else []
        not_drawn = int(self.incidents.geometry.isna().sum())
        lines = [
            f"Showing {len(self.incidents)} incident(s): "
            + self.filter.describe(self.bundle.subject_names, sources.labels())
            + (f"; {not_drawn} located only at country level are not drawn" if not_drawn else ""),
            f"Data cut-off: {sources.published_label(docs[-1])} (the latest source document in this view)" if docs else "",
            "Sources: " + "; ".join(f"{sources.label(d)} [{d}]" for d in docs),
            ATTRIBUTION,
        ]
        if self.mode == PUBLIC:
            lines.append("PUBLIC RELEASE: personal names are withheld and sensitive locations coarsened "
                         "to their region.")
        else:
            lines.append("FULL RELEASE FOR TRUSTED PARTNERS: contains personal names and exact locations. "
                         "Do not publish.")
        return lines


def make_view(bundle: Bundle, view_filter: IncidentFilter, mode: str = PUBLIC, title: str | None = None) -> View:
    if mode not in (PUBLIC, FULL):
        raise ExportError(f"unknown mode {mode!r}: use public (default) or full")
    released = release_bundle(bundle, mode)
    incidents = view_filter.apply(released.incidents)
    if incidents.empty:
        raise ExportError("the filters match no records; nothing was written")
    return View(released, view_filter, incidents,
                title or "Documented incidents: North Korean workers and refugees in Russia")


def export(view: View, fmt: str, path: Path) -> Path:
    """Write one format of the view to `path` (atomically). A full release is written readable by
    its owner only (0600): it holds names."""
    writers = {"html": _html_bytes, "geojson": _geojson_bytes, "csv": _csv_bytes, "gpkg": _gpkg_bytes}
    if fmt not in (*writers, "png", "svg"):
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path, private = Path(path), view.mode == FULL
    check_target(path)
    try:
        if fmt in ("png", "svg"):
            from geo.outputs.static_map import render_static_map
            data = map_data(view.bundle, view.incidents)
            return render_static_map(data, path, fmt, title=view.title, caption_lines=view.caption_lines(),
                                     private=private)
        if fmt == "html":
            check_html_size(view)
        write_bytes_atomically(path, writers[fmt](view), private)
        return path
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if len(view.incidents) > LARGE_EXPORT:
            release_memory()


def check_target(path: Path) -> None:
    """A one-line ExportError unless path can be written: its folder exists and is writable, and
    nothing but a regular file is there."""
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: the folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise ExportError(f"cannot write {path}: the folder {path.parent} is not writable")
    try:
        existing_mode(path)
    except NotAFile as exc:
        raise ExportError(str(exc)) from None


def write_bytes_atomically(path: Path, content: bytes, private: bool = False) -> None:
    """geo.writing's atomic write, with an OSError turned into a one-line ExportError."""
    try:
        write_atomically({path: content}, private)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    except NotAFile as exc:
        raise ExportError(str(exc)) from None


LARGE_EXPORT = 2_000   # records; below this an export's memory is too small to be worth a collection


def release_memory() -> None:
    """Hand the memory a large export used back to the system (a server stays at its usual size)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)   # glibc keeps freed arenas otherwise
    except (OSError, AttributeError):
        pass


# -- standalone HTML --------------------------------------------------------------------------
# Every drawn record carries its popup (~2 kB with sources): past this many the file runs to tens
# of megabytes and a browser takes minutes to open it or gives up (docs/benchmarks.md).
MAX_HTML_RECORDS = 20_000


def check_html_size(view: View) -> None:
    """Refuse, before building anything, an HTML map too large for a browser to open."""
    drawn = int(view.incidents.geometry.notna().sum())
    if drawn > MAX_HTML_RECORDS:
        raise ExportError(
            f"the view has {drawn:,} records on the map; an HTML map of more than {MAX_HTML_RECORDS:,} is too "
            "large for a browser to open. Narrow the filters (time window, types, regions), or export "
            "csv, geojson or gpkg for all records, or png/svg for a print map; nothing was written")


def _html_bytes(view: View) -> bytes:
    from geo.outputs.offline_assets import inline
    from geo.outputs.template_safety import LiteralHtml

    m = build_map(map_data(view.bundle, view.incidents, popups=True), asset_base_url=None, fit_to_records=True)
    caption = "".join(f"<p>{esc(line)}</p>" for line in view.caption_lines())
    stamp = "public" if view.mode == PUBLIC else "full"
    m.get_root().html.add_child(LiteralHtml(
        f'<div class="export-title">{esc(view.title)}</div>'
        f'<details class="export-caption" open data-release="{stamp}"><summary>About this map</summary>{caption}</details>'))
    m.get_root().header.add_child(LiteralHtml(EXPORT_CSS))
    m.get_root().title = esc(view.title)   # the browser tab, bookmarks, screen readers
    return inline(m).replace("<html>", '<html lang="en">', 1).encode("utf-8")


EXPORT_CSS = """<style>
.export-title{position:absolute;z-index:1001;top:10px;left:56px;right:60px;background:rgba(255,255,255,.92);
  padding:6px 12px;border-radius:6px;font:600 16px/1.3 system-ui,sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.25)}
.export-caption{position:absolute;z-index:1001;left:10px;bottom:26px;max-width:46%;max-height:40%;overflow:auto;
  background:rgba(255,255,255,.94);padding:6px 10px;border-radius:6px;font:12px/1.35 system-ui,sans-serif;
  box-shadow:0 1px 4px rgba(0,0,0,.25)}
.export-caption summary{font-weight:600;cursor:pointer}.export-caption p{margin:4px 0}
</style>"""


# -- data -------------------------------------------------------------------------------------
def _json_ready(value):
    if value is pd.NaT:                               # an "on or before" date has no start
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value != value:   # NaN
        return None
    if hasattr(value, "item"):                        # numpy scalars
        return value.item()
    return value


def _geojson_bytes(view: View) -> bytes:
    features = []
    for record_id, row in view.incidents.iterrows():
        properties = {k: _json_ready(v) for k, v in row.items() if k != "geometry"}
        geometry = None if row.geometry is None else {"type": "Point", "coordinates": [row.geometry.x, row.geometry.y]}
        features.append({"type": "Feature", "id": record_id, "geometry": geometry, "properties": properties})
    collection = {"type": "FeatureCollection", "name": "incidents", "release": view.mode,
                  "caption": view.caption_lines(), "features": features}
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def flat_records(view: View) -> pd.DataFrame:
    """One row per record with every field as text or number (CSV, GeoPackage)."""
    frame = view.incidents
    rows = []
    for record_id, row in frame.iterrows():
        point = row.geometry
        rows.append({
            "id": record_id, "title": row["title"], "type": row["type"], "type_label": row["type_label"],
            "date_start": None if pd.isna(row["date_start"]) else row["date_start"].date().isoformat(),
            "date_end": row["date_end"].date().isoformat(),
            "date_precision": row["date_precision"], "date_qualifier": row.get("date_qualifier"),
            "date_as_written": row["date_as_written"],
            "date_label": row["date_label"],
            "date_readings": "; ".join(f'{r["as_written"]} [{r["doc"]}]' for r in row["date_readings"] or []),
            "place_as_written": row["place_as_written"], "place_name": row["place_name"],
            "location_precision": row["location_precision"], "subject_code": row["subject_code"],
            "subject_name": row["subject_name"], "country": row["country"],
            "lat": None if point is None else round(point.y, 6), "lon": None if point is None else round(point.x, 6),
            "wkt": None if point is None else point.wkt,
            "coordinate_source": row["coordinate_source"],
            "court": row.get("court"), "court_name": row.get("court_name"),
            "court_instance": row.get("court_instance"), "court_outcome": "; ".join(row.get("court_outcome") or []),
            "people_affected": None if pd.isna(row["people_affected"]) else int(row["people_affected"]),
            "actors": "; ".join(row["actor_labels"] or []), "outcome": row["outcome"],
            "related": "; ".join(row["related"] or []), "case": row["case"],
            "source_docs": "; ".join(row["source_docs"]),
            "sources": "\n".join(f'{s["doc"]} | {s["locator"]} | "{s["quote"]}"' for s in row["sources"]),
            "sources_json": json.dumps(row["sources"], ensure_ascii=False),
            "notes": row["notes"],
            **({"people_names": "; ".join(row["people_names"] or [])} if view.mode == FULL else {}),
            "release": view.mode,
        })
    return pd.DataFrame(rows)


def _csv_bytes(view: View) -> bytes:
    buffer = io.StringIO()
    flat_records(view).to_csv(buffer, index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")   # the BOM makes Excel read UTF-8


def _gpkg_bytes(view: View) -> bytes:
    flat = flat_records(view).drop(columns=["wkt"])
    frame = geopandas.GeoDataFrame(flat, geometry=list(view.incidents.geometry), crs="EPSG:4326")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "incidents.gpkg"
        frame.to_file(path, driver="GPKG", layer="incidents", engine="pyogrio")
        return path.read_bytes()


MEDIA_TYPES = {"html": "text/html", "png": "image/png", "svg": "image/svg+xml", "geojson": "application/geo+json",
               "csv": "text/csv", "gpkg": "application/geopackage+sqlite3", "pdf": "application/pdf"}


def export_bytes(view: View, fmt: str) -> bytes:
    """The export as bytes (for a download button), written through the same code as files."""
    with tempfile.TemporaryDirectory() as folder:
        return export(view, fmt, Path(folder) / f"export.{fmt}").read_bytes()


def file_name(view: View, fmt: str) -> str:
    return f"incidents-{view.mode}.{fmt}"
