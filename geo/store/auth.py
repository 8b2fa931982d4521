"""Users, roles, sign-in and sessions for the team store (no Streamlit here: the sign-in page calls it).

Roles, each allowed what the ones before it are:
  viewer      the public release only (names withheld, sensitive places coarsened)
  researcher  the full data, read only
  editor      review and edit records
  admin       manage users

Passwords are stored as Argon2id hashes (argon2-cffi), re-hashed on sign-in when the parameters
change. A session is a random token handed to the browser; the database keeps only its SHA-256,
with an absolute expiry and an idle timeout. Repeated failed sign-ins are slowed down per user name
and per client (address): after `free_failures` consecutive failures, each further attempt must
wait twice as long as the one before (up to `max_delay`); an attempt made too early is refused
without checking the password and recorded as "throttled". Every attempt is recorded.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from geo.language import N_
from geo.store.base import StoreError

ROLES = ("viewer", "researcher", "editor", "admin")
ROLE_LABELS = {"viewer": N_("Viewer (public release only)"), "researcher": N_("Researcher (full data, read only)"),
               "editor": N_("Editor (review and edit)"), "admin": N_("Administrator (users)")}
PERMISSIONS = {"view_public": "viewer", "view_full": "researcher", "edit": "editor", "manage_users": "admin"}
MIN_PASSWORD_LENGTH = 10
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked against when the user name is unknown, so an unknown name takes as long as a wrong password."""
    return _hasher.hash(secrets.token_hex(16))


class AuthError(StoreError):
    """A user-management request that cannot be done (unknown user, weak password, last admin ...)."""


def allows(role: str, permission: str) -> bool:
    """May a user with `role` do `permission` (view_public, view_full, edit, manage_users)?"""
    if role not in ROLES or permission not in PERMISSIONS:
        return False
    return ROLES.index(role) >= ROLES.index(PERMISSIONS[permission])


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    return password


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: dt.datetime | None = None

    def can(self, permission: str) -> bool:
        return allows(self.role, permission)


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int = 3                               # failures allowed before any delay
    base_delay: float = 1.0                              # seconds after the first failure past them
    max_delay: float = 15 * 60.0
    window: dt.timedelta = dt.timedelta(hours=24)        # older failures are forgotten

    def delay(self, failures: int) -> float:
        if failures < self.free_failures:
            return 0.0
        return min(self.base_delay * 2 ** (failures - self.free_failures), self.max_delay)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt. `token` goes to the browser (a cookie or the session)."""
    ok: bool
    message: str
    user: User | None = None
    token: str | None = None
    expires_at: dt.datetime | None = None
    retry_after: float = 0.0


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Accounts:
    """Users, sessions and sign-in attempts in the team store (a psycopg connection, autocommit)."""

    def __init__(self, conn, policy: ThrottlePolicy = ThrottlePolicy(),
                 session_lifetime: dt.timedelta = dt.timedelta(hours=12),
                 idle_timeout: dt.timedelta = dt.timedelta(hours=2),
                 clock: Callable[[], dt.datetime] = _utcnow):
        self.conn, self.policy, self.clock = conn, policy, clock
        self.session_lifetime, self.idle_timeout = session_lifetime, idle_timeout

    # -- users -------------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str) -> User:
        if not _NAME.match(name):
            raise AuthError(f"user name {name!r}: use letters, digits and . _ @ - (at most 64)")
        check_role(role)
        hashed = _hasher.hash(check_password(password))
        row = self.conn.execute("INSERT INTO users (name, role, password_hash) VALUES (%s, %s, %s) "
                                "ON CONFLICT (name) DO NOTHING RETURNING created_at", (name, role, hashed)).fetchone()
        if row is None:
            raise AuthError(f"user {name!r} exists already; use set-role or set-password")
        return User(name, role, row[0])

    def users(self) -> list[User]:
        return [User(*row) for row in self.conn.execute("SELECT name, role, created_at FROM users ORDER BY name")]

    def user(self, name: str) -> User:
        row = self.conn.execute("SELECT name, role, created_at FROM users WHERE name = %s", (name,)).fetchone()
        if row is None:
            raise AuthError(f"no user {name!r}; `python -m geo users list` shows who there is")
        return User(*row)

    def set_role(self, name: str, role: str) -> User:
        check_role(role)
        with self.conn.transaction():
            current = self.user(name)
            if current.role == "admin" and role != "admin":
                self._keep_an_admin(name)
            self.conn.execute("UPDATE users SET role = %s WHERE name = %s", (role, name))
        return User(name, role, current.created_at)

    def set_password(self, name: str, password: str) -> None:
        hashed = _hasher.hash(check_password(password))
        with self.conn.transaction():
            self.user(name)
            self.conn.execute("UPDATE users SET password_hash = %s, password_set = now() WHERE name = %s",
                              (hashed, name))
            self.conn.execute("DELETE FROM sessions WHERE username = %s", (name,))   # signed out everywhere

    def remove_user(self, name: str) -> None:
        with self.conn.transaction():
            if self.user(name).role == "admin":
                self._keep_an_admin(name)
            self.conn.execute("DELETE FROM users WHERE name = %s", (name,))   # sessions go with it

    def _keep_an_admin(self, name: str) -> None:
        self.conn.execute("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
        others = self.conn.execute("SELECT count(*) FROM users WHERE role = 'admin' AND name <> %s", (name,)).fetchone()[0]
        if not others:
            raise AuthError(f"{name!r} is the last administrator; make another user admin first")

    # -- signing in ----------------------------------------------------------------------------
    def retry_after(self, name: str, client: str) -> float:
        """Seconds until this user name and client may try again (0: now)."""
        now = self.clock()
        waits = [0.0]
        for column, value in (("username", name), ("client", client)):
            failures, last = self._failures(column, value, now)
            if failures:
                waits.append((last + dt.timedelta(seconds=self.policy.delay(failures)) - now).total_seconds())
        return max(0.0, *waits)

    def _failures(self, column: str, value: str, now: dt.datetime) -> tuple[int, dt.datetime | None]:
        """Consecutive failures (since the last success) within the window, and when the last was."""
        rows = self.conn.execute(
            f"SELECT outcome, at FROM sign_in_attempts WHERE {column} = %s AND at > %s AND outcome <> 'throttled' "
            "ORDER BY seq DESC LIMIT 64", (value, now - self.policy.window)).fetchall()
        failures = 0
        for outcome, _ in rows:
            if outcome == "ok":
                break
            failures += 1
        return failures, rows[0][1] if rows else None

    def _record(self, name: str, client: str, outcome: str) -> None:
        self.conn.execute("INSERT INTO sign_in_attempts (at, username, client, outcome) VALUES (%s, %s, %s, %s)",
                          (self.clock(), name[:64], client[:200], outcome))

    def sign_in(self, name: str, password: str, client: str) -> SignIn:
        wait = self.retry_after(name, client)
        if wait > 0:
            self._record(name, client, "throttled")
            return SignIn(False, f"Too many failed sign-ins. Try again in {_seconds(wait)}.", retry_after=wait)
        row = self.conn.execute("SELECT role, password_hash, created_at FROM users WHERE name = %s", (name,)).fetchone()
        try:
            _hasher.verify(row[1] if row else _dummy_hash(), password)
            ok = row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            self._record(name, client, "failed")
            return SignIn(False, "Wrong user name or password.", retry_after=self.retry_after(name, client))
        if _hasher.check_needs_rehash(row[1]):
            self.conn.execute("UPDATE users SET password_hash = %s WHERE name = %s", (_hasher.hash(password), name))
        self._record(name, client, "ok")
        token = secrets.token_urlsafe(32)
        now = self.clock()
        expires = now + self.session_lifetime
        self.conn.execute("INSERT INTO sessions (token_sha256, username, created_at, last_seen, expires_at, client) "
                          "VALUES (%s, %s, %s, %s, %s, %s)", (_digest(token), name, now, now, expires, client[:200]))
        return SignIn(True, f"Signed in as {name}.", User(name, row[0], row[2]), token, expires)

    def session_user(self, token: str | None) -> User | None:
        """The user of a live session (and keep it alive), or None when it expired or never was."""
        if not token:
            return None
        now = self.clock()
        row = self.conn.execute(
            "SELECT u.name, u.role, u.created_at, s.expires_at, s.last_seen FROM sessions s "
            "JOIN users u ON u.name = s.username WHERE s.token_sha256 = %s", (_digest(token),)).fetchone()
        if row is None:
            return None
        name, role, created, expires, last_seen = row
        if now >= expires or now - last_seen >= self.idle_timeout:
            self.conn.execute("DELETE FROM sessions WHERE token_sha256 = %s", (_digest(token),))
            return None
        self.conn.execute("UPDATE sessions SET last_seen = %s WHERE token_sha256 = %s", (now, _digest(token)))
        return User(name, role, created)

    def sign_out(self, token: str | None) -> None:
        if token:
            self.conn.execute("DELETE FROM sessions WHERE token_sha256 = %s", (_digest(token),))

    def forget_expired(self) -> int:
        """Remove sessions past their expiry or idle timeout; returns how many."""
        now = self.clock()
        return self.conn.execute("DELETE FROM sessions WHERE expires_at <= %s OR last_seen <= %s",
                                 (now, now - self.idle_timeout)).rowcount


def _seconds(wait: float) -> str:
    wait = int(wait + 0.999)
    return f"{wait} s" if wait < 120 else f"{(wait + 59) // 60} min"
