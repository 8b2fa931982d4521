"""The team store's writing side (mixed into geo.store.postgis.PostGISStore).

A save is one transaction: lock the record's row, compare versions, check the record as the build
would, write the document, its extracted columns, geometry and built feature, bump the version,
update the `related` links shown on the records it links to, and append to the change log. A
conflicting save writes nothing but its own change-log row ("conflict"), so the log shows both
attempts. Imports replace the register in one transaction.
"""
from __future__ import annotations

from geo.build.layers import check_register, incident_feature, site_feature, site_layer
from geo.deployment import refuse_writes
from geo.errors import Problem, RegisterError
from geo.evidence.register import Register
from geo.paths import SOURCES_DIR
from geo.store.base import (REVIEW_DECISIONS, ChangeEntry, ConnectionLost, FieldChange, Record, ReviewDecision,
                            SaveResult, StoreError, VersionConflict)
from geo.store.documents import check_document, document_of, field_changes, kind_of
from geo.store.importing import RecordRow, feature_row
from geo.store.layout import RegisterFile, house_layout

FOLD_EVERY = 1_000   # saves between two foldings of the map's rollup rows (migration 003)
RECORD_COLUMNS = ("id", "kind", "file", "position", "comments_before", "doc", "layout", "properties", "version",
                  "updated_by", "title", "type", "layer", "date_start", "date_end", "date_precision", "subject",
                  "country", "location_precision", "actors", "source_docs", "related", "site", "lon", "lat", "geom")


def _jsonb(value):
    from psycopg.types.json import Jsonb
    return Jsonb(value)


def _json(value):
    from psycopg.types.json import Json
    return Json(value)


def _date(value):
    import datetime as dt
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _record_values(row: RecordRow, version: int, user: str) -> tuple:
    c = row.columns()
    geom = f"SRID=4326;POINT({row.lon!r} {row.lat!r})" if row.lon is not None else None
    return (row.id, row.kind, row.file, row.position, row.comments_before, _jsonb(row.doc), _jsonb(row.layout),
            _json(row.properties), version, user, c["title"], c["type"], c["layer"], _date(c["date_start"]),
            _date(c["date_end"]), c["date_precision"], c["subject"], c["country"], c["location_precision"],
            c["actors"], c["source_docs"], c["related"], c["site"], row.lon, row.lat, geom)


def _changes_json(changes) -> list[dict]:
    return [{"field": c.field, "before": c.before, "after": c.after} for c in changes]


class PostGISWrites:
    """Mixed into PostGISStore, which provides `conn`."""

    # -- import and export -----------------------------------------------------------------------
    def import_register(self, files: list[RegisterFile], rows: list[RecordRow], sources, gazetteer_entries,
                        user: str, replace: bool = False, reason: str = "import of the file register") -> int:
        """Load a checked register (geo.store.importing.register_rows) in one transaction."""
        with self.conn.transaction():
            held = self.conn.execute("SELECT count(*) FROM records").fetchone()[0]
            if held and not replace:
                raise StoreError(f"the store already holds {held:,} records; pass --replace to replace them "
                                 "with the register (the change log keeps its history)")
            self.conn.execute("DELETE FROM records")
            self.conn.execute("DELETE FROM register_files")
            self.conn.execute("DELETE FROM sources")
            self.conn.execute("DELETE FROM gazetteer")
            with self.conn.cursor() as cur:
                cur.executemany("INSERT INTO register_files (name, kind, header, trailer, empty_list) "
                                "VALUES (%s, %s, %s, %s, %s)",
                                [(f.name, "site" if f.name.startswith("sites") else "incident", f.header, f.trailer,
                                  f.empty_list) for f in files])
                cur.executemany("INSERT INTO sources (id, title, filename, sha256_original, sha256_text, metadata) "
                                "VALUES (%s, %s, %s, %s, %s, %s)",
                                [(s.id, s.title, s.filename, s.sha256_original, s.sha256_text, _jsonb(s.metadata))
                                 for s in sources])
                cur.executemany("INSERT INTO gazetteer (id, position, name, name_ru, aliases, kind, subject, country,"
                                " precision, source, note, geom) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
                                " ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                                [(e.id, i, e.name, e.name_ru, list(e.aliases), e.kind, e.subject, e.country,
                                  e.precision, e.source, e.note, e.lon, e.lat) for i, e in enumerate(gazetteer_entries)])
            self.copy_records(rows, user)
            self.conn.execute("SELECT incident_rollup_fill()")   # one row per key, not the appended -1s and +1s
            self.conn.execute("INSERT INTO change_log (username, outcome, changes, reason) VALUES (%s, 'imported', %s, %s)",
                              (user, _jsonb([{"field": "records", "before": held, "after": len(rows)}]), reason))
        return len(rows)

    def copy_records(self, rows, user: str) -> None:
        """Bulk-insert record rows (COPY); the caller holds the transaction."""
        columns = ", ".join(RECORD_COLUMNS)
        with self.conn.cursor() as cur:
            with cur.copy(f"COPY records ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(_record_values(row, 1, user))

    def export_files(self) -> list[RegisterFile]:
        """The register files as the store holds them (for geo.store.importing.export_files)."""
        from geo.store.layout import RecordText
        files = {name: RegisterFile(name, header, trailer, [], empty) for name, header, trailer, empty in
                 self.conn.execute("SELECT name, header, trailer, empty_list FROM register_files ORDER BY name")}
        with self.conn.transaction(), self.conn.cursor(name="export") as cur:   # server-side: a large store streams
            cur.itersize = 5000
            cur.execute("SELECT file, doc, layout, comments_before FROM records ORDER BY file, position")
            for file, doc, layout, before in cur:
                files[file].records.append(RecordText(doc, layout, before))
        return list(files.values())

    # -- saving ------------------------------------------------------------------------------------
    def save_record(self, record: Record, expected_version: int | None, user: str, reason: str,
                    file: str | None = None, places=()) -> SaveResult:
        import psycopg
        refuse_writes(f"saving record {record.id!r}")
        try:
            return self._save(record, expected_version, user, reason, file, places)
        except (psycopg.OperationalError, ConnectionLost):
            raise StoreError(f"lost the connection to the store while saving {record.id!r}: a save is all or "
                             "nothing, so it is either complete or not made at all; your input is kept — reopen "
                             "the record to see which, then save again if needed") from None

    def _save(self, record: Record, expected_version, user: str, reason: str, file: str | None,
              places=()) -> SaveResult:
        kind = kind_of(record)
        attempted = None
        try:
            with self.conn.transaction():
                row = self.conn.execute("SELECT kind, doc, version, file FROM records WHERE id = %s FOR UPDATE",
                                        (record.id,)).fetchone()
                if row is None and expected_version is not None:
                    raise StoreError(f"record {record.id!r} is not in the store (removed since you opened it?); "
                                     "your input is kept: save it as a new record")
                if row is not None:
                    old_kind, old_doc, version, file = row
                    attempted = document_of(record, old_doc)
                    if expected_version != version:
                        since = [e for e in self.history(record.id) if e.outcome == "saved"
                                 and (expected_version is None or (e.version or 0) > expected_version)]
                        raise VersionConflict(record.id, expected_version, version, since,
                                              check_document(old_kind, old_doc))
                    if old_kind != kind:
                        raise StoreError(f"record {record.id!r} is a {old_kind}; it cannot become a {kind}")
                else:
                    old_doc, version, attempted = None, 0, document_of(record)
                changes = field_changes(old_doc, attempted)
                if not changes:
                    return SaveResult(record.id, version, ())
                changes += self._add_places(places)
                where = self._check(record, kind)
                saved = self._write(record, kind, where, attempted, old_doc, version, file, user)
                seq = self.conn.execute("INSERT INTO change_log (username, record_id, version, outcome, changes, reason) "
                                        "VALUES (%s, %s, %s, 'saved', %s, %s) RETURNING seq",
                                        (user, record.id, saved, _jsonb(_changes_json(changes)), reason)).fetchone()[0]
            if seq % FOLD_EVERY == 0:   # after the save's commit; the saved record does not depend on it
                self.conn.execute("SELECT incident_rollup_fold()")
            return SaveResult(record.id, saved, tuple(changes))
        except VersionConflict as conflict:
            current = conflict.current_record.model_dump(mode="json", exclude_unset=True) if conflict.current_record else None
            self.conn.execute("INSERT INTO change_log (username, record_id, version, outcome, changes, reason) "
                              "VALUES (%s, %s, %s, 'conflict', %s, %s)",
                              (user, record.id, expected_version,
                               _jsonb(_changes_json(field_changes(current, attempted))), reason))
            raise

    def _check(self, record: Record, kind: str):
        """The build's checks for one record (place, quotes, readings, court, names in ids), with
        its links to other records (related, site, court) checked against the store."""
        register = Register(incidents=[record] if kind == "incident" else [],
                            sites=[record] if kind == "site" else [], origin={record.id: "store"})
        checked = check_register(register, self._gazetteer(), SOURCES_DIR, "gazetteer")
        problems = [p for p in checked.problems if p.field not in ("related", "place.site", "court_decision.court")]
        related = list(getattr(record, "related", []))
        links = related + ([record.place.site] if record.place.site else [])
        known = dict(self.conn.execute("SELECT id, CASE WHEN kind = 'site' THEN type END FROM records "
                                       "WHERE id = ANY(%s)", (links,)).fetchall())
        report = lambda fld, msg: problems.append(Problem("store", record.id, fld, msg))  # noqa: E731
        for rel in related:
            if rel not in known and rel != record.id:
                report("related", f"no record with id {rel!r}")
        decision = getattr(record, "court_decision", None)
        court = decision.court if decision else None
        site = record.place.site
        if site and known.get(site) is None:
            report("court_decision.court" if court else "place.site", f"no site record with id {site!r}")
        elif court and known[court] != "court":
            report("court_decision.court", f"site {court!r} is a {known[court]}, not a court")
        if problems:
            raise RegisterError(problems)
        return checked.resolved[record.id]

    def _add_places(self, places) -> list[FieldChange]:
        """Gazetteer rows saved with a record (in its transaction): a row already there as given is
        kept, a different row under the same id is refused."""
        held = {e.id: e for e in self.gazetteer()}
        added = []
        for e in places:
            if e.id in held:
                if held[e.id] != e:
                    raise StoreError(f"the gazetteer already has a different place with id {e.id!r}; "
                                     "choose that place, or give the new one another name")
                continue
            self.conn.execute("INSERT INTO gazetteer (id, position, name, name_ru, aliases, kind, subject, country, "
                              "precision, source, note, geom) VALUES (%s, (SELECT coalesce(max(position) + 1, 0) "
                              "FROM gazetteer), %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                              "ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                              (e.id, e.name, e.name_ru, list(e.aliases), e.kind, e.subject, e.country, e.precision,
                               e.source, e.note, e.lon, e.lat))
            added.append(FieldChange(f"gazetteer/{e.id}", None, {**e.__dict__, "aliases": list(e.aliases)}))
        return added

    def _gazetteer(self):
        from geo.places.boundaries import load_subjects
        from geo.places.gazetteer import Gazetteer
        return Gazetteer(self.gazetteer(), load_subjects())

    def _titles(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, title FROM sources").fetchall())

    def _closure(self, record_id: str, own: list[str]) -> list[str]:
        """The symmetric `related` a record's feature shows: its own links and those pointing at it."""
        back = [r[0] for r in self.conn.execute("SELECT id FROM records WHERE related @> ARRAY[%s]", (record_id,))]
        return sorted(set(own) | set(back) - {record_id})

    def _at_site(self, site_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM records WHERE layer = 'incidents' AND site = %s ORDER BY id", (site_id,))]

    def _feature(self, record, kind: str, where) -> dict:
        """The record's built map feature, as geo.build.layers makes it, with what it shows of
        other records (related both ways, its court's name, a site's incidents) from the store."""
        titles = self._titles()
        if kind == "incident":
            own = list(record.related)
            court = record.court_decision.court if record.court_decision else None
            names = dict(self.conn.execute("SELECT id, title FROM records WHERE id = %s AND kind = 'site'",
                                           (court,)).fetchall()) if court else {}
            return incident_feature(record, where, {record.id: self._closure(record.id, own)}, titles, names)
        return site_feature(record, where, site_layer(record.kind), titles, self._at_site(record.id))

    def _patch(self, record_id: str, **changes) -> None:
        found = self.conn.execute("SELECT properties FROM records WHERE id = %s", (record_id,)).fetchone()
        if found:
            self.conn.execute("UPDATE records SET properties = %s WHERE id = %s",
                              (_json({**found[0], **changes}), record_id))

    def _write(self, record, kind, where, doc, old_doc, version, file, user) -> int:
        feature = self._feature(record, kind, where)
        if old_doc is None:
            file = file or f"{'sites' if kind == 'site' else 'incidents'}-{record.sources[0].doc}.yaml"
            self.conn.execute("INSERT INTO register_files (name, kind) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                              (file, kind))
            position = self.conn.execute("SELECT coalesce(max(position) + 1, 0) FROM records WHERE file = %s",
                                         (file,)).fetchone()[0]
            before = "\n" if position else ""
            row = feature_row(kind, file, position, before, doc, house_layout(doc), feature)
            self.conn.execute(f"INSERT INTO records ({', '.join(RECORD_COLUMNS)}) VALUES "
                              f"({', '.join(['%s'] * len(RECORD_COLUMNS))})", _record_values(row, 1, user))
            saved, old_site = 1, None
        else:
            layout, before, old_site = self.conn.execute(
                "SELECT layout, comments_before, site FROM records WHERE id = %s", (record.id,)).fetchone()
            row = feature_row(kind, file, 0, before, doc, layout, feature)
            values = dict(zip(RECORD_COLUMNS, _record_values(row, version + 1, user)))
            for fixed in ("id", "kind", "file", "position", "comments_before", "layout"):
                values.pop(fixed)
            assignments = ", ".join(f"{column} = %s" for column in values)
            self.conn.execute(f"UPDATE records SET {assignments}, updated_at = now() WHERE id = %s",
                              (*values.values(), record.id))
            saved = version + 1
        # what other records' features show of this one
        if kind == "incident":
            old_links = set((old_doc or {}).get("related") or [])
            for neighbour in sorted(old_links ^ set(record.related)):   # related links show both ways
                found = self.conn.execute("SELECT related FROM records WHERE id = %s AND layer = 'incidents'",
                                          (neighbour,)).fetchone()
                if found:
                    self._patch(neighbour, related=self._closure(neighbour, found[0]))
            for site in {old_site, record.place.site} - {None}:      # a site lists its incidents
                self._patch(site, incidents=self._at_site(site))
        else:
            for (incident,) in self.conn.execute("SELECT id FROM records WHERE layer = 'incidents' AND site = %s "
                                                 "AND properties->>'court' = %s", (record.id, record.id)).fetchall():
                self._patch(incident, court_name=record.name)         # a decision names its court
        return saved

    # -- the change log and review decisions ---------------------------------------------------
    def history(self, record_id: str | None = None) -> list[ChangeEntry]:
        sql = "SELECT at, username, record_id, version, outcome, changes, reason FROM change_log"
        rows = (self.conn.execute(sql + " WHERE record_id = %s ORDER BY seq", (record_id,)) if record_id
                else self.conn.execute(sql + " ORDER BY seq")).fetchall()
        return [ChangeEntry(at, user, rid, version, outcome,
                            tuple(FieldChange(c["field"], c["before"], c["after"]) for c in changes), reason)
                for at, user, rid, version, outcome, changes, reason in rows]

    def record_review(self, decision: ReviewDecision) -> None:
        refuse_writes(f"recording a review decision on {decision.candidate!r}")
        if decision.decision not in REVIEW_DECISIONS:
            raise StoreError(f"a review decision is one of {', '.join(REVIEW_DECISIONS)}, not {decision.decision!r}")
        self.conn.execute("INSERT INTO review_decisions (doc, candidate, decision, username, reason, record_id) "
                          "VALUES (%s, %s, %s, %s, %s, %s)",
                          (decision.doc, decision.candidate, decision.decision, decision.user, decision.reason,
                           decision.record_id))

    def review_decisions(self, doc: str | None = None) -> list[ReviewDecision]:
        """The latest decision per candidate (of one document, or all), in the order they were made."""
        rows = self.conn.execute("""
            SELECT doc, candidate, decision, username, reason, record_id, at FROM (
                SELECT DISTINCT ON (doc, candidate) * FROM review_decisions
                 WHERE %s::text IS NULL OR doc = %s ORDER BY doc, candidate, seq DESC) latest
             ORDER BY seq""", (doc, doc)).fetchall()
        return [ReviewDecision(*row) for row in rows]


def import_dataset(store, rows, file: str, user: str, replace: bool = False) -> int:
    """Load a built dataset's rows (geo.store.importing.dataset_rows) into `store` in one transaction,
    as register file `file`; the indexes are rebuilt once at the end rather than row by row."""
    with store.conn.transaction():
        held = store.conn.execute("SELECT count(*) FROM records").fetchone()[0]
        if held and not replace:
            raise StoreError(f"the store already holds {held:,} records; pass --replace to replace them")
        store.conn.execute("TRUNCATE incident_counts, incident_cells, incident_map, records")
        store.conn.execute("DELETE FROM register_files")
        store.conn.execute("INSERT INTO register_files (name, kind) VALUES (%s, 'incident')", (file,))
        # secondary indexes are dropped for the load and built once after it, from their own
        # definitions; the map table is filled in one statement instead of a trigger call per row
        indexes = store.conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename IN ('records', 'incident_map') "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)").fetchall()
        for name, _ in indexes:
            store.conn.execute(f'DROP INDEX "{name}"')
        store.conn.execute("ALTER TABLE records DISABLE TRIGGER incident_map_follows_records")
        counted = _Counted(rows)
        store.copy_records(counted, user)
        store.conn.execute("ALTER TABLE records ENABLE TRIGGER incident_map_follows_records")
        store.conn.execute("ALTER TABLE incident_map DISABLE TRIGGER incident_rollup_follows_map")
        store.conn.execute("""INSERT INTO incident_map (lon, lat, date_start, date_end, type, date_precision, subject,
                                                        actors, source_docs, geom, id)
                              SELECT lon, lat, date_start, date_end, type, date_precision, subject, actors,
                                     source_docs, geom, id FROM records WHERE layer = 'incidents'""")
        store.conn.execute("ALTER TABLE incident_map ENABLE TRIGGER incident_rollup_follows_map")
        store.conn.execute("SELECT incident_rollup_fill()")   # migration 003
        for _, definition in indexes:
            store.conn.execute(definition)
        store.conn.execute("INSERT INTO change_log (username, outcome, changes, reason) VALUES (%s, 'imported', %s, %s)",
                           (user, _jsonb([{"field": "records", "before": held, "after": counted.n}]),
                            f"import of a built dataset as {file}"))
    store.conn.execute("VACUUM ANALYZE records")
    store.conn.execute("VACUUM ANALYZE incident_map")
    store.conn.execute("VACUUM ANALYZE incident_counts")
    store.conn.execute("VACUUM ANALYZE incident_cells")
    return counted.n


class _Counted:
    def __init__(self, rows):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row
