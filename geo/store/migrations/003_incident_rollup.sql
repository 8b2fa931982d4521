-- Counts of the incidents per filter value and coarse map cell, so a filter change with broad
-- filters reads a few thousand rows instead of every incident (geo.store.postgis answers from it a
-- filter on types, regions, date precision and whole years; anything else scans incident_map).
-- Kept in step with incident_map by a trigger in the same transaction as every write.
-- No NULLs, so one unique index serves the trigger's upsert: a missing year is -32768 (a missing
-- start year passes every "starts by" test, a missing end year fails every "ends after" test, as
-- NULL dates do in the filter), a missing type/region/precision is '', no point is cell -1.
-- cell_x/cell_y: the cell of geo.view.scale.Grid at zoom 7 (0.7 degrees), floor((lon + 180) / 90 *
-- 128); a coarser zoom's cell is cell_x / 2^(7 - zoom).
CREATE TABLE incident_rollup (
    type           text NOT NULL,
    subject        text NOT NULL,
    date_precision text NOT NULL,
    start_year     smallint NOT NULL,
    end_year       smallint NOT NULL,
    cell_x         integer NOT NULL,
    cell_y         integer NOT NULL,
    n              integer NOT NULL,
    sum_lon        double precision NOT NULL,
    sum_lat        double precision NOT NULL,
    PRIMARY KEY (type, subject, date_precision, start_year, end_year, cell_x, cell_y)
);

CREATE FUNCTION incident_rollup_key(m incident_map, OUT type text, OUT subject text, OUT date_precision text,
                                    OUT start_year smallint, OUT end_year smallint, OUT cell_x integer,
                                    OUT cell_y integer)
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(m.type, ''), coalesce(m.subject, ''), coalesce(m.date_precision, ''),
           coalesce(extract(year FROM m.date_start)::smallint, -32768),
           coalesce(extract(year FROM m.date_end)::smallint, -32768),
           CASE WHEN m.geom IS NULL THEN -1 ELSE mod(floor((m.lon + 180) / 90 * 128)::integer, 512) END,
           CASE WHEN m.geom IS NULL THEN -1 ELSE floor((m.lat + 90) / 90 * 128)::integer END
$$;

CREATE FUNCTION incident_rollup_follows_map() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT * INTO k FROM incident_rollup_key(OLD);
        UPDATE incident_rollup AS r SET n = r.n - 1, sum_lon = r.sum_lon - coalesce(OLD.lon, 0),
                                        sum_lat = r.sum_lat - coalesce(OLD.lat, 0)
         WHERE (r.type, r.subject, r.date_precision, r.start_year, r.end_year, r.cell_x, r.cell_y)
             = (k.type, k.subject, k.date_precision, k.start_year, k.end_year, k.cell_x, k.cell_y);
        DELETE FROM incident_rollup AS r
         WHERE (r.type, r.subject, r.date_precision, r.start_year, r.end_year, r.cell_x, r.cell_y)
             = (k.type, k.subject, k.date_precision, k.start_year, k.end_year, k.cell_x, k.cell_y) AND r.n = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT * INTO k FROM incident_rollup_key(NEW);
        INSERT INTO incident_rollup AS r VALUES (k.type, k.subject, k.date_precision, k.start_year, k.end_year,
                                                 k.cell_x, k.cell_y, 1, coalesce(NEW.lon, 0), coalesce(NEW.lat, 0))
        ON CONFLICT (type, subject, date_precision, start_year, end_year, cell_x, cell_y)
        DO UPDATE SET n = r.n + 1, sum_lon = r.sum_lon + excluded.sum_lon, sum_lat = r.sum_lat + excluded.sum_lat;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER incident_rollup_follows_map AFTER INSERT OR UPDATE OR DELETE ON incident_map
    FOR EACH ROW EXECUTE FUNCTION incident_rollup_follows_map();

INSERT INTO incident_rollup
SELECT (k).*, count(*), coalesce(sum(m.lon), 0), coalesce(sum(m.lat), 0)
  FROM (SELECT incident_rollup_key(m) AS k, m.lon, m.lat FROM incident_map AS m) AS m
 GROUP BY k;
