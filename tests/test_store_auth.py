"""Users, roles, sessions and sign-in throttling (geo.store.auth) against a real PostGIS store."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import psycopg
import pytest

from geo.store.auth import Accounts, AuthError, ThrottlePolicy, allows
from geo.store.postgis import PostGISStore


class Clock:
    def __init__(self):
        self.now = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += dt.timedelta(**delta)


@pytest.fixture
def accounts(postgis_url):
    clock = Clock()
    with PostGISStore(postgis_url) as store:
        accounts = Accounts(store.conn, ThrottlePolicy(free_failures=3, base_delay=1.0, max_delay=60.0),
                            session_lifetime=dt.timedelta(hours=12), idle_timeout=dt.timedelta(hours=2), clock=clock)
        accounts.clock_ = clock
        accounts.add_user("ada", "editor", "correct horse battery")
        yield accounts


def test_roles_are_ordered_viewer_researcher_editor_admin():
    assert allows("viewer", "view_public") and not allows("viewer", "view_full")
    assert allows("researcher", "view_full") and not allows("researcher", "edit")
    assert allows("editor", "edit") and not allows("editor", "manage_users")
    assert all(allows("admin", p) for p in ("view_public", "view_full", "edit", "manage_users"))
    assert not allows("nobody", "view_public") and not allows("admin", "fly")


def test_passwords_are_argon2_hashes_and_sign_in_gives_a_session(accounts):
    stored = accounts.conn.execute("SELECT password_hash FROM users WHERE name = 'ada'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    result = accounts.sign_in("ada", "correct horse battery", "127.0.0.1")
    assert result.ok and result.user.role == "editor" and len(result.token) >= 40
    assert accounts.session_user(result.token).name == "ada"
    # the database keeps only the token's hash
    assert accounts.conn.execute("SELECT count(*) FROM sessions WHERE token_sha256 = %s", (result.token,)).fetchone()[0] == 0
    accounts.sign_out(result.token)
    assert accounts.session_user(result.token) is None


def test_sessions_expire_when_idle_and_after_their_lifetime(accounts):
    clock = accounts.clock_
    token = accounts.sign_in("ada", "correct horse battery", "c").token
    clock.advance(hours=1, minutes=59)
    assert accounts.session_user(token) is not None        # still active: the idle clock restarts
    clock.advance(hours=2)
    assert accounts.session_user(token) is None             # idle for two hours
    token = accounts.sign_in("ada", "correct horse battery", "c").token
    for _ in range(7):
        clock.advance(hours=1, minutes=50)
        accounts.session_user(token)
    assert accounts.session_user(token) is None             # past 12 hours, however active
    assert accounts.session_user("forged-token") is None and accounts.session_user(None) is None


def test_repeated_failures_are_slowed_down_exponentially_per_user_and_recorded(accounts):
    clock = accounts.clock_
    for _ in range(3):
        assert not accounts.sign_in("ada", "wrong", "10.0.0.1").ok
    result = accounts.sign_in("ada", "correct horse battery", "10.0.0.2")   # another client: the user is throttled
    assert not result.ok and result.retry_after == pytest.approx(1.0) and "Try again in 1 s" in result.message
    clock.advance(seconds=1)
    assert not accounts.sign_in("ada", "wrong", "10.0.0.1").ok              # 4th failure: next wait 2 s
    clock.advance(seconds=1)
    assert accounts.sign_in("ada", "correct horse battery", "10.0.0.3").retry_after == pytest.approx(1.0)
    clock.advance(seconds=1)
    assert accounts.sign_in("ada", "correct horse battery", "10.0.0.3").ok  # success resets the count
    outcomes = [r[0] for r in accounts.conn.execute("SELECT outcome FROM sign_in_attempts ORDER BY seq")]
    assert outcomes == ["failed"] * 3 + ["throttled", "failed", "throttled", "ok"]


def test_one_client_guessing_many_names_is_throttled_too(accounts):
    for name in ("a1", "a2", "a3"):
        assert accounts.sign_in(name, "guess", "203.0.113.9").message == "Wrong user name or password."
    result = accounts.sign_in("ada", "correct horse battery", "203.0.113.9")
    assert not result.ok and result.retry_after > 0
    assert accounts.sign_in("ada", "correct horse battery", "198.51.100.1").ok   # other clients are not


def test_delays_double_up_to_the_cap():
    policy = ThrottlePolicy(free_failures=3, base_delay=1.0, max_delay=60.0)
    assert [policy.delay(n) for n in range(2, 11)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_user_management_rules(accounts):
    with pytest.raises(AuthError, match="at least 10"):
        accounts.add_user("bob", "viewer", "short")
    with pytest.raises(AuthError, match="unknown role"):
        accounts.add_user("bob", "owner", "long enough password")
    with pytest.raises(AuthError, match="exists already"):
        accounts.add_user("ada", "viewer", "long enough password")
    accounts.add_user("root", "admin", "long enough password")
    with pytest.raises(AuthError, match="last administrator"):
        accounts.remove_user("root")
    with pytest.raises(AuthError, match="last administrator"):
        accounts.set_role("root", "editor")
    token = accounts.sign_in("ada", "correct horse battery", "c").token
    accounts.set_role("ada", "viewer")
    assert accounts.session_user(token).role == "viewer"        # a role change applies at once
    accounts.set_password("ada", "another long password")
    assert accounts.session_user(token) is None                 # and a new password signs out everywhere
    accounts.remove_user("ada")
    assert [u.name for u in accounts.users()] == ["root"]


def run_cli(*args, stdin=""):
    env = {k: v for k, v in os.environ.items() if k != "INCIDENT_STORE"}
    return subprocess.run([sys.executable, "-m", "geo", *args], input=stdin, capture_output=True, text=True, env=env)


def test_users_command_line(postgis_url):
    added = run_cli("users", "add", "editor1", "--role", "editor", "--password-stdin", "--store", postgis_url,
                    stdin="a long password\n")
    assert added.returncode == 0 and "added editor1 (editor)" in added.stdout
    assert "editor1" in run_cli("users", "list", "--store", postgis_url).stdout
    assert run_cli("users", "set-role", "editor1", "researcher", "--store", postgis_url).returncode == 0
    weak = run_cli("users", "add", "x", "--role", "viewer", "--password-stdin", "--store", postgis_url, stdin="abc\n")
    assert weak.returncode == 2 and "at least 10 characters" in weak.stderr and "Traceback" not in weak.stderr
    with psycopg.connect(postgis_url) as conn:
        assert conn.execute("SELECT role FROM users WHERE name = 'editor1'").fetchone()[0] == "researcher"
    no_store = run_cli("users", "list")
    assert no_store.returncode == 2 and "needs the team store" in no_store.stderr
