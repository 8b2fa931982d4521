-- Counts of the incidents per filter value, so a filter change with broad filters sums a few
-- thousand rows instead of visiting every incident (geo.store.postgis answers from them a filter of
-- types, regions, month-or-better and whole years; anything else scans incident_map):
--   incident_counts: per type x region x month-or-better x first/last year x drawn (has a point);
--   incident_cells: the same per cell of geo.view.scale.Grid at zoom 4 (5.6 degrees: floor((lon +
--   180) / 90 * 16)) instead of drawn, with the sums of lon and lat, for the zoomed-out map (a cell
--   of zoom z <= 4 is cell_x / 2^(4 - z)). Finer cells would multiply its rows towards the table's.
-- Kept in step with incident_map by a trigger in the same transaction as every write, which only
-- appends (+1 for the new row, -1 for the old): concurrent saves never wait for or deadlock on a
-- shared count row, and readers sum. incident_rollup_fold() adds the appended rows up into one per
-- key (the store calls it every thousand saves; writes wait for it, reads do not);
-- incident_rollup_fill() recounts from incident_map (after a bulk import).
-- A missing year is -32768 (a missing first year passes every "starts by" test and a missing last
-- year fails every "ends after" test, as NULL dates do in the filter), a missing type or region ''.
CREATE TABLE incident_counts (
    type            text NOT NULL,
    subject         text NOT NULL,
    month_or_better boolean NOT NULL,
    start_year      smallint NOT NULL,
    end_year        smallint NOT NULL,
    drawn           boolean NOT NULL,
    n               integer NOT NULL
);

CREATE TABLE incident_cells (
    type            text NOT NULL,
    subject         text NOT NULL,
    month_or_better boolean NOT NULL,
    start_year      smallint NOT NULL,
    end_year        smallint NOT NULL,
    cell_x          smallint NOT NULL,
    cell_y          smallint NOT NULL,
    n               integer NOT NULL,
    sum_lon         double precision NOT NULL,
    sum_lat         double precision NOT NULL
);

-- an incident's keys in both tables (cell -1: no point, not in incident_cells)
CREATE FUNCTION incident_rollup_key(m incident_map, OUT type text, OUT subject text, OUT month_or_better boolean,
                                    OUT start_year smallint, OUT end_year smallint, OUT cell_x smallint,
                                    OUT cell_y smallint)
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(m.type, ''), coalesce(m.subject, ''), coalesce(m.date_precision IN ('day', 'month'), false),
           coalesce(extract(year FROM m.date_start)::smallint, -32768),
           coalesce(extract(year FROM m.date_end)::smallint, -32768),
           CASE WHEN m.geom IS NULL THEN -1 ELSE mod(floor((m.lon + 180) / 90 * 16)::integer, 64) END::smallint,
           CASE WHEN m.geom IS NULL THEN -1 ELSE floor((m.lat + 90) / 90 * 16)::integer END::smallint
$$;

CREATE FUNCTION incident_rollup_follows_map() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT * INTO k FROM incident_rollup_key(OLD);
        INSERT INTO incident_counts
        VALUES (k.type, k.subject, k.month_or_better, k.start_year, k.end_year, k.cell_x >= 0, -1);
        IF k.cell_x >= 0 THEN
            INSERT INTO incident_cells
            VALUES (k.type, k.subject, k.month_or_better, k.start_year, k.end_year, k.cell_x, k.cell_y, -1,
                    -OLD.lon, -OLD.lat);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT * INTO k FROM incident_rollup_key(NEW);
        INSERT INTO incident_counts
        VALUES (k.type, k.subject, k.month_or_better, k.start_year, k.end_year, k.cell_x >= 0, 1);
        IF k.cell_x >= 0 THEN
            INSERT INTO incident_cells
            VALUES (k.type, k.subject, k.month_or_better, k.start_year, k.end_year, k.cell_x, k.cell_y, 1,
                    NEW.lon, NEW.lat);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER incident_rollup_follows_map AFTER INSERT OR UPDATE OR DELETE ON incident_map
    FOR EACH ROW EXECUTE FUNCTION incident_rollup_follows_map();

-- both tables from incident_map in one pass each, one row per key (here, after a bulk import with
-- the trigger off, or to fold the rows saves appended)
CREATE FUNCTION incident_rollup_fill() RETURNS void LANGUAGE sql AS $$
    LOCK TABLE incident_map IN SHARE MODE;
    TRUNCATE incident_counts, incident_cells;
    INSERT INTO incident_counts
    SELECT k.type, k.subject, k.month_or_better, k.start_year, k.end_year, k.cell_x >= 0, count(*)
      FROM incident_map AS m, LATERAL incident_rollup_key(m) AS k
     GROUP BY 1, 2, 3, 4, 5, 6;
    INSERT INTO incident_cells
    SELECT k.type, k.subject, k.month_or_better, k.start_year, k.end_year, k.cell_x, k.cell_y, count(*), sum(m.lon),
           sum(m.lat)
      FROM incident_map AS m, LATERAL incident_rollup_key(m) AS k
     WHERE k.cell_x >= 0
     GROUP BY 1, 2, 3, 4, 5, 6, 7;
$$;
SELECT incident_rollup_fill();

-- the appended rows added up, one per key (writers wait the moment it takes; readers see either state)
CREATE FUNCTION incident_rollup_fold() RETURNS void LANGUAGE sql AS $$
    LOCK TABLE incident_counts, incident_cells IN EXCLUSIVE MODE;
    WITH appended AS (DELETE FROM incident_counts RETURNING *)
    INSERT INTO incident_counts
    SELECT type, subject, month_or_better, start_year, end_year, drawn, sum(n)
      FROM appended GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0;
    WITH appended AS (DELETE FROM incident_cells RETURNING *)
    INSERT INTO incident_cells
    SELECT type, subject, month_or_better, start_year, end_year, cell_x, cell_y, sum(n), sum(sum_lon), sum(sum_lat)
      FROM appended GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0;
$$;
