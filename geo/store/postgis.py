"""The team store: PostgreSQL + PostGIS through psycopg 3 (`INCIDENT_STORE=postgresql://...`).

Reading side here; writes (optimistic locking, change log, review decisions, import) are in
geo.store.postgis_write. The map reads through `viewport`: one SQL statement that finds the
filtered incidents in the viewport with the GiST index (bbox &&) and the filter columns' indexes,
and returns either the records to draw or the counted cells geo.view.scale would draw — so the
app's memory does not grow with the dataset.
"""
from __future__ import annotations

import functools
import re
import select

import pandas as pd

from geo.evidence.register import Register
from geo.evidence.schema import Incident, Site
from geo.places.gazetteer import GazetteerEntry
from geo.store.base import ConnectionLost, Counts, SourceDocument, StoredRecord, StoreError
from geo.store.documents import check_document
from geo.store.migrate import migrate
from geo.store.postgis_write import PostGISWrites
from geo.view.filters import MONTH_OR_BETTER, IncidentFilter
from geo.view.scale import CELL_PX, MARKER_LIMIT, Plan, Viewport

CELL_KEY = 1_000_003   # a cell's key is column * CELL_KEY + row, as in geo.view.scale.plan


def connect(url: str):
    import psycopg
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="incident-map",
                               cursor_factory=_store_cursor())
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
        raise StoreError(f"cannot connect to the store {redact_url(url)}: {first}. Is the server running "
                         "(./start.sh --team starts a local one) and INCIDENT_STORE right?") from None


@functools.cache
def _store_cursor():
    """psycopg's cursor, with a connection the server dropped during a statement reported as one
    line (ConnectionLost) the app shows like any store problem, instead of a traceback."""
    import psycopg

    class StoreCursor(psycopg.Cursor):
        def execute(self, query, params=None, **kwargs):
            try:
                return super().execute(query, params, **kwargs)
            except psycopg.OperationalError as exc:
                if not self.connection.broken:
                    raise
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
                raise ConnectionLost(f"lost the connection to the store ({first}); try again") from None

    return StoreCursor


def ended_by_server(conn) -> bool:
    """Has the server already ended this idle connection (it restarted, or terminated the session)?
    psycopg finds out only when the next statement fails, so a store kept across a restart — a
    session's, the app's shared reader — would fail once more after the server is back. An idle
    connection is sent nothing unasked (nothing here LISTENs), so anything to read on its socket is
    the server's goodbye or the end of the stream; were it anything else, connecting again costs a
    connection and loses nothing (the store keeps no state in its server session)."""
    from psycopg.pq import TransactionStatus
    if conn.info.transaction_status != TransactionStatus.IDLE:
        return False             # inside a transaction: never swap the connection under it
    try:
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


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
        if not self._closed and (self._conn.broken or self._conn.closed or ended_by_server(self._conn)):
            self._conn.close()
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

    # -- what the app reads at scale (never the whole layer) ------------------------------------
    def data_version(self) -> int:
        """Changes with every write (each one appends to the change log): a cache key for reads."""
        return self.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]

    def incident_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM incident_map").fetchone()[0]

    def year_range(self) -> tuple[int, int] | None:
        """First and last year any incident covers (two index look-ups)."""
        first, last = self.conn.execute("SELECT (SELECT min(date_start) FROM incident_map), "
                                        "(SELECT max(date_end) FROM incident_map)").fetchone()
        return (first.year, last.year) if first and last else None

    def cited_documents(self) -> dict[str, str]:
        """{document id: title} of every document an incident cites (titles from the sources table)."""
        titles = dict(self.conn.execute("SELECT id, title FROM sources").fetchall())
        cited = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT d FROM incident_map, unnest(source_docs) AS d ORDER BY d")]
        return {doc: titles.get(doc, doc) for doc in cited}

    LISTED = ("id", "title", "date_label", "type", "type_label", "place_name", "location_precision", "subject_name",
              "people_affected")

    def listing(self, view: IncidentFilter, limit: int, offset: int = 0) -> pd.DataFrame:
        """The filtered incidents in date order (undated last, as the file path sorts), `limit` at a
        time: the columns of the record list and picker under the map (LISTED), indexed by id. The
        order is the (date_start, date_end) index's, so the first page is read off the index."""
        where, params = filter_sql(view)
        columns = ", ".join(f"r.properties->>'{c}'" for c in self.LISTED)
        rows = self.conn.execute(
            f"SELECT {columns} FROM (SELECT id, date_start, date_end FROM incident_map WHERE {where} "
            "ORDER BY date_start, date_end, id LIMIT %s OFFSET %s) AS m JOIN records AS r USING (id) "
            "ORDER BY m.date_start, m.date_end, m.id", [*params, limit, offset]).fetchall()
        frame = pd.DataFrame(rows, columns=list(self.LISTED))
        frame["people_affected"] = pd.to_numeric(frame["people_affected"], errors="coerce")
        return frame.set_index("id", drop=False)

    def incidents(self, ids) -> "pd.DataFrame":
        """These incidents (a selection, a record's details) as the frame load_layer gives."""
        from geo.view.dataset import frame_from_features
        rows = self.conn.execute("SELECT properties, lon, lat FROM records WHERE layer = 'incidents' AND id = ANY(%s) "
                                 "ORDER BY id", (list(ids),)).fetchall()
        return frame_from_features([_feature(*row) for row in rows], "incidents")

    # -- the map ---------------------------------------------------------------------------------
    def counts(self, view: IncidentFilter) -> Counts:
        where, params = filter_sql(view)
        total, drawn = self.conn.execute(
            f"SELECT count(*), count(geom) FROM incident_map WHERE {where}", params).fetchone()
        return Counts(total, drawn, total - drawn)

    def viewport(self, view: IncidentFilter, viewport: Viewport, limit: int = MARKER_LIMIT) -> Plan:
        """geo.view.scale's plan for this filter and viewport (a pan or zoom), from one query that
        finds the incidents in view with the GiST index: up to `limit` come back as records
        (markers), more as counted screen-sized cells. `not_drawn` is left 0 (see `filter_change`)."""
        sql, params = viewport_sql(view, viewport, limit)
        return self._plan(self.conn.execute(sql, params).fetchall(), viewport, limit)[1]

    def filter_change(self, view: IncidentFilter, viewport: Viewport,
                      limit: int = MARKER_LIMIT) -> tuple[Counts, Plan]:
        """The counts above the map and the plan for the viewport, from one scan of the filtered
        incidents (a filter change needs both; a pan needs only `viewport`)."""
        sql, params = viewport_sql(view, viewport, limit, with_counts=True)
        counts, plan = self._plan(self.conn.execute(sql, params).fetchall(), viewport, limit)
        plan.not_drawn = counts.not_drawn
        return counts, plan

    def _plan(self, rows, viewport: Viewport, limit: int) -> tuple[Counts, Plan]:
        """Rows of viewport_sql -> (counts, plan). Rows: (in view, id, properties, lon, lat, n, key);
        key -1 counts the filtered records without a point, -2 those outside the viewport."""
        from geo.view.dataset import frame_from_features
        in_view = rows[0][0] if rows else 0
        tally = {key: n for *_, n, key in rows if key is not None and key < 0}
        not_drawn, outside = int(tally.get(-1, 0)), int(tally.get(-2, 0))
        counts = Counts(in_view + not_drawn + outside, in_view + outside, not_drawn)
        empty_cells = pd.DataFrame(columns=["lat", "lon", "count", "west", "south", "east", "north"])
        if in_view <= limit:
            markers = frame_from_features([_feature(p, lon, lat) for _, _, p, lon, lat, _, _ in rows if p is not None],
                                          "incidents")
            return counts, Plan(markers, empty_cells, in_view, 0, in_view)
        size = cell_size(viewport)
        counted = [row for row in rows if row[6] is not None and row[6] >= 0]
        cells = pd.DataFrame([(lat, lon, n) for _, _, _, lon, lat, n, _ in counted], columns=["lat", "lon", "count"])
        keys = pd.Series([r[6] for r in counted], dtype="int64")
        cx, cy = keys // CELL_KEY, keys % CELL_KEY
        cells["count"] = cells["count"].astype("int64")
        cells["west"], cells["east"] = viewport.west + cx * size, viewport.west + (cx + 1) * size
        cells["south"], cells["north"] = viewport.south + cy * size, viewport.south + (cy + 1) * size
        return counts, Plan(frame_from_features([], "incidents"), cells, in_view, 0)


def _feature(properties: dict, lon, lat) -> dict:
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lon is not None else None
    return {"type": "Feature", "id": properties.get("id"), "geometry": geometry, "properties": properties}


def filter_sql(view: IncidentFilter) -> tuple[str, list]:
    """The WHERE clause of geo.view.filters.IncidentFilter.mask, over incident_map's indexed columns."""
    clauses, params = ["true"], []
    if view.near is not None:   # incident_map has no location precision to tell a region's label point
        raise StoreError("the distance filter (near=, within N km of a site) is not available with the "
                         "PostGIS store yet; remove it from the view or use the file store")
    start, end = view.window()   # whole years, or months (?from=2018-03)
    if start is not None:   # a record counts when [date_start, date_end] overlaps the window
        clauses.append("date_end >= %s")
        params.append(start.date())
    if end is not None:   # no date_start: "on or before date_end", open to every earlier window
        clauses.append("(date_start <= %s OR date_start IS NULL)")
        params.append(end.date())
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


def viewport_sql(view: IncidentFilter, viewport: Viewport, limit: int, with_counts: bool = False) -> tuple[str, list]:
    """One statement: the filtered incidents in the viewport counted per screen-sized cell (key =
    column * CELL_KEY + row); if no more than `limit` are in view, their features instead (a second
    indexed scan, run only then). Every row carries the number in view first.

    Without counts the viewport narrows the scan (bbox && on the GiST index, with the filter
    columns' indexes). With counts every filtered incident is visited once: those without a point
    are tallied under key -1, those outside the viewport under -2, so one pass gives the counts
    above the map too."""
    where, params = filter_sql(view)
    boxes = viewport_boxes(viewport)
    lonlat, lonlat_params = "lat BETWEEN %s AND %s", [viewport.south, viewport.north]   # cheap per row
    indexed, indexed_params = lonlat, list(lonlat_params)
    if boxes is not None:
        lonlat += " AND (" + " OR ".join("lon BETWEEN %s AND %s" for _ in boxes) + ")"
        lonlat_params += [v for (w, _, e, _) in boxes for v in (w, e)]
        indexed += " AND (" + " OR ".join("(geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND lon BETWEEN %s AND %s)"
                                          for _ in boxes) + ")"
        indexed_params += [v for (w, s, e, n) in boxes for v in (w, s, e, n, w, e)]
    else:
        lonlat += " AND geom IS NOT NULL"
        indexed += " AND geom IS NOT NULL"
    size, west = cell_size(viewport), viewport.west
    key = (f"(floor((lon - %s - 360 * floor((lon - %s) / 360)) / %s) * {CELL_KEY} + floor((lat - %s) / %s))::bigint")
    key_params = [west, west, size, viewport.south, size]
    if with_counts:
        cell_key = f"CASE WHEN geom IS NULL THEN -1 WHEN {lonlat} THEN {key} ELSE -2 END"
        scan, scan_params = f"SELECT {cell_key} AS key, lon, lat FROM incident_map WHERE {where}", \
            [*lonlat_params, *key_params, *params]
    else:
        scan, scan_params = f"SELECT {key} AS key, lon, lat FROM incident_map WHERE {where} AND {indexed}", \
            [*key_params, *params, *indexed_params]
    sql = f"""
        WITH cells AS (
            SELECT key, count(*) AS n, avg(lon) AS lon, avg(lat) AS lat FROM ({scan}) AS hit GROUP BY key
        ), total AS (SELECT coalesce(sum(n) FILTER (WHERE key >= 0), 0)::bigint AS c FROM cells)
        SELECT total.c, NULL::text AS id, NULL::json, lon, lat, n, key FROM total, cells
         WHERE total.c > %s OR key < 0
        UNION ALL
        SELECT total.c, r.id, r.properties, r.lon, r.lat, NULL, NULL
          FROM total, incident_map AS m JOIN records AS r USING (id)
         WHERE total.c <= %s AND {_qualified(where, "m")} AND {_qualified(indexed, "m")}
        ORDER BY 7, 2
    """
    return sql, [*scan_params, limit, limit, *params, *indexed_params]
