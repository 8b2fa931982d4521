"""The team store: PostgreSQL + PostGIS through psycopg 3 (`INCIDENT_STORE=postgresql://...`).

Reading side here; writes (optimistic locking, change log, review decisions, import) are in
geo.store.postgis_write. The map reads through `viewport`: one SQL statement that finds the
filtered incidents in the viewport with the GiST index (bbox &&) and the filter columns' indexes,
and returns either the records to draw or the counted cells geo.view.scale would draw — so the
app's memory does not grow with the dataset. A filter of types, regions, month-or-better and whole
years is counted from the rollup tables of migration 003 instead (incident_counts; incident_cells
for a zoomed-out map), so a broad filter does not visit every incident it keeps.
"""
from __future__ import annotations

import functools
import math
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
from geo.view.scale import CELL_KEY, MARKER_LIMIT, Grid, Plan, Viewport

ROLLUP_ZOOM = 4        # incident_cells counts per geo.view.scale.Grid cell of this zoom (migration 003)


def connect(url: str):
    import psycopg
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="incident-map",
                               cursor_factory=_store_cursor())
    except psycopg.OperationalError as exc:
        raise StoreError(f"cannot connect to the store {redact_url(url)}: {_first_line(exc)}. Is the server running "
                         "(./start.sh --team starts a local one) and INCIDENT_STORE right?") from None


def _first_line(exc: Exception) -> str:
    """What the driver said, first line only (its later lines repeat the query or add hints)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no answer"


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
                raise ConnectionLost(f"lost the connection to the store ({_first_line(exc)}); try again") from None

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
        columns = ", ".join(f"{c} text" for c in self.LISTED)   # each properties document parsed once
        rows = self.conn.execute(
            f"SELECT listed.* FROM (SELECT id, date_start, date_end FROM incident_map WHERE {where} "
            "ORDER BY date_start, date_end, id LIMIT %s OFFSET %s) AS m JOIN records AS r USING (id), "
            f"json_to_record(r.properties) AS listed({columns}) "
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
        if rollup_answers(view):
            where, params = filter_sql(view, rollup=True)
            total, drawn = self.conn.execute(
                f"SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE drawn), 0) FROM incident_counts "
                f"WHERE {where}", params).fetchone()
        else:
            where, params = filter_sql(view)
            total, drawn = self.conn.execute(
                f"SELECT count(*), count(geom) FROM incident_map WHERE {where}", params).fetchone()
        return Counts(int(total), int(drawn), int(total - drawn))

    def viewport(self, view: IncidentFilter, viewport: Viewport, limit: int = MARKER_LIMIT) -> Plan:
        """geo.view.scale's plan for this filter and viewport (a pan or zoom), from one query that
        finds the incidents in view with the GiST index: up to `limit` come back as records
        (markers), more as counted screen-sized cells. `not_drawn` is left 0 (see `filter_change`).
        A zoomed-out view of a filter the rollup answers reads its cells from incident_cells."""
        rolled = self._rolled_up(view, viewport, limit)
        if rolled is not None:
            return rolled
        sql, params = viewport_sql(view, viewport, limit)
        return self._plan(self.conn.execute(sql, params).fetchall(), viewport, limit)[1]

    def filter_change(self, view: IncidentFilter, viewport: Viewport,
                      limit: int = MARKER_LIMIT) -> tuple[Counts, Plan]:
        """The counts above the map and the plan for the viewport (a filter change needs both; a pan
        needs only `viewport`), from one scan of the filtered incidents. A filter the rollup
        answers (no actor or document, whole years) takes its counts from incident_counts and its
        plan from `viewport`, so no statement visits every filtered incident."""
        if rollup_answers(view):
            counts = self.counts(view)
            plan = self.viewport(view, viewport, limit)
            plan.not_drawn = counts.not_drawn
            return counts, plan
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
        counted = [(key, n, lon, lat) for _, _, _, lon, lat, n, key in rows if key is not None and key >= 0]
        return counts, Plan(frame_from_features([], "incidents"), _cells(counted, Grid(viewport)), in_view, 0)

    def _rolled_up(self, view: IncidentFilter, viewport: Viewport, limit: int) -> Plan | None:
        """The plan of a zoomed-out viewport (zoom <= ROLLUP_ZOOM) from incident_cells: the cells
        wholly inside the viewport summed from it, the part of the viewport outside them (a strip
        under one cell wide along each edge) from incident_map on the GiST index. None when the
        rollup cannot answer (the filter, the zoom, a viewport across the antimeridian), or when no
        more than `limit` are in view (markers: `viewport_sql` finds them)."""
        boxes = viewport_boxes(viewport)
        if not rollup_answers(view) or viewport.zoom > ROLLUP_ZOOM or boxes is None or len(boxes) > 1:
            return None
        grid = Grid(viewport)
        inner = inner_cells(grid, viewport)
        if inner is None:
            return None
        sql, params = rollup_viewport_sql(view, viewport, grid, inner)
        counted = self.conn.execute(sql, params).fetchall()
        in_view = sum(n for _, n, _, _ in counted)
        if in_view <= limit:
            return None
        from geo.view.dataset import frame_from_features
        return Plan(frame_from_features([], "incidents"), _cells(counted, grid), int(in_view), 0)


def _cells(counted, grid: Grid) -> pd.DataFrame:
    """Rows (cell key, count, sum of lon, sum of lat) -> the cells frame of geo.view.scale.plan (a key
    may come more than once: its rows are added up)."""
    frame = pd.DataFrame(counted, columns=["key", "count", "lon", "lat"])
    frame = frame.astype({"key": "int64", "count": "int64", "lon": "float64", "lat": "float64"})
    frame = frame.groupby("key", sort=True).sum()
    frame["lon"] /= frame["count"]
    frame["lat"] /= frame["count"]
    col, row = frame.index.to_numpy() // CELL_KEY, frame.index.to_numpy() % CELL_KEY
    bounds = grid.bounds(col, row)
    return pd.DataFrame({"lat": frame["lat"].to_numpy(), "lon": frame["lon"].to_numpy(),
                         "count": frame["count"].to_numpy(), **bounds}).reset_index(drop=True)


def _feature(properties: dict, lon, lat) -> dict:
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lon is not None else None
    return {"type": "Feature", "id": properties.get("id"), "geometry": geometry, "properties": properties}


def rollup_answers(view: IncidentFilter) -> bool:
    """Whether incident_counts holds what this filter keeps: types, regions, month-or-better and a
    window of whole years (no actor, document, month or distance)."""
    return view.actors is None and view.docs is None and view.near is None and view.start_month is None \
        and view.end_month is None


def filter_sql(view: IncidentFilter, rollup: bool = False) -> tuple[str, list]:
    """The WHERE clause of geo.view.filters.IncidentFilter.mask, over incident_map's indexed columns
    (`rollup`: over incident_counts' or incident_cells', for a filter `rollup_answers`)."""
    clauses, params = ["true"], []
    if view.near is not None:   # incident_map has no location precision to tell a region's label point
        raise StoreError("the distance filter (near=, within N km of a site) is not available with the "
                         "PostGIS store yet; remove it from the view or use the file store")
    start, end = view.window()   # whole years, or months (?from=2018-03)
    if start is not None:   # a record counts when [date_start, date_end] overlaps the window
        clauses.append("end_year >= %s" if rollup else "date_end >= %s")
        params.append(start.year if rollup else start.date())
    if end is not None:   # no date_start: "on or before date_end", open to every earlier window
        clauses.append("start_year <= %s" if rollup else "(date_start <= %s OR date_start IS NULL)")
        params.append(end.year if rollup else end.date())
    if view.month_or_better and rollup:
        clauses.append("month_or_better")
    elif view.month_or_better:
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
    key, key_params = cell_key_sql(Grid(viewport))
    if with_counts:
        cell_key = f"CASE WHEN geom IS NULL THEN -1 WHEN {lonlat} THEN {key} ELSE -2 END"
        scan, scan_params = f"SELECT {cell_key} AS key, lon, lat FROM incident_map WHERE {where}", \
            [*lonlat_params, *key_params, *params]
    else:
        scan, scan_params = f"SELECT {key} AS key, lon, lat FROM incident_map WHERE {where} AND {indexed}", \
            [*key_params, *params, *indexed_params]
    sql = f"""
        WITH cells AS (
            SELECT key, count(*) AS n, sum(lon) AS lon, sum(lat) AS lat FROM ({scan}) AS hit GROUP BY key
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


def cell_sql(grid: Grid) -> tuple[str, str, list]:
    """SQL for a point's column and row in `grid` (geo.view.scale.Grid.cell, the same float steps)."""
    columns = grid.columns
    column = f"mod(mod(floor((lon + 180) / 90 * %s)::bigint - %s, {columns}) + {columns}, {columns})"
    row = "(floor((lat + 90) / 90 * %s)::bigint - %s)"
    return column, row, [grid.scale, grid.first_column, grid.scale, grid.first_row]


def cell_key_sql(grid: Grid) -> tuple[str, list]:
    column, row, params = cell_sql(grid)
    return f"({column} * {CELL_KEY} + {row})", params


EDGE = 1e-9   # degrees: a cell wholly inside the viewport keeps this far from its edges


def inner_cells(grid: Grid, viewport: Viewport) -> tuple[int, int, int, int] | None:
    """(first column, last column, first row, last row) of the cells wholly inside the viewport
    (a single box within -180..180), or None when there are none."""
    (west, south, east, north), = viewport_boxes(viewport)
    grid_west = grid.west + (west - viewport.west)         # the grid's edge in the box's longitudes
    first_col = math.ceil((west + EDGE - grid_west) / grid.size)
    last_col = math.floor((east - EDGE - grid_west) / grid.size) - 1
    first_row = math.ceil((south + EDGE - grid.south) / grid.size)
    last_row = math.floor((north - EDGE - grid.south) / grid.size) - 1
    if first_col > last_col or first_row > last_row:
        return None
    return first_col, last_col, first_row, last_row


def rollup_viewport_sql(view: IncidentFilter, viewport: Viewport, grid: Grid,
                        inner: tuple[int, int, int, int]) -> tuple[str, list]:
    """Rows (cell key, count, sum of lon, sum of lat): the cells wholly inside the viewport from
    incident_cells, plus the points in view outside them (the edges) from incident_map."""
    first_col, last_col, first_row, last_row = inner
    (west, south, east, north), = viewport_boxes(viewport)
    factor, columns = 2 ** (ROLLUP_ZOOM - viewport.zoom), grid.columns
    rolled_col = f"mod(mod(x - %s, {columns}) + {columns}, {columns})"
    rolled_row = "(y - %s)"
    rolled_where, rolled_params = filter_sql(view, rollup=True)
    where, params = filter_sql(view)
    column, row, cell_params = cell_sql(grid)
    grid_west = grid.west + (west - viewport.west)
    inner_west, inner_east = grid_west + first_col * grid.size, grid_west + (last_col + 1) * grid.size
    inner_south, inner_north = grid.south + first_row * grid.size, grid.south + (last_row + 1) * grid.size
    margin = 1e-6   # the strips overlap the inner cells a little; the cell test below decides
    strips = [(west, south, inner_west + margin, north), (inner_east - margin, south, east, north),
              (west, south, east, inner_south + margin), (west, inner_north - margin, east, north)]
    sql = f"""
        SELECT {rolled_col} * {CELL_KEY} + {rolled_row}, n, lon, lat
          FROM (SELECT cell_x / {factor} AS x, cell_y / {factor} AS y, sum(n) AS n, sum(sum_lon) AS lon,
                       sum(sum_lat) AS lat
                  FROM incident_cells WHERE {rolled_where} GROUP BY 1, 2 HAVING sum(n) > 0) AS rolled
         WHERE {rolled_col} BETWEEN %s AND %s AND {rolled_row} BETWEEN %s AND %s
        UNION ALL
        SELECT {column} * {CELL_KEY} + {row}, count(*), sum(lon), sum(lat)
          FROM incident_map
         WHERE {where} AND lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s
           AND ({" OR ".join("geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)" for _ in strips)})
           AND NOT ({column} BETWEEN %s AND %s AND {row} BETWEEN %s AND %s)
         GROUP BY 1
    """
    return sql, [grid.first_column, grid.first_row, *rolled_params, grid.first_column, first_col, last_col,
                 grid.first_row, first_row, last_row,
                 *cell_params, *params, south, north, west, east, *[v for box in strips for v in box],
                 *cell_params[:2], first_col, last_col, *cell_params[2:], first_row, last_row]
