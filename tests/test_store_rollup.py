"""The map's rollup (incident_counts, incident_cells) against the unaggregated query and geo.view.scale.plan, on a
few thousand synthetic incidents: a filter change answered from it shows the same counts and cells."""
from __future__ import annotations

import numpy as np
import pytest

from geo.build.synth import synthesize
from geo.store.importing import dataset_rows
from geo.store.postgis import PostGISStore, rollup_answers, viewport_sql
from geo.store.postgis_write import import_dataset
from geo.view.dataset import load_layer
from geo.view.filters import IncidentFilter
from geo.view.scale import Viewport, coordinates, plan
from tests.postgis_fixture import postgis_cluster, postgis_url  # noqa: F401  (fixtures)

N = 4000
FILTERS = [
    IncidentFilter(),
    IncidentFilter(start_year=2018, end_year=2019),
    IncidentFilter(end_year=1999),
    IncidentFilter(types=("court_decision", "arrest_detention", "escape"), month_or_better=True),
    IncidentFilter(subjects=("RU-KHA", "RU-PRI"), start_year=2010),
    IncidentFilter(types=()),
    IncidentFilter(actors=("dprk_security",)),                     # not from the rollup
    IncidentFilter(start_year=2018, start_month=3, end_year=2019),  # months: not from the rollup
]
VIEWS = [((50, 125), 4), ((48.5, 135), 6), ((48.5, 135), 7), ((47, 133), 3), ((47, 179), 5), ((60, 100), 2),
         ((48.48, 135.08), 9)]


@pytest.fixture(scope="module")
def synthetic():
    return synthesize(N, 3, load_layer("incidents"))


@pytest.fixture(scope="module")
def synthetic_store(postgis_cluster, synthetic):
    import psycopg
    with psycopg.connect(postgis_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE incidents_rollup TEMPLATE incidents_template")
    with PostGISStore(postgis_cluster.url("incidents_rollup")) as store:
        import_dataset(store, dataset_rows(synthetic, "incidents-synthetic.yaml"), "incidents-synthetic.yaml", "t")
        yield store
    with psycopg.connect(postgis_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute("DROP DATABASE incidents_rollup WITH (FORCE)")


def _scanned(store, view, viewport, limit):
    """The counts and plan of the unaggregated query (every filtered incident visited)."""
    sql, params = viewport_sql(view, viewport, limit, with_counts=True)
    return store._plan(store.conn.execute(sql, params).fetchall(), viewport, limit)


@pytest.mark.parametrize("view", FILTERS, ids=lambda v: str(v.to_params()) or "all")
@pytest.mark.parametrize("center,zoom", VIEWS)
def test_a_filter_change_shows_what_the_unaggregated_query_and_the_file_path_show(synthetic_store, synthetic, view,
                                                                                 center, zoom):
    viewport, limit = Viewport.around(center, zoom), 50
    counts, shown = synthetic_store.filter_change(view, viewport, limit=limit)
    scanned_counts, scanned = _scanned(synthetic_store, view, viewport, limit)
    assert counts == scanned_counts
    assert shown.in_view == scanned.in_view and shown.not_drawn == counts.not_drawn
    assert list(shown.markers.index) == list(scanned.markers.index)
    assert shown.cells["count"].tolist() == scanned.cells["count"].tolist()
    assert np.allclose(shown.cells.to_numpy(dtype=float), scanned.cells.to_numpy(dtype=float))
    # and what the file path draws from the same records
    mask = view.mask(synthetic).to_numpy()
    theirs = plan(synthetic, viewport, limit=limit, mask=mask, coords=coordinates(synthetic))
    assert (counts.total, counts.not_drawn) == (int(mask.sum()), theirs.not_drawn)
    assert shown.in_view == theirs.in_view
    if not shown.cells.empty:
        assert shown.cells["count"].tolist() == theirs.cells["count"].tolist()
        assert np.allclose(shown.cells.to_numpy(dtype=float), theirs.cells.to_numpy(dtype=float))


def test_the_rollup_answers_only_what_it_holds():
    assert rollup_answers(IncidentFilter(start_year=2018, types=("escape",), month_or_better=True))
    assert not rollup_answers(IncidentFilter(actors=("dprk_security",)))
    assert not rollup_answers(IncidentFilter(docs=("memorial-2020",)))
    assert not rollup_answers(IncidentFilter(start_year=2018, start_month=3))


def test_the_rollup_follows_every_save_and_delete(postgis_url, synthetic):
    rows = dataset_rows(synthetic.iloc[:300], "incidents-synthetic.yaml")
    with PostGISStore(postgis_url) as store:
        import_dataset(store, rows, "incidents-synthetic.yaml", "t")
        ids = [r[0] for r in store.conn.execute("SELECT id FROM incident_map ORDER BY id LIMIT 3")]
        store.conn.execute("UPDATE records SET type = 'escape', date_start = NULL, lon = 140.5, lat = 47.25, "
                           "geom = ST_SetSRID(ST_MakePoint(140.5, 47.25), 4326) WHERE id = %s", (ids[0],))
        store.conn.execute("UPDATE records SET geom = NULL, lon = NULL, lat = NULL WHERE id = %s", (ids[1],))
        store.conn.execute("DELETE FROM records WHERE id = %s", (ids[2],))
        viewport = Viewport.around((50, 125), 4)     # the map after the saves, from the rollup
        for view in (IncidentFilter(), IncidentFilter(types=("escape",), start_year=2000)):
            counts, shown = store.filter_change(view, viewport, limit=10)
            scanned_counts, scanned = _scanned(store, view, viewport, 10)
            assert counts == scanned_counts and shown.cells["count"].tolist() == scanned.cells["count"].tolist()
        kept = _rollup(store)
        store.conn.execute("SELECT incident_rollup_fold()")   # what the store does every thousand saves
        assert _rollup(store) == kept
        folded = store.conn.execute("SELECT (SELECT count(*) FROM incident_counts), "
                                    "(SELECT count(*) FROM incident_cells)").fetchone()
        store.conn.execute("SELECT incident_rollup_fill()")
        assert _rollup(store) == kept
        assert store.conn.execute("SELECT (SELECT count(*) FROM incident_counts), "
                                  "(SELECT count(*) FROM incident_cells)").fetchone() == folded
        assert sum(r[-1] for r in kept[0]) == 299


def test_two_saves_moving_records_between_the_same_counts_do_not_wait_for_each_other(postgis_url, synthetic):
    import psycopg
    rows = dataset_rows(synthetic.iloc[:50], "incidents-synthetic.yaml")
    with PostGISStore(postgis_url) as store:
        import_dataset(store, rows, "incidents-synthetic.yaml", "t")
        first, second = [r[0] for r in store.conn.execute("SELECT id FROM incident_map ORDER BY id LIMIT 2")]
        store.conn.execute("UPDATE records SET type = 'arrest_detention', subject = 'RU-KHA', date_start = '2019-01-01', "
                           "date_end = '2019-01-01' WHERE id = %s", (first,))
        store.conn.execute("UPDATE records SET type = 'escape', subject = 'RU-KHA', date_start = '2019-01-01', "
                           "date_end = '2019-01-01' WHERE id = %s", (second,))
        before = store.counts(IncidentFilter(types=("escape",), subjects=("RU-KHA",)))
    one, other = psycopg.connect(postgis_url), psycopg.connect(postgis_url)
    try:
        for conn in (one, other):
            conn.execute("SET lock_timeout = '3s'")
        one.execute("UPDATE records SET type = 'escape' WHERE id = %s", (first,))          # arrest -> escape
        other.execute("UPDATE records SET type = 'arrest_detention' WHERE id = %s", (second,))  # escape -> arrest
        one.commit()
        other.commit()
    finally:
        one.close()
        other.close()
    with PostGISStore(postgis_url) as store:
        assert store.counts(IncidentFilter(types=("escape",), subjects=("RU-KHA",))) == before


def _rollup(store):
    """Both tables summed per key (a save appends -1 and +1 rows; the fill keeps one row per key)."""
    counts = store.conn.execute("SELECT type, subject, month_or_better, start_year, end_year, drawn, sum(n) "
                                "FROM incident_counts GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 "
                                "ORDER BY 1, 2, 3, 4, 5, 6").fetchall()
    cells = store.conn.execute("SELECT type, subject, month_or_better, start_year, end_year, cell_x, cell_y, sum(n), "
                               "round(sum(sum_lon)::numeric, 6), round(sum(sum_lat)::numeric, 6) FROM incident_cells "
                               "GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7").fetchall()
    return counts, cells


def test_saves_fold_the_rollup_now_and_then_and_the_counts_stay(postgis_url, monkeypatch):
    import geo.store.postgis_write as writes
    from geo.places.gazetteer import read_gazetteer
    from geo.store.importing import register_rows, source_documents
    monkeypatch.setattr(writes, "FOLD_EVERY", 1)      # every save folds
    with PostGISStore(postgis_url) as store:
        files, rows = register_rows()
        store.import_register(files, rows, source_documents(), read_gazetteer(), "importer")
        arrests = IncidentFilter(types=("arrest_detention",))
        before = store.counts(arrests)
        stored = store.record("mem20-refugee-status-2011")
        store.save_record(stored.record.model_copy(update={"type": "arrest_detention"}), stored.version, "e", "retype")
        assert store.counts(arrests).total == before.total + 1
        keys, rows_held = store.conn.execute(
            "SELECT count(DISTINCT (type, subject, month_or_better, start_year, end_year, drawn)), count(*) "
            "FROM incident_counts").fetchone()
        assert keys == rows_held          # one row per key: the save's -1 and +1 were added up
