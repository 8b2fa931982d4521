"""The team store: PostgreSQL + PostGIS through psycopg 3 (`INCIDENT_STORE=postgresql://...`).

Reading side here; writes (optimistic locking, change log, review decisions, import) are in
geo.store.postgis_write. The map reads through `viewport`: one SQL statement that finds the
filtered incidents in the viewport with the GiST index (bbox &&) and the filter columns' indexes,
and returns either the records to draw or the counted cells geo.view.scale would draw — so the
app's memory does not grow with the dataset.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from geo.evidence.register import Register
from geo.evidence.schema import Incident, Site
from geo.places.gazetteer import GazetteerEntry
from geo.store.base import Counts, SourceDocument, StoredRecord, StoreError
from geo.store.documents import check_document
from geo.store.migrate import migrate
from geo.store.postgis_write import PostGISWrites
from geo.view.filters import MONTH_OR_BETTER, IncidentFilter
from geo.view.scale import CELL_PX, MARKER_LIMIT, Plan, Viewport

CELL_KEY = 1_000_003   # a cell's key is column * CELL_KEY + row, as in geo.view.scale.plan


def connect(url: str):
    import psycopg
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="incident-map")
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
        raise StoreError(f"cannot connect to the store {redact_url(url)}: {first}. Is the server running "
                         "(./start.sh --team starts a local one) and INCIDENT_STORE right?") from None


def redact_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


class PostGISStore(PostGISWrites):
    def __init__(self, url: str, migrate_schema: bool = True):
        self.url = url
        self._conn = connect(url)
        self._closed = False
        if migrate_schema:
            migrate(self._conn)

    @property
    def conn(self):
        """The connection; a new one when the server dropped the old (it restarted, say)."""
        if not self._closed and (self._conn.broken or self._conn.closed):
            self._conn = connect(self.url)
        return self._conn

    def close(self) -> None:
        self._closed = True
        self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- records -------------------------------------------------------------------------------
    def load_register(self) -> Register:
        register = Register()
        rows = self.conn.execute("SELECT kind, doc, file FROM records ORDER BY file, position").fetchall()
        for kind, doc, file in rows:
            record = check_document(kind, doc)
            (register.sites if kind == "site" else register.incidents).append(record)
            register.origin[record.id] = file
        return register

    def record(self, record_id: str) -> StoredRecord:
        row = self.conn.execute("SELECT kind, doc, version, file FROM records WHERE id = %s", (record_id,)).fetchone()
        if row is None:
            raise StoreError(f"no record {record_id!r} in the store")
        kind, doc, version, file = row
        return StoredRecord(check_document(kind, doc), version, file)

    def record_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM records").fetchone()[0]

    def sources(self) -> list[SourceDocument]:
        rows = self.conn.execute("SELECT id, title, filename, sha256_original, sha256_text, metadata "
                                 "FROM sources ORDER BY id").fetchall()
        return [SourceDocument(*row) for row in rows]

    def gazetteer(self) -> list[GazetteerEntry]:
        rows = self.conn.execute("""SELECT id, name, name_ru, aliases, kind, subject, country,
                                           ST_Y(geom), ST_X(geom), precision, source, note
                                    FROM gazetteer ORDER BY position""").fetchall()
        return [GazetteerEntry(r[0], r[1], r[2], tuple(r[3]), *r[4:]) for r in rows]

    def layer(self, name: str):
        """A whole layer as geo.view.dataset.load_layer gives it (for the sites, and small datasets)."""
        from geo.view.dataset import frame_from_features
        rows = self.conn.execute("SELECT properties, lon, lat FROM records WHERE layer = %s ORDER BY id",
                                 (name,)).fetchall()
        return frame_from_features([_feature(*row) for row in rows], name)

    # -- the map ---------------------------------------------------------------------------------
    def counts(self, view: IncidentFilter) -> Counts:
        where, params = filter_sql(view)
        total, drawn = self.conn.execute(
            f"SELECT count(*), count(geom) FROM incident_map WHERE {where}", params).fetchone()
        return Counts(total, drawn, total - drawn)

    def viewport(self, view: IncidentFilter, viewport: Viewport, limit: int = MARKER_LIMIT) -> Plan:
        """geo.view.scale's plan for this filter and viewport, from one indexed query: up to `limit`
        incidents in view come back as records (markers), more as counted screen-sized cells.
        `not_drawn` is left 0: the country-level count comes with `counts`, which changes only
        when the filter does (not on every pan)."""
        sql, params = viewport_sql(view, viewport, limit)
        rows = self.conn.execute(sql, params).fetchall()
        in_view = rows[0][0] if rows else 0
        empty_cells = pd.DataFrame(columns=["lat", "lon", "count", "west", "south", "east", "north"])
        if in_view <= limit:
            from geo.view.dataset import frame_from_features
            markers = frame_from_features([_feature(p, lon, lat) for _, _, p, lon, lat, _, _ in rows if p is not None],
                                          "incidents")
            return Plan(markers, empty_cells, in_view, 0, in_view)
        size = cell_size(viewport)
        cells = pd.DataFrame([(lat, lon, n) for _, _, _, lon, lat, n, _ in rows], columns=["lat", "lon", "count"])
        keys = pd.Series([r[6] for r in rows], dtype="int64")
        cx, cy = keys // CELL_KEY, keys % CELL_KEY
        cells["count"] = cells["count"].astype("int64")
        cells["west"], cells["east"] = viewport.west + cx * size, viewport.west + (cx + 1) * size
        cells["south"], cells["north"] = viewport.south + cy * size, viewport.south + (cy + 1) * size
        from geo.view.dataset import frame_from_features
        return Plan(frame_from_features([], "incidents"), cells, in_view, 0)


def _feature(properties: dict, lon, lat) -> dict:
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lon is not None else None
    return {"type": "Feature", "id": properties.get("id"), "geometry": geometry, "properties": properties}


def filter_sql(view: IncidentFilter) -> tuple[str, list]:
    """The WHERE clause of geo.view.filters.IncidentFilter.mask, over incident_map's indexed columns."""
    clauses, params = ["true"], []
    if view.start_year is not None:   # a record counts when [date_start, date_end] overlaps the window
        clauses.append("date_end >= %s")
        params.append(dt.date(view.start_year, 1, 1))
    if view.end_year is not None:
        clauses.append("date_start <= %s")
        params.append(dt.date(view.end_year, 12, 31))
    if view.month_or_better:
        clauses.append("date_precision = ANY(%s)")
        params.append(list(MONTH_OR_BETTER))
    for column, chosen in (("type", view.types), ("subject", view.subjects)):
        if chosen is not None:
            clauses.append(f"{column} = ANY(%s)")
            params.append(list(chosen))
    for column, chosen in (("actors", view.actors), ("source_docs", view.docs)):
        if chosen is not None:
            clauses.append(f"{column} && %s::text[]")
            params.append(list(chosen))
    return " AND ".join(clauses), params


def cell_size(viewport: Viewport) -> float:
    return 360 / (256 * 2 ** viewport.zoom) * CELL_PX        # degrees of longitude per cell, as in scale.plan


def viewport_boxes(viewport: Viewport) -> list[tuple[float, float, float, float]] | None:
    """The viewport as boxes within -180..180 (two where it crosses the antimeridian); None: all longitudes."""
    width = viewport.east - viewport.west
    if width >= 360:
        return None
    west = (viewport.west + 180) % 360 - 180
    east = west + width
    if east <= 180:
        return [(west, viewport.south, east, viewport.north)]
    return [(west, viewport.south, 180.0, viewport.north), (-180.0, viewport.south, east - 360, viewport.north)]


MAP_COLUMNS = ("lon", "lat", "geom", "date_start", "date_end", "type", "date_precision", "subject", "actors",
               "source_docs")


def _qualified(condition: str, table: str) -> str:
    """The condition with incident_map's columns named by table (they are in records too)."""
    for column in MAP_COLUMNS:
        condition = re.sub(rf"\b{column}\b", f"{table}.{column}", condition)
    return condition


def viewport_sql(view: IncidentFilter, viewport: Viewport, limit: int) -> tuple[str, list]:
    """One statement: the filtered incidents in the viewport (GiST bbox + filter indexes) counted
    per screen-sized cell; if no more than `limit` are in view, their features instead (the same
    indexed scan, run only then). Every row carries the number in view first."""
    where, params = filter_sql(view)
    boxes = viewport_boxes(viewport)
    inside, box_params = "lat BETWEEN %s AND %s", [viewport.south, viewport.north]
    if boxes is not None:   # the cheap lon/lat test spares the geometry check on a full scan
        inside += " AND (" + " OR ".join("(geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND lon BETWEEN %s AND %s)"
                                         for _ in boxes) + ")"
        box_params += [v for (w, s, e, n) in boxes for v in (w, s, e, n, w, e)]
    else:
        inside += " AND geom IS NOT NULL"
    size, west = cell_size(viewport), viewport.west
    sql = f"""
        WITH cells AS (
            SELECT key, count(*) AS n, avg(lon) AS lon, avg(lat) AS lat FROM (
                SELECT (floor((lon - %s - 360 * floor((lon - %s) / 360)) / %s) * {CELL_KEY}
                        + floor((lat - %s) / %s))::bigint AS key, lon, lat
                  FROM incident_map WHERE {where} AND {inside}) AS hit
             GROUP BY key
        ), total AS (SELECT coalesce(sum(n), 0)::bigint AS c FROM cells)
        SELECT total.c, NULL::text AS id, NULL::json, lon, lat, n, key FROM total, cells WHERE total.c > %s
        UNION ALL
        SELECT total.c, r.id, r.properties, r.lon, r.lat, NULL, NULL
          FROM total, incident_map AS m JOIN records AS r USING (id)
         WHERE total.c <= %s AND {_qualified(where, "m")} AND {_qualified(inside, "m")}
        ORDER BY 7, 2
    """
    return sql, [west, west, size, viewport.south, size, *params, *box_params, limit, limit, *params, *box_params]
