"""The PostGIS store against a real PostgreSQL + PostGIS (tests/postgis_fixture.py)."""
from __future__ import annotations

import copy
import threading
import time

import numpy as np
import pandas as pd
import psycopg
import pytest

from geo.errors import RegisterError
from geo.evidence.register import load_register
from geo.paths import REGISTER_DIR
from geo.places.gazetteer import read_gazetteer
from geo.store.base import ReviewDecision, StoreError, VersionConflict
from geo.store.importing import export_files, register_rows, source_documents
from geo.store.postgis import PostGISStore
from geo.view.dataset import load_layer
from geo.view.filters import IncidentFilter
from geo.view.scale import Viewport, coordinates, plan


COMMITTED = load_register()
N_INCIDENTS, N_SITES = len(COMMITTED.incidents), len(COMMITTED.sites)
N_RECORDS, N_FILES = N_INCIDENTS + N_SITES, len(list(REGISTER_DIR.glob("*.yaml")))


@pytest.fixture(scope="session")
def register_snapshot():
    """The checked register as store rows (computed once; the tests copy what they change)."""
    files, rows = register_rows()
    return files, rows, source_documents(), read_gazetteer()


def _import(url, snapshot):
    store = PostGISStore(url)
    files, rows, sources, gazetteer = copy.deepcopy(snapshot)
    store.import_register(files, rows, sources, gazetteer, "importer")
    return store


@pytest.fixture
def store(postgis_url, register_snapshot):
    with _import(postgis_url, register_snapshot) as store:
        yield store


@pytest.fixture(scope="module")
def read_store(postgis_cluster, register_snapshot):
    """One imported store for the tests that only read."""
    import psycopg as pg
    with pg.connect(postgis_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE incidents_read TEMPLATE incidents_template")
    with _import(postgis_cluster.url("incidents_read"), register_snapshot) as store:
        yield store
    with pg.connect(postgis_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute("DROP DATABASE incidents_read WITH (FORCE)")


def test_import_then_export_is_byte_identical_to_the_committed_register(read_store, tmp_path):
    written = export_files(read_store.export_files(), tmp_path)
    committed = sorted(REGISTER_DIR.glob("*.yaml"))
    assert [p.name for p in written] == [p.name for p in committed]
    for path in committed:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_records_are_rows_with_typed_columns_and_geometry(read_store):
    store = read_store
    conn = store.conn
    courts = conn.execute("SELECT count(*) FROM records WHERE type = 'court_decision'").fetchone()[0]
    assert courts == sum(r.type == "court_decision" for r in store.load_register().incidents) > 0
    srid, geometry_type = conn.execute(
        "SELECT ST_SRID(geom), GeometryType(geom) FROM records WHERE geom IS NOT NULL LIMIT 1").fetchone()
    assert (srid, geometry_type) == (4326, "POINT")
    khabarovsk = conn.execute("SELECT count(*) FROM records WHERE layer = 'incidents' AND "
                              "geom && ST_MakeEnvelope(134, 48, 136, 49, 4326)").fetchone()[0]
    assert khabarovsk > 0
    # the document keeps every field as written; a field the schema gains later needs no migration
    assert conn.execute("SELECT doc->'date'->>'as_written' FROM records WHERE id = 'mem20-refugee-status-2011'"
                        ).fetchone()[0] == "2011"


def test_the_register_sources_and_gazetteer_read_back(read_store):
    store = read_store
    register = store.load_register()
    assert (len(register.incidents), len(register.sites)) == (N_INCIDENTS, N_SITES)
    assert {d.id for d in store.sources()} >= {"amnesty-1996", "memorial-2020", "un-sr-2016"}
    assert [e.id for e in store.gazetteer()] == [e.id for e in read_gazetteer()]
    assert store.gazetteer()[0] == read_gazetteer()[0]


def test_layers_read_from_the_store_match_the_built_files(read_store):
    for name in ("incidents", "courts", "worksites"):
        ours, built = read_store.layer(name), load_layer(name)
        pd.testing.assert_frame_equal(ours, built)


FILTERS = [
    IncidentFilter(),
    IncidentFilter(start_year=2018, end_year=2019),
    IncidentFilter(types=("court_decision", "arrest_detention")),
    IncidentFilter(actors=("dprk_security",), month_or_better=True),
    IncidentFilter(docs=("amnesty-1996",), subjects=("RU-KHA", "RU-PRI", "RU-AMU")),
    IncidentFilter(types=()),
]


@pytest.mark.parametrize("view", FILTERS, ids=lambda v: str(v.to_params()) or "all")
@pytest.mark.parametrize("center,zoom,limit", [((47, 133), 4, 1500), ((47, 133), 4, 5), ((48.5, 135), 9, 1500),
                                               ((47, -170), 3, 5)])
def test_viewport_query_plans_what_the_file_path_plans(read_store, view, center, zoom, limit):
    incidents = load_layer("incidents")
    viewport = Viewport.around(center, zoom)
    ours = read_store.viewport(view, viewport, limit=limit)
    mask = view.mask(incidents).to_numpy()
    lon, lat = coordinates(incidents)
    inside = mask & ~np.isnan(lon) & (((lon - viewport.west) % 360) <= viewport.east - viewport.west) \
        & (lat >= viewport.south) & (lat <= viewport.north)
    assert ours.in_view == int(inside.sum())
    if ours.in_view <= limit:
        assert list(ours.markers.index) == list(incidents.index[inside])
        assert ours.cells.empty
    else:   # the same cells as geo.view.scale.plan draws
        theirs = plan(incidents.iloc[np.flatnonzero(inside)], viewport, limit=limit)
        assert ours.cells["count"].tolist() == theirs.cells["count"].tolist()
        assert np.allclose(ours.cells[["lat", "lon", "west", "north"]].to_numpy(dtype=float),
                           theirs.cells[["lat", "lon", "west", "north"]].to_numpy(dtype=float))
    counts = read_store.counts(view)
    assert counts.total == int(mask.sum()) and counts.not_drawn == int((mask & np.isnan(lon)).sum())
    together, same = read_store.filter_change(view, viewport, limit=limit)   # one scan for both
    assert together == counts and same.in_view == ours.in_view and same.not_drawn == counts.not_drawn
    assert list(same.markers.index) == list(ours.markers.index)
    assert same.cells["count"].tolist() == ours.cells["count"].tolist()


def _edited(store, record_id, **changes):
    stored = store.record(record_id)
    return stored, stored.record.model_copy(update=changes)


def test_save_bumps_the_version_logs_each_field_and_exports_only_that_change(store, tmp_path):
    stored, edited = _edited(store, "mem20-refugee-status-2011", outcome="Status granted to one applicant.",
                             people_affected=2)
    result = store.save_record(edited, stored.version, "editor-a", "corrected from the report")
    assert result.version == stored.version + 1
    assert {c.field for c in result.changes} == {"outcome", "people_affected"}
    entry = store.history("mem20-refugee-status-2011")[-1]
    assert (entry.user, entry.outcome, entry.reason) == ("editor-a", "saved", "corrected from the report")
    assert {c.field: (c.before, c.after) for c in entry.changes}["people_affected"] == (1, 2)
    # the typed columns and the built feature follow the document
    assert store.layer("incidents").loc["mem20-refugee-status-2011", "people_affected"] == 2
    export_files(store.export_files(), tmp_path)
    before = (REGISTER_DIR / "incidents-memorial-2020.yaml").read_text().splitlines()
    after = (tmp_path / "incidents-memorial-2020.yaml").read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and changed == [
        ("  people_affected: 1", "  people_affected: 2"),
        ("  outcome: Refugee status granted to one DPRK citizen, the only such grant among 207 applicants in 2011-2019.",
         "  outcome: Status granted to one applicant.")]


def test_a_second_editor_saving_the_same_version_gets_a_conflict_and_nothing_is_lost(store):
    stored = store.record("agr-2017-unsc-2375")
    first = stored.record.model_copy(update={"outcome": "First editor's outcome."})
    second = stored.record.model_copy(update={"notes": "Second editor's note."})
    store.save_record(first, stored.version, "editor-a", "first")
    with pytest.raises(VersionConflict) as caught:
        store.save_record(second, stored.version, "editor-b", "second")
    conflict = caught.value
    assert conflict.current == stored.version + 1 and conflict.expected == stored.version
    assert [c.field for e in conflict.since for c in e.changes] == ["outcome"]
    assert "editor-a" in str(conflict) and "outcome" in str(conflict) and "not saved" in str(conflict)
    assert conflict.current_record.outcome == "First editor's outcome."
    log = store.history("agr-2017-unsc-2375")
    assert [(e.user, e.outcome) for e in log] == [("editor-a", "saved"), ("editor-b", "conflict")]
    assert any(c.field == "notes" and c.after == "Second editor's note." for c in log[-1].changes)
    assert store.record("agr-2017-unsc-2375").record.outcome == "First editor's outcome."


def test_concurrent_saves_of_one_record_serialise_one_wins(store, postgis_url):
    stored = store.record("agr-2017-unsc-2375")
    results, barrier = [], threading.Barrier(4)

    def save(n):
        with PostGISStore(postgis_url, migrate_schema=False) as own:
            barrier.wait()
            try:
                own.save_record(stored.record.model_copy(update={"notes": f"note {n}"}), stored.version, f"u{n}", "race")
                results.append("saved")
            except VersionConflict:
                results.append("conflict")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict"] * 3 + ["saved"]
    assert store.record("agr-2017-unsc-2375").version == stored.version + 1
    assert sum(e.outcome == "conflict" for e in store.history("agr-2017-unsc-2375")) == 3


def test_a_save_that_fails_the_checks_writes_nothing(store):
    stored = store.record("agr-2017-unsc-2375")
    bad = stored.record.model_copy(update={"related": ["no-such-record"]})
    with pytest.raises(RegisterError, match="no record with id 'no-such-record'"):
        store.save_record(bad, stored.version, "editor-a", "typo")
    assert store.record("agr-2017-unsc-2375").version == stored.version
    assert store.history("agr-2017-unsc-2375") == []


def test_related_links_show_both_ways_after_a_save(store):
    stored = store.record("agr-2017-unsc-2375")
    linked = stored.record.model_copy(update={"related": [*stored.record.related, "mem20-refugee-status-2011"]})
    store.save_record(linked, stored.version, "editor-a", "link")
    incidents = store.layer("incidents")
    assert "agr-2017-unsc-2375" in incidents.loc["mem20-refugee-status-2011", "related"]


def test_a_new_record_goes_to_its_source_file_and_a_duplicate_id_is_refused(store, tmp_path):
    template = store.record("mem20-refugee-status-2011").record
    new = template.model_copy(update={"id": "mem20-test-new-record", "related": []})
    assert store.save_record(new, None, "editor-a", "new").version == 1
    assert store.record("mem20-test-new-record").file == "incidents-memorial-2020.yaml"
    with pytest.raises(VersionConflict, match="already exists"):
        store.save_record(new, None, "editor-b", "again")
    export_files(store.export_files(), tmp_path)
    text = (tmp_path / "incidents-memorial-2020.yaml").read_text()
    assert text.startswith((REGISTER_DIR / "incidents-memorial-2020.yaml").read_text())
    assert "\n- id: mem20-test-new-record\n" in text


def test_a_record_saved_with_a_new_gazetteer_place_resolves_to_it(store, tmp_path):
    from geo.places.gazetteer import GazetteerEntry
    template = store.record("mem20-refugee-status-2011").record
    point = GazetteerEntry("logging-camp-3", "Logging camp No. 3", "", (), "site", "RU-AMU", "RU", 53.1, 127.9,
                           "exact_site", "researched: satellite image 2023-05-02", "point set on the map in the record form")
    new = template.model_copy(update={"id": "mem20-test-camp", "related": [], "place": template.place.model_copy(
        update={"name": "Logging camp No. 3", "subject": "RU-AMU", "precision": "exact_site"})})
    result = store.save_record(new, None, "editor-a", "new", places=(point,))
    assert "gazetteer/logging-camp-3" in [c.field for c in result.changes]
    assert [e for e in store.gazetteer() if e.id == "logging-camp-3"] == [point]
    feature = store.layer("incidents").loc["mem20-test-camp"]
    assert (feature["place_id"], round(feature.geometry.y, 1)) == ("logging-camp-3", 53.1)
    export_files(store.export_files(), tmp_path)
    assert "    quote: >-\n" in (tmp_path / "incidents-memorial-2020.yaml").read_text().split("mem20-test-camp")[1]


def test_the_change_log_is_append_only(store):
    stored, edited = _edited(store, "agr-2017-unsc-2375", notes="x")
    store.save_record(edited, stored.version, "editor-a", "edit")
    for statement in ("UPDATE change_log SET username = 'someone-else'", "DELETE FROM change_log",
                      "TRUNCATE change_log"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            store.conn.execute(statement)
    assert [e.user for e in store.history("agr-2017-unsc-2375")] == ["editor-a"]


def test_review_decisions_keep_history_and_report_the_latest(store):
    store.record_review(ReviewDecision("memorial-2020", "p12-s3", "reject", "editor-a", "not an incident"))
    store.record_review(ReviewDecision("memorial-2020", "p12-s3", "accept", "editor-b", "it is", "mem20-x"))
    store.record_review(ReviewDecision("amnesty-1996", "p2-s1", "reject", "editor-a", "duplicate"))
    latest = store.review_decisions("memorial-2020")
    assert [(d.candidate, d.decision, d.user, d.record_id) for d in latest] == [("p12-s3", "accept", "editor-b", "mem20-x")]
    assert len(store.review_decisions()) == 2
    assert store.conn.execute("SELECT count(*) FROM review_decisions").fetchone()[0] == 3
    with pytest.raises(StoreError, match="accept, reject"):
        store.record_review(ReviewDecision("amnesty-1996", "p2-s1", "maybe", "editor-a"))


def test_a_second_import_needs_replace(store, register_snapshot):
    files, rows, sources, gazetteer = copy.deepcopy(register_snapshot)
    with pytest.raises(StoreError, match=f"already holds {N_RECORDS} records; pass --replace"):
        store.import_register(files, rows, [], [], "importer")
    assert store.import_register(files, rows, sources, gazetteer, "importer", replace=True) == N_RECORDS
    assert [e.outcome for e in store.history()] == ["imported", "imported"]


def test_migrations_are_recorded_and_an_edited_migration_is_refused(postgis_url, tmp_path):
    from geo.store.migrate import MIGRATIONS_DIR, migrate
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        assert migrate(conn) == []    # the template database is migrated already
        names = [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY version")]
        assert names == sorted(p.name for p in MIGRATIONS_DIR.glob("*.sql"))
        for path in MIGRATIONS_DIR.glob("*.sql"):
            (tmp_path / path.name).write_text(path.read_text() + "\n-- edited\n")
        with pytest.raises(StoreError, match="was changed after it was applied"):
            migrate(conn, tmp_path)


def _cli(*args, env=None):
    import os
    import subprocess
    import sys
    environment = {k: v for k, v in os.environ.items() if k != "INCIDENT_STORE"} | (env or {})
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, env=environment)


def test_store_import_and_export_commands(postgis_url, tmp_path):
    imported = _cli("store", "import", "--store", postgis_url)
    assert imported.returncode == 0 and f"imported {N_RECORDS} records from {N_FILES} files" in imported.stdout
    again = _cli("store", "import", "--store", postgis_url)
    assert again.returncode == 2 and "pass --replace" in again.stderr and "Traceback" not in again.stderr
    exported = _cli("store", "export", "--out", str(tmp_path / "register"), env={"INCIDENT_STORE": postgis_url})
    assert exported.returncode == 0 and f"wrote {N_FILES} register files ({N_RECORDS} records)" in exported.stdout
    for path in REGISTER_DIR.glob("*.yaml"):
        assert (tmp_path / "register" / path.name).read_bytes() == path.read_bytes()


def test_the_local_team_cluster_starts_imports_once_and_stops(postgis_cluster, tmp_path):
    from geo.store.cluster import free_port
    import tempfile
    from pathlib import Path
    folder = Path(tempfile.mkdtemp(prefix="incident-local-test-"))   # in /tmp: the server user must reach it
    env = {"INCIDENT_PG_PORT": str(free_port())}
    try:
        first = _cli("store", "local", "start", "--dir", str(folder), env=env)
        assert first.returncode == 0, first.stderr
        url = first.stdout.strip()
        assert url.startswith("postgresql://incident:") and "@127.0.0.1:" in url
        assert f"imported {N_RECORDS} records" in first.stderr
        assert oct((folder / "store-url").stat().st_mode & 0o777) == "0o600"
        second = _cli("store", "local", "start", "--dir", str(folder), env=env)
        assert second.returncode == 0 and second.stdout.strip() == url and "imported" not in second.stderr
        status = _cli("store", "status", "--store", url)
        assert f"incident {N_INCIDENTS}, site {N_SITES}" in status.stdout and url.split("@")[0].split(":")[-1] not in status.stdout
        with pytest.raises(psycopg.OperationalError):   # the password is required
            psycopg.connect(url.replace(url.split("@")[0].split(":")[-1] + "@", "wrong@"), connect_timeout=5)
    finally:
        _cli("store", "local", "stop", "--dir", str(folder))
        import shutil
        shutil.rmtree(folder, ignore_errors=True)


def test_the_map_table_follows_every_save(store):
    arrests = IncidentFilter(types=("arrest_detention",))
    before = store.counts(arrests).total
    stored = store.record("mem20-refugee-status-2011")
    store.save_record(stored.record.model_copy(update={"type": "arrest_detention"}), stored.version, "e", "retype")
    assert store.counts(arrests).total == before + 1
    mapped = store.conn.execute("SELECT count(*) FROM incident_map").fetchone()[0]
    assert mapped == store.conn.execute("SELECT count(*) FROM records WHERE layer = 'incidents'").fetchone()[0] == N_INCIDENTS


def test_a_dropped_connection_is_a_clear_error_and_the_store_reconnects(store, postgis_url):
    stored = store.record("agr-2017-unsc-2375")
    with psycopg.connect(postgis_url, autocommit=True) as admin:   # what a server restart does to sessions
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        while admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND pid <> pg_backend_pid()").fetchone()[0]:
            time.sleep(0.05)
    # the connection the server ended while idle is replaced before it is used: the save is made
    assert store.save_record(stored.record.model_copy(update={"notes": "n"}), stored.version, "e", "r").version \
        == stored.version + 1
    # the server drops it in the middle of a save: a clear error, and nothing of that save is written
    original = type(store)._write

    def write_then_lose_the_server(self, *args, **kwargs):
        version = original(self, *args, **kwargs)
        self.conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return version

    store._write = write_then_lose_the_server.__get__(store)
    with pytest.raises(StoreError, match="lost the connection to the store while saving 'agr-2017-unsc-2375'"):
        store.save_record(stored.record.model_copy(update={"notes": "m"}), stored.version + 1, "e", "r2")
    del store._write
    assert store.record("agr-2017-unsc-2375").version == stored.version + 1    # reconnected; nothing half-saved
    assert store.record("agr-2017-unsc-2375").record.notes == "n"
    assert [e.reason for e in store.history("agr-2017-unsc-2375")] == ["r"]
