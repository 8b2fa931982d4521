"""Schema migrations: versioned SQL files (geo/store/migrations/NNN_name.sql) applied in order, each
in its own transaction, and recorded in `schema_migrations` with a checksum. An applied file that
has since been edited is refused: write a new migration instead. Concurrent migrators wait for each
other (an advisory lock), so two app processes starting at once do not both apply a file.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from geo.store.base import StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
_LOCK = 7_310_013   # advisory lock key for migrations


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise StoreError(f"{path}: a migration is named NNN_what_it_does.sql")
        found.append(Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise StoreError(f"{folder}: two migrations share a number")
    return found


def migrate(conn, folder: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply the migrations not yet applied; returns their names. `conn` is a psycopg connection."""
    applied_now = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                            version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                            applied_at timestamptz NOT NULL DEFAULT now())""")
        done = {row[0]: (row[1], row[2]) for row in conn.execute(
            "SELECT version, name, checksum FROM schema_migrations")}
        for migration in migrations(folder):
            if migration.version in done:
                name, checksum = done[migration.version]
                if checksum != migration.checksum:
                    raise StoreError(f"migration {migration.name} was changed after it was applied "
                                     f"(as {name}); add a new migration instead of editing an applied one")
                continue
            with conn.transaction():
                conn.execute(migration.sql)
                conn.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                             (migration.version, migration.name, migration.checksum))
            applied_now.append(migration.name)
    return applied_now
