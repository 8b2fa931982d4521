-- The map's own narrow table: what the viewport query and the counts scan, ~1/10 of a records row.
-- Kept in step with `records` by a trigger in the same transaction as every write, so no code path
-- can forget it. A full scan (a zoomed-out view with broad filters) reads ~190 bytes per incident
-- instead of the whole row; the documents stay in `records`.
CREATE TABLE incident_map (
    lon            double precision,
    lat            double precision,
    date_start     date,
    date_end       date,
    type           text,
    date_precision text,
    subject        text,
    actors         text[] NOT NULL DEFAULT '{}',
    source_docs    text[] NOT NULL DEFAULT '{}',
    geom           geometry(Point, 4326),
    id             text PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE
);
CREATE INDEX incident_map_geom ON incident_map USING gist (geom);
CREATE INDEX incident_map_type ON incident_map (type);
CREATE INDEX incident_map_dates ON incident_map (date_start, date_end);
CREATE INDEX incident_map_date_end ON incident_map (date_end);
CREATE INDEX incident_map_subject ON incident_map (subject);
CREATE INDEX incident_map_precision ON incident_map (date_precision);
CREATE INDEX incident_map_actors ON incident_map USING gin (actors);
CREATE INDEX incident_map_source_docs ON incident_map USING gin (source_docs);

-- records carries the same columns; their partial indexes are no longer needed for the map
DROP INDEX records_incident_geom, records_type, records_dates, records_date_end, records_subject,
           records_precision, records_actors, records_source_docs;

CREATE FUNCTION incident_map_follows_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM incident_map WHERE id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.layer = 'incidents' THEN
        INSERT INTO incident_map (lon, lat, date_start, date_end, type, date_precision, subject, actors,
                                  source_docs, geom, id)
        VALUES (NEW.lon, NEW.lat, NEW.date_start, NEW.date_end, NEW.type, NEW.date_precision, NEW.subject,
                NEW.actors, NEW.source_docs, NEW.geom, NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER incident_map_follows_records AFTER INSERT OR UPDATE OR DELETE ON records
    FOR EACH ROW EXECUTE FUNCTION incident_map_follows_records();

INSERT INTO incident_map (lon, lat, date_start, date_end, type, date_precision, subject, actors, source_docs, geom, id)
SELECT lon, lat, date_start, date_end, type, date_precision, subject, actors, source_docs, geom, id
  FROM records WHERE layer = 'incidents';
