"""A throwaway PostgreSQL + PostGIS cluster for the store tests (pytest fixtures).

One cluster per test session (initdb in a temporary folder, as the postgres user when the tests run
as root, on a random loopback port); a template database with PostGIS and the schema; each test
gets a fresh copy of it. Skipped, with the reason, where PostgreSQL or PostGIS is not installed
(./test.sh and .ci/run install them when they can).
"""
from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

import pytest

from geo.store.base import StoreError
from geo.store.cluster import LocalCluster, bin_dir, free_port, postgis_available

TEMPLATE = "incidents_template"
_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgis_cluster():
    try:
        binaries = bin_dir()
    except StoreError as exc:
        pytest.skip(str(exc))
    if not postgis_available(binaries):
        pytest.skip(f"PostGIS is not installed for PostgreSQL {binaries.parent.name} "
                    "(apt-get install -y postgresql-15-postgis-3)")
    folder = Path(tempfile.mkdtemp(prefix="incident-test-pg-"))
    cluster = LocalCluster(folder, free_port())
    try:
        cluster.init(tuned_for_tests=True)
        cluster.start()
        import psycopg
        from geo.store.migrate import migrate
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        with psycopg.connect(cluster.url(TEMPLATE), autocommit=True) as conn:
            migrate(conn)
        yield cluster
    finally:
        cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgis_url(postgis_cluster):
    """The URL of a fresh, migrated, empty store database."""
    import psycopg
    name = f"incidents_test_{next(_numbers)}"
    with psycopg.connect(postgis_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield postgis_cluster.url(name)
    with psycopg.connect(postgis_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
