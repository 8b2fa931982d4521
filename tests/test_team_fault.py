"""A save through the app when the database goes away in the middle of it (AppTest on a team
store): the editor sees one clear line, the record is saved whole or not at all (here: not at all,
with no change-log row), the form keeps the input, and the same session saves once the server is
back, without restarting anything. bench/team_fault.py does the same with a real stop and start
of PostgreSQL in Chromium."""
from __future__ import annotations

import time

import psycopg
import pytest

from geo.store.base import ConnectionLost
from geo.store.postgis import PostGISStore
from tests.team_fixture import signed_in, team_url  # noqa: F401  (fixture)

RECORD = "mem20-refugee-status-2011"


def test_the_connection_lost_during_a_save_is_all_or_nothing_and_the_app_recovers(team_url):
    at = signed_in("edda", {"rec": RECORD})
    at.button(key=f"correct-{RECORD}").click().run()
    at.number_input(key="rf_people").set_value(4).run()
    at.text_input(key="rf_reason").input("recount").run()
    session_store = at.session_state["_team_store"]
    original = type(session_store)._write

    def write_then_lose_the_server(self, *args, **kwargs):
        version = original(self, *args, **kwargs)          # the record's rows are written in the transaction
        with psycopg.connect(team_url, autocommit=True) as other:   # ... and then the server drops us
            other.execute("SELECT pg_terminate_backend(%s)", (self.conn.info.backend_pid,))
        return version

    session_store._write = write_then_lose_the_server.__get__(session_store)
    at.button(key="rfb_save").click().run()
    assert not at.exception
    message = " ".join(e.value for e in at.error).replace("\\", "")
    assert "lost the connection to the store while saving" in message and "all or nothing" in message
    assert "Traceback" not in message
    with PostGISStore(team_url) as store:
        assert store.record(RECORD).record.people_affected != 4            # nothing of it was written
        assert [e.outcome for e in store.history(RECORD)] == []
    assert at.number_input(key="rf_people").value == 4                      # the input is kept

    del session_store._write                                                # the server is back
    at.button(key="rfb_save").click().run()
    assert not at.exception and at.session_state["saved"]["record_id"] == RECORD
    with PostGISStore(team_url) as store:
        assert store.record(RECORD).record.people_affected == 4
        assert [(e.user, e.outcome) for e in store.history(RECORD)] == [("edda", "saved")]


def _end_connections(url: str, keep: int | None = None) -> None:
    """What a restart of PostgreSQL does to the app's connections: the server ends every one of
    them (here without stopping it, so the test need not own the cluster)."""
    with psycopg.connect(url, autocommit=True) as admin:
        pids = [r[0] for r in admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND pid IS DISTINCT FROM %s", (keep,))]
        admin.execute("SELECT pg_terminate_backend(p) FROM unnest(%s::int[]) AS p", (pids,))
        for _ in range(200):
            if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,)).fetchone():
                return
            time.sleep(0.05)


def test_a_store_kept_across_a_server_restart_reads_again_and_a_drop_mid_statement_is_one_line(team_url):
    with PostGISStore(team_url) as store:
        title = store.record(RECORD).record.title
        before = store.conn.info.backend_pid
        _end_connections(team_url)
        assert store.record(RECORD).record.title == title          # no error: it connected again
        assert store.conn.info.backend_pid != before
        with pytest.raises(ConnectionLost, match=r"^lost the connection to the store \(.*\); try again$"):
            store.conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")   # the server drops it mid-statement
        assert store.record(RECORD).record.title == title          # and the next read works


def test_after_a_restart_the_first_save_is_made_and_confirmed(team_url):
    """The hang bench/team_fault.py met: after PostgreSQL came back, Save wrote the record, but the
    app's shared reader still held its dead connection, so reloading the map after the save raised
    psycopg.OperationalError and the page showed a traceback instead of "Corrected …"."""
    at = signed_in("edda", {"rec": RECORD})
    at.button(key=f"correct-{RECORD}").click().run()
    at.number_input(key="rf_people").set_value(5).run()
    at.text_input(key="rf_reason").input("recount after the restart").run()
    _end_connections(team_url)
    at.button(key="rfb_save").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any(s.value.replace("\\", "").startswith(f"Corrected {RECORD}") for s in at.success)
    with PostGISStore(team_url) as store:
        assert store.record(RECORD).record.people_affected == 5
        assert [(e.user, e.outcome, e.reason) for e in store.history(RECORD)] == [
            ("edda", "saved", "recount after the restart")]
