"""Load the built layers as GeoDataFrames (WGS84). Nested properties (sources, readings) stay
Python lists, which the popups and details need; geopandas.read_file would flatten them."""
from __future__ import annotations

import gc
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas
import numpy as np
import pandas as pd

from geo.build.layers import INCIDENT_COLUMNS, LAYER_NAMES, layer_path
from geo.errors import DataFileMissing
from geo.paths import COUNTRIES_GEOJSON, DATA_DIR, SUBJECTS_GEOJSON, layers_dir
from geo.view import proximity
from geo.view.scale import coordinates
from geo.writing import unreadable_reason

FIX = "run `python -m geo build` (or ./start.sh, which builds what is missing)"
# Ids travel into map data and links; anything else in a dataset is refused (the build enforces it too).
_RECORD_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def fix_advice(data_dir: Path) -> str:
    """What to run to (re)make the dataset in data_dir: the build writes only data/."""
    if Path(data_dir).resolve() == DATA_DIR.resolve():
        return FIX
    return (f"INCIDENT_DATA_DIR points at {data_dir}: write a dataset there with `python -m geo synth --out "
            f"{data_dir}` (or copy data/*.geojson into it), or unset INCIDENT_DATA_DIR to use the register's data/")


def load_layer(name: str, data_dir: Path = DATA_DIR) -> geopandas.GeoDataFrame:
    """<data_dir>/<name>.parquet (GeoParquet, e.g. a synthetic dataset) if present, else <name>.geojson."""
    fix = fix_advice(data_dir)
    parquet = data_dir / f"{name}.parquet"
    if parquet.exists() or parquet.is_symlink():
        if why := unreadable_reason(parquet):
            raise DataFileMissing(f"the data file {parquet} {why}: {fix}")
        return _load_parquet_layer(name, parquet, fix)
    path = layer_path(name, data_dir)
    if (path.exists() or path.is_symlink()) and (why := unreadable_reason(path)):   # a FIFO would block
        raise DataFileMissing(f"the data file {path} {why}: {fix}")
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        return frame_from_features(collection["features"], name, path, fix)
    except FileNotFoundError:
        raise DataFileMissing(f"the data file {path} (or {parquet.name}) is missing: {fix}") from None
    except OSError as exc:
        raise DataFileMissing(f"the data file {path} cannot be read ({exc.strerror}): {fix}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataFileMissing(f"the data file {path} is not a valid GeoJSON layer "
                              f"({str(exc)[:120] or type(exc).__name__}): {fix}") from None


def frame_from_features(features: list[dict], name: str, path="the store", fix: str = FIX) -> geopandas.GeoDataFrame:
    """A layer's GeoJSON features (from a file or a store) as the frame the view reads, checked."""
    frame = geopandas.GeoDataFrame.from_features(features, crs="EPSG:4326")
    if frame.empty:
        return _empty_layer(name)
    frame = _checked(name, frame, path, fix)
    if name == "incidents":
        try:
            for column in ("date_start", "date_end"):
                frame[column] = pd.to_datetime(frame[column])
        except (ValueError, TypeError) as exc:
            raise DataFileMissing(f"the data file {path} has a date that cannot be read "
                                  f"({str(exc)[:120]}): {fix}") from None
    return frame.set_index("id", drop=False)


def _empty_layer(name: str) -> geopandas.GeoDataFrame:
    """A layer with no records but every column, so filters and exports see the usual shape."""
    columns = INCIDENT_COLUMNS if name == "incidents" else ("id",)
    frame = geopandas.GeoDataFrame({c: pd.Series(dtype=object) for c in columns}, geometry=geopandas.GeoSeries(
        [], crs="EPSG:4326"))
    return frame.set_index("id", drop=False)


def _checked(name: str, frame, path: Path, fix: str):
    """The columns the app and the exports read are there, and every id is a record id."""
    required = INCIDENT_COLUMNS if name == "incidents" else ("id",)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        raise DataFileMissing(f"the data file {path} lacks the column(s) {shown}: {fix}")
    ids = frame["id"]
    bad = ~ids.str.fullmatch(_RECORD_ID).fillna(False).astype(bool)   # not a string, or not an id
    if bad.any():
        first = str(ids[bad].iloc[0])
        raise DataFileMissing(f"the data file {path} has a record id that is not lower-case letters, digits "
                              f"and hyphens ({first[:40]!r}): {fix}")
    return frame


def _load_parquet_layer(name: str, path: Path, fix: str = FIX) -> geopandas.GeoDataFrame:
    """The same frame as the GeoJSON path: nested values as Python lists, dates as datetime64[us],
    indexed by id with the id column kept. List columns are read straight from Arrow (pandas
    would first make a numpy array per cell, which is slow for a million records)."""
    import pyarrow.parquet

    try:
        schema = pyarrow.parquet.read_schema(path)
        nested = [field.name for field in schema if _is_list(field.type)]
        flat = [field.name for field in schema if field.name not in nested]
        frame = geopandas.read_parquet(path, columns=flat)
        lists = pyarrow.parquet.read_table(path, columns=nested) if nested else None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise DataFileMissing(f"the data file {path} is not a valid GeoParquet layer ({str(exc)[:120]}): {fix}") from None
    if "id" not in frame.columns:
        raise DataFileMissing(f"the data file {path} has no id column: {fix}")
    collecting = gc.isenabled()
    gc.disable()  # millions of new lists and dicts would trigger a full collection again and again
    try:
        for column in nested:
            values = [value for chunk in lists.column(column).chunks for value in _python_values(chunk)]
            frame[column] = pd.Series(_object_array(values), index=frame.index)
    finally:
        if collecting:
            gc.enable()
    frame = frame[[c for c in schema.names if c in frame.columns]]
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    frame = _checked(name, frame, path, fix)
    if name == "incidents":
        for column in ("date_start", "date_end"):
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
    return frame.set_index("id", drop=False)


def _is_list(arrow_type) -> bool:
    import pyarrow
    return pyarrow.types.is_list(arrow_type) or pyarrow.types.is_large_list(arrow_type)


def _python_values(array) -> list:
    """An Arrow array as Python values: lists as lists, structs as dicts (what json.loads gives)."""
    import pyarrow
    if _is_list(array.type):
        offsets = array.offsets.to_numpy()
        # .values is the whole child array even when this array is a slice (a row group of a table)
        inner = _python_values(array.values.slice(offsets[0], offsets[-1] - offsets[0]))
        offsets = (offsets - offsets[0]).tolist()
        rows = [inner[a:b] for a, b in zip(offsets[:-1], offsets[1:])]
        if array.null_count:
            rows = [row if ok else None for row, ok in zip(rows, array.is_valid().to_pylist())]
        return rows
    if pyarrow.types.is_struct(array.type):
        names = [array.type.field(i).name for i in range(array.type.num_fields)]
        rows = [dict(zip(names, values)) for values in zip(*(_python_values(f) for f in array.flatten()))]
        if array.null_count:
            rows = [row if ok else None for row, ok in zip(rows, array.is_valid().to_pylist())]
        return rows
    return array.to_numpy(zero_copy_only=False).tolist()


def _object_array(values: list) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))  # np.array would nest equal-length lists


def data_version(*folders: Path) -> tuple:
    """A key that changes whenever a file the app reads from these folders is written, replaced or
    removed (name, size, modification time, inode): put it in a cache key and a running app reloads
    after `python -m geo build` instead of serving the old data."""
    key = []
    for folder in folders:
        try:
            entries = sorted(p for p in Path(folder).iterdir() if p.suffix in (".geojson", ".parquet", ".yaml"))
        except OSError:
            key.append((str(folder), None))
            continue
        for path in entries:
            try:
                info = path.stat()
                key.append((str(path), info.st_size, info.st_mtime_ns, info.st_ino))
            except OSError:
                key.append((str(path), None))
    return tuple(key)


def load_all(data_dir: Path = DATA_DIR) -> dict[str, geopandas.GeoDataFrame]:
    return {name: load_layer(name, data_dir) for name in LAYER_NAMES}


def load_subject_outlines(path: Path = SUBJECTS_GEOJSON) -> geopandas.GeoDataFrame:
    if not path.exists():
        raise DataFileMissing(f"the boundaries file {path} is missing: run `python -m geo boundaries`")
    return geopandas.read_file(path).set_index("code", drop=False)


def display_outlines(frame: geopandas.GeoDataFrame, columns=("code", "name"),
                     tolerance: float = 0.06) -> geopandas.GeoDataFrame:
    """Outlines light enough to send to a browser on every map change (~6 km simplification,
    coordinates to 2 decimals); the full outlines stay for point-in-subject checks."""
    import shapely

    light = frame[list(columns) + ["geometry"]].copy()
    light["geometry"] = shapely.set_precision(light.geometry.simplify(tolerance, preserve_topology=True).values, 1e-2)
    return light


@dataclass(frozen=True)
class Bundle:
    """Everything the app and the exports read, loaded once."""
    incidents: geopandas.GeoDataFrame
    sites: dict[str, geopandas.GeoDataFrame]
    subjects: geopandas.GeoDataFrame            # display outlines, indexed by code
    countries: geopandas.GeoDataFrame           # display outlines
    subject_names: dict[str, str]
    doc_titles: dict[str, str]
    titles: dict[str, str]                      # incident id -> title
    coords: tuple = None                        # (lon, lat) arrays of the incidents, for geo.view.scale.plan
    outlines: dict = None                       # basemap GeoJSON dicts, built once (layers.base.MapData)
    mode: str = "full"                          # "public" once geo.outputs.redaction.release_bundle ran
    redactor: object = None                     # the public release's Redactor, for other texts
    public_ids: dict = None                     # register id -> public id, where a public release renamed one
    # At scale in a team store (geo.store.postgis) the incidents stay in the database: `incidents`
    # holds none, the map asks the store (viewport, filter_change, listing), and `years` says the range.
    years: tuple = None
    at_scale: bool = False
    lang: str = "en"                            # the labels' language (geo.language.localize); built: English

    def year_range(self) -> tuple[int, int]:
        if self.years:
            return self.years
        return int(self.incidents["date_start"].dt.year.min()), int(self.incidents["date_end"].dt.year.max())

    @cached_property
    def site_places(self) -> dict[str, proximity.SitePlace]:
        """The sites a distance can be measured from (geo.view.proximity), by id."""
        return proximity.site_places(self.sites)


def load_bundle(data_dir: Path | None = None) -> Bundle:
    data_dir = data_dir or layers_dir()
    layers = load_all(data_dir)
    if layers["incidents"].empty:
        where = layer_path("incidents", data_dir)
        raise DataFileMissing(
            f"the dataset in {data_dir} holds no incidents ({where.name} has no records): "
            + ("add records to data/register/ and run `python -m geo build`" if Path(data_dir).resolve() ==
               DATA_DIR.resolve() else fix_advice(data_dir)))
    return bundle_from_layers(layers)


def bundle_from_layers(layers: dict, doc_titles: dict | None = None, years: tuple | None = None) -> Bundle:
    """The bundle of these layers (from files or a store) with the outlines the map draws."""
    layers = dict(layers)
    incidents = layers.pop("incidents")
    subjects = load_subject_outlines()
    countries = geopandas.read_file(COUNTRIES_GEOJSON)
    if doc_titles is None:
        doc_titles = {s["doc"]: s.get("doc_title", s["doc"]) for sources in incidents["sources"].tolist()
                      for s in sources}
    return Bundle(incidents, layers, display_outlines(subjects).set_index("code", drop=False),
                  display_outlines(countries), dict(zip(subjects["code"], subjects["name"])),
                  dict(sorted(doc_titles.items())), dict(zip(incidents["id"].tolist(), incidents["title"].tolist())),
                  coordinates(incidents), {}, years=years, at_scale=years is not None)


def store_bundle(store, scale_from: int) -> Bundle:
    """The bundle of a team store (geo.store.postgis). Up to `scale_from` incidents it is the whole
    dataset, as from files; above, the incidents stay in the database (Bundle.at_scale)."""
    sites = {name: store.layer(name) for name in LAYER_NAMES if name != "incidents"}
    count = store.incident_count()
    if not count:
        raise DataFileMissing(f"the team store holds no incidents: "
                              "import the register with `python -m geo store import`")
    if count <= scale_from:
        return bundle_from_layers({"incidents": store.layer("incidents"), **sites})
    none = _empty_layer("incidents")
    for column in ("date_start", "date_end"):
        none[column] = pd.Series(dtype="datetime64[us]")
    return bundle_from_layers({"incidents": none, **sites}, store.cited_documents(),
                              store.year_range())


BASEMAP_STATIC_DIR = "static/basemap"


def write_basemap_files(root: Path) -> list[Path]:
    """The outlines the app serves at /app/static/basemap/ (see layers.basemap). Served files are
    fetched once and cached by the browser, so they keep the shipped ~2 km detail that still looks
    right when zoomed to a district; embedded maps use the lighter display outlines."""
    from layers.basemap import outline_collection
    from geo.writing import write_atomically

    subjects = load_subject_outlines()
    countries = geopandas.read_file(COUNTRIES_GEOJSON)
    files = {root / BASEMAP_STATIC_DIR / f"{name}.geojson": json.dumps(outline_collection(frame), separators=(",", ":"))
             for name, frame in (("countries", countries), ("subjects", subjects))}
    write_atomically(files)
    return list(files)
