"""Outputs of a view for reports: standalone HTML, PNG/SVG print maps, and the data as GeoJSON,
CSV, GeoPackage and KML (one schema: geo.outputs.export_schema).

The same IncidentFilter as the app selects the records; the release mode (public by default)
decides what may leave the building. Every format is declared once in EXPORT_FORMATS, which the
command line, the app's Export page and the tests read. Every output is written to a temporary
file beside the target and renamed into place, so a failure leaves nothing partial.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas

from geo.view.dataset import Bundle
from geo.errors import GeoError
from geo.view.filters import IncidentFilter
from geo.outputs.mapview import map_data
from geo.outputs.redaction import FULL, PUBLIC, release_bundle
from geo.evidence import sources
from geo.language import N_, _, ngettext, number
from geo.language.localize import localize_bundle
from geo.writing import NotAFile, existing_mode, write_atomically

ATTRIBUTION = N_("Places: GeoNames (CC BY 4.0, geonames.org) · Outlines: Natural Earth (public domain)")


class ExportError(GeoError):
    """A one-line reason an export could not be written."""


@dataclass(frozen=True)
class View:
    """A filtered, release-ready selection: what every export format draws or lists."""
    bundle: Bundle
    filter: IncidentFilter
    incidents: geopandas.GeoDataFrame
    title: str
    sites: dict[str, geopandas.GeoDataFrame] = field(default_factory=dict)   # the sites this export carries
    routes: bool = False   # draw the case routes (HTML and print maps)

    def case_routes(self) -> list:
        """The routes of the cases among the view's records (geo.view.routes), when asked for."""
        if not self.routes:
            return []
        from geo.view.routes import routes
        return routes(self.bundle.incidents, self.bundle.incidents.index.isin(self.incidents.index), limit=None)[0]

    @property
    def mode(self) -> str:
        return self.bundle.mode

    def site_names(self) -> dict[str, str]:
        return {i: n for frame in self.bundle.sites.values() for i, n in zip(frame["id"], frame["name"])}

    def map_data(self, **kwargs):
        """What the map formats draw: the view's records and the sites that go with them."""
        from dataclasses import replace
        return map_data(replace(self.bundle, sites=self.sites), self.incidents, **kwargs)

    def caption_lines(self) -> list[str]:
        docs = sources.chronological(set().union(*self.incidents["source_docs"])) if len(self.incidents) else []
        not_drawn = int(self.incidents.geometry.isna().sum())
        n = len(self.incidents)
        lines = [
            ngettext("Showing {n} incident: {view}", "Showing {n} incidents: {view}", n).format(
                n=number(n), view=self.filter.describe(self.bundle.subject_names, sources.labels()))
            + ("; " + ngettext("{n} located only at country level is not drawn",
                               "{n} located only at country level are not drawn", not_drawn).format(n=number(not_drawn))
               if not_drawn else ""),
            _("Data cut-off: {date} (the latest source document in this view)").format(
                date=sources.published_label(docs[-1])) if docs else "",
            _("Sources: {documents}").format(documents="; ".join(f"{sources.label(d)} [{d}]" for d in docs)),
            _(ATTRIBUTION),
        ]
        drawn_routes = self.case_routes()
        if drawn_routes:
            lines.insert(1, "Case routes: {n} case(s), each case's records joined in date order (arrows point "
                            "onwards; dotted legs end at a place known only to its district or region)".format(
                                n=len(drawn_routes)))
        if self.mode == PUBLIC:
            lines.append(_("PUBLIC RELEASE: personal names are withheld and sensitive locations coarsened "
                           "to their region."))
        else:
            lines.append(_("FULL RELEASE FOR TRUSTED PARTNERS: contains personal names and exact locations. "
                           "Do not publish."))
        return lines


DEFAULT_TITLE = N_("Documented incidents: North Korean workers and refugees in Russia")


def make_view(bundle: Bundle, view_filter: IncidentFilter, mode: str = PUBLIC, title: str | None = None,
              routes: bool = False) -> View:
    """The records the filter keeps, released in `mode`, labelled in the active language (release
    first, then translate: geo.language.localize). A public release redacts the title as well (a
    name, or a place only a coarsened record names, is withheld there too). A distance filter is
    measured from the site as the release places it."""
    if mode not in (PUBLIC, FULL):
        raise ExportError(f"unknown mode {mode!r}: use public (default) or full")
    released = localize_bundle(release_bundle(bundle, mode))
    if view_filter.near is not None:   # measured from the site as this release places it
        place = released.site_places.get(view_filter.near)
        if place is None:
            raise ExportError(
                "the site {site} has no precise place in a {mode} release (its location is coarsened), so no "
                "distance can be measured from it; remove the distance filter or choose another site; nothing "
                "was written".format(site=view_filter.near, mode=mode))
        view_filter = view_filter.with_near(place, view_filter.within_km)
    incidents = view_filter.apply(released.incidents)
    if incidents.empty:
        raise ExportError("the filters match no records; nothing was written")
    title = (title or "").strip() or _(DEFAULT_TITLE)
    if released.redactor is not None:
        title = released.redactor.text(title)
    return View(released, view_filter, incidents, title, view_sites(released, incidents), routes)


def view_sites(bundle: Bundle, incidents) -> dict[str, geopandas.GeoDataFrame]:
    """The sites an export carries: those its records took place at (place.site, a court). An
    export of every record also carries the sites no record refers to (context such as the
    logging camps of the 1990s). A public release has already withheld the sites that would
    reveal a coarsened place (geo.outputs.public_places)."""
    if len(incidents) == len(bundle.incidents):
        return dict(bundle.sites)
    referenced = {v for column in ("site", "court") if column in incidents
                  for v in incidents[column] if isinstance(v, str)}
    return {name: frame[frame["id"].isin(referenced)] for name, frame in bundle.sites.items()}


def export(view: View, fmt: str, path: Path) -> Path:
    """Write one format of the view to `path` (atomically). A full release is written readable by
    its owner only (0600): it holds names."""
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path, private = Path(path), view.mode == FULL
    check_target(path)
    try:
        if EXPORT_FORMATS[fmt].write is None:       # print maps: drawn straight to the file
            from geo.outputs.static_map import render_static_map
            return render_static_map(view.map_data(routes=view.case_routes() or None), path, fmt, title=view.title, caption_lines=view.caption_lines(),
                                     private=private, withheld_places=_withheld_places(view))
        if fmt == "html":
            check_html_size(view)
        write_bytes_atomically(path, EXPORT_FORMATS[fmt].write(view), private)
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
            "csv, geojson, gpkg or kml for all records, or png/svg/pdf for a print map; nothing was written")


def _withheld_places(view: View) -> frozenset[str]:
    """Gazetteer ids a public release withholds everywhere: print maps do not label them."""
    return getattr(view.bundle.redactor, "withheld_places", frozenset())


def _html(view: View) -> bytes:
    from geo.outputs.html_export import html_bytes
    return html_bytes(view)


def _data(writer: str) -> Callable[[View], bytes]:
    def write(view: View) -> bytes:
        from geo.outputs import data_formats
        return getattr(data_formats, writer)(view)
    return write


@dataclass(frozen=True)
class ExportFormat:
    """One export format, declared once: the CLI's choices, the Export page's list and the tests
    come from EXPORT_FORMATS."""
    name: str
    label: str               # as the Export page offers it (English: the msgid; the page translates it)
    media_type: str
    kind: str                # "map" (drawn) or "data" (every column of geo.outputs.export_schema)
    write: Callable[[View], bytes] | None = None    # None: drawn straight to the file (print maps)


EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("html", N_("Interactive map, one HTML file (works offline)"), "text/html", "map", _html),
    ExportFormat("png", N_("Image for print (PNG, 300 dpi)"), "image/png", "map"),
    ExportFormat("svg", N_("Image for print (SVG, editable text)"), "image/svg+xml", "map"),
    ExportFormat("pdf", N_("Map for print (PDF, vector)"), "application/pdf", "map"),
    ExportFormat("geojson", N_("Data: GeoJSON (RFC 7946)"), "application/geo+json", "data", _data("geojson_bytes")),
    ExportFormat("csv", N_("Data: CSV (spreadsheets, scripts)"), "text/csv", "data", _data("csv_bytes")),
    ExportFormat("gpkg", N_("Data: GeoPackage (QGIS, ArcGIS)"), "application/geopackage+sqlite3", "data",
                 _data("gpkg_bytes")),
    ExportFormat("kml", N_("Data: KML (Google Earth, with time spans)"), "application/vnd.google-earth.kml+xml",
                 "data", _data("kml_bytes")),
)}
FORMATS = tuple(EXPORT_FORMATS)
DATA_FORMATS = tuple(f.name for f in EXPORT_FORMATS.values() if f.kind == "data")
MEDIA_TYPES = {f.name: f.media_type for f in EXPORT_FORMATS.values()}


def export_bytes(view: View, fmt: str) -> bytes:
    """The export as bytes (for a download button), written through the same code as files."""
    with tempfile.TemporaryDirectory() as folder:
        return export(view, fmt, Path(folder) / f"export.{fmt}").read_bytes()


def file_name(view: View, fmt: str) -> str:
    return f"incidents-{view.mode}.{fmt}"
