"""A team store for app tests: the register imported into a throwaway PostGIS database
(tests/postgis_fixture.py), one user per role, and AppTest runs signed in as one of them."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "correct horse battery"
USERS = {"vera": "viewer", "rhee": "researcher", "edda": "editor", "ada": "admin"}
_numbers = itertools.count()


def imported_store(cluster) -> str:
    """A new database in `cluster` holding the committed register and the USERS; its URL."""
    import psycopg
    from geo.places.gazetteer import read_gazetteer
    from geo.store.auth import Accounts
    from geo.store.importing import register_rows, source_documents
    from geo.store.postgis import PostGISStore

    name = f"incidents_team_{next(_numbers)}"
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE incidents_template")
    url = cluster.url(name)
    files, rows = register_rows()
    with PostGISStore(url) as store:
        store.import_register(files, rows, source_documents(), read_gazetteer(), "importer")
        accounts = Accounts(store.conn)
        for user, role in USERS.items():
            accounts.add_user(user, role, PASSWORD)
    return url


@pytest.fixture
def team_url(postgis_cluster, monkeypatch):
    """A fresh team store (written by the test), set as INCIDENT_STORE."""
    url = imported_store(postgis_cluster)
    monkeypatch.setenv("INCIDENT_STORE", url)
    monkeypatch.delenv("INCIDENT_DATA_DIR", raising=False)
    monkeypatch.delenv("INCIDENT_MAP_MODE", raising=False)
    return url


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def sign_in(at: AppTest, user: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="sign_in_name").input(user)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click().run()
    return at


def signed_in(user: str, query: dict | None = None) -> AppTest:
    at = sign_in(app(query), user)
    assert not at.exception, at.exception
    assert not any("Sign in" == m.value.lstrip("# ") for m in at.markdown), "still on the sign-in page"
    return at


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
                     + [w.value for w in at.warning] + [s.value for s in at.success] + [i.value for i in at.info])
