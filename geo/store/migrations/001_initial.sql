-- The team store: the register as structured rows with geometry, the change log, review decisions,
-- users. Applied once, in order, by geo.store.migrate; recorded in schema_migrations.
CREATE EXTENSION IF NOT EXISTS postgis;

-- Register files: what byte-identical export needs beyond the records (comments above the first
-- record and after the last; an empty file's "[]").
CREATE TABLE register_files (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]*\.yaml$'),
    kind        text NOT NULL CHECK (kind IN ('incident', 'site')),
    header      text NOT NULL DEFAULT '',
    trailer     text NOT NULL DEFAULT '',
    empty_list  boolean NOT NULL DEFAULT false
);

-- One row per incident or site. `doc` is the record as the register writes it (any field the schema
-- gains later needs no migration); `layout` is how its YAML is written (geo.store.layout);
-- `properties` is the built map feature (geo.build.layers), what the app and exports read.
-- The typed columns (lon ... location_precision, related) are extracted on every write, for the
-- filters and the map.
CREATE TABLE records (
    -- what the map scans comes first, fixed-width columns leading (cheaper to read per row)
    lon                double precision,
    lat                double precision,
    date_start         date,
    date_end           date,
    layer              text NOT NULL,    -- incidents, worksites, courts ...
    type               text,             -- incident type, or the site's kind
    date_precision     text,
    subject            text,             -- federal subject code the place resolved in
    actors             text[] NOT NULL DEFAULT '{}',
    source_docs        text[] NOT NULL DEFAULT '{}',
    geom               geometry(Point, 4326),
    id                 text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    kind               text NOT NULL CHECK (kind IN ('incident', 'site')),
    version            integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    title              text,
    country            text,
    location_precision text,
    related            text[] NOT NULL DEFAULT '{}',   -- as the record states it (not the symmetric closure)
    site               text,             -- the site an incident took place at (a court decision: its court)
    file               text NOT NULL REFERENCES register_files (name),
    position           integer NOT NULL,
    comments_before    text NOT NULL DEFAULT '',
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         text NOT NULL,
    doc                jsonb NOT NULL,
    layout             jsonb NOT NULL DEFAULT '{}',
    properties         json NOT NULL,    -- json, not jsonb: read back whole, in its key order
    UNIQUE (file, position),
    CHECK ((geom IS NULL) = (lon IS NULL))
);
-- Documents are compressed and moved out of line as soon as a row passes 128 bytes, so a scan for
-- the map reads only the narrow columns.
ALTER TABLE records SET (toast_tuple_target = 128);

CREATE INDEX records_incident_geom ON records USING gist (geom) WHERE layer = 'incidents';
CREATE INDEX records_type ON records (type) WHERE layer = 'incidents';
CREATE INDEX records_dates ON records (date_start, date_end) WHERE layer = 'incidents';
CREATE INDEX records_date_end ON records (date_end) WHERE layer = 'incidents';
CREATE INDEX records_subject ON records (subject) WHERE layer = 'incidents';
CREATE INDEX records_precision ON records (date_precision) WHERE layer = 'incidents';
CREATE INDEX records_actors ON records USING gin (actors) WHERE layer = 'incidents';
CREATE INDEX records_source_docs ON records USING gin (source_docs) WHERE layer = 'incidents';
CREATE INDEX records_related ON records USING gin (related);
CREATE INDEX records_site ON records (site);
CREATE INDEX records_layer ON records (layer);

CREATE VIEW incidents AS SELECT * FROM records WHERE layer = 'incidents';
CREATE VIEW sites AS SELECT * FROM records WHERE kind = 'site';

-- Source documents, with the hashes that pin the text the quotes were checked against.
CREATE TABLE sources (
    id               text PRIMARY KEY,
    title            text NOT NULL,
    filename         text,
    sha256_original  text CHECK (sha256_original ~ '^[0-9a-f]{64}$'),
    sha256_text      text CHECK (sha256_text ~ '^[0-9a-f]{64}$'),
    metadata         jsonb NOT NULL DEFAULT '{}'
);

-- The curated gazetteer (data/gazetteer.csv), one row per place.
CREATE TABLE gazetteer (
    id         text PRIMARY KEY,
    position   integer NOT NULL,
    name       text NOT NULL,
    name_ru    text NOT NULL DEFAULT '',
    aliases    text[] NOT NULL DEFAULT '{}',
    kind       text NOT NULL,
    subject    text,
    country    text NOT NULL,
    precision  text NOT NULL,
    source     text NOT NULL,
    note       text NOT NULL DEFAULT '',
    geom       geometry(Point, 4326) NOT NULL
);
CREATE INDEX gazetteer_geom ON gazetteer USING gist (geom);
CREATE INDEX gazetteer_name ON gazetteer (lower(name));

-- The change log: append-only. Every save (and every refused, conflicting attempt) is a row.
CREATE TABLE change_log (
    seq        bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    username   text NOT NULL,
    record_id  text,                 -- NULL for a store-wide event (an import)
    version    integer,
    outcome    text NOT NULL CHECK (outcome IN ('saved', 'conflict', 'imported')),
    changes    jsonb NOT NULL DEFAULT '[]',   -- [{field, before, after}]
    reason     text NOT NULL DEFAULT ''
);
CREATE INDEX change_log_record ON change_log (record_id, seq);

CREATE FUNCTION change_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the change log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log
    FOR EACH ROW EXECUTE FUNCTION change_log_is_append_only();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log
    FOR EACH STATEMENT EXECUTE FUNCTION change_log_is_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON change_log FROM PUBLIC;

-- Review decisions on proposed records (geoparser candidates), per source document.
CREATE TABLE review_decisions (
    seq        bigserial PRIMARY KEY,
    doc        text NOT NULL,
    candidate  text NOT NULL,
    decision   text NOT NULL CHECK (decision IN ('accept', 'reject')),
    username   text NOT NULL,
    reason     text NOT NULL DEFAULT '',
    record_id  text,
    at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- The latest decision per candidate counts; earlier ones stay as history.
CREATE INDEX review_decisions_candidate ON review_decisions (doc, candidate, seq DESC);

-- Users, sessions and sign-in attempts (geo.store.auth).
CREATE TABLE users (
    name           text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    role           text NOT NULL CHECK (role IN ('viewer', 'researcher', 'editor', 'admin')),
    password_hash  text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    password_set   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    token_sha256  text PRIMARY KEY,
    username      text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    client        text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (username);

CREATE TABLE sign_in_attempts (
    seq       bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    username  text NOT NULL,
    client    text NOT NULL,
    outcome   text NOT NULL CHECK (outcome IN ('ok', 'failed', 'throttled'))
);
CREATE INDEX sign_in_attempts_user ON sign_in_attempts (username, seq DESC);
CREATE INDEX sign_in_attempts_client ON sign_in_attempts (client, seq DESC);
