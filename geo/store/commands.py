"""`python -m geo store ...` and `python -m geo users ...` (wired into geo.cli).

  store import [--replace]     the file register -> the store named by INCIDENT_STORE / --store
  store export --out DIR       the store -> a YAML register (byte-identical to what was imported)
  store status                 what the store holds
  store local start|stop|url   the local PostgreSQL + PostGIS cluster in .pgdata/ (./start.sh --team)
  users add NAME --role R      add a user (password prompted, or --password-stdin)
  users list | remove NAME | set-role NAME ROLE | set-password NAME
"""
from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from pathlib import Path

from geo.paths import GAZETTEER_CSV, REGISTER_DIR, ROOT
from geo.store import is_database, store_url
from geo.store.base import StoreError

LOCAL_DIR = ROOT / ".pgdata"
LOCAL_PORT = 55432
NEEDS_DATABASE = ("this needs the team store: set INCIDENT_STORE=postgresql://user:password@host:port/db "
                  "(or --store), e.g. the local one `./start.sh --team` starts")


def _database_store(args):
    from geo.store.postgis import PostGISStore
    url = store_url(args.store)
    if not is_database(url):
        raise StoreError(NEEDS_DATABASE)
    return PostGISStore(url)


def _user() -> str:
    return os.environ.get("INCIDENT_USER") or getpass.getuser()


def store_import(args) -> int:
    from geo.places.gazetteer import read_gazetteer
    from geo.store.importing import register_rows, source_documents
    from geo.store.postgis import redact_url
    register_dir = Path(args.register)
    files, rows = register_rows(register_dir, Path(args.gazetteer))
    with _database_store(args) as store:
        count = store.import_register(files, rows, source_documents(), read_gazetteer(Path(args.gazetteer)),
                                      _user(), replace=args.replace)
        print(f"imported {count} records from {len(files)} files in {register_dir} into {redact_url(store.url)}")
    return 0


def store_export(args) -> int:
    from geo.store.importing import export_files
    with _database_store(args) as store:
        written = export_files(store.export_files(), Path(args.out))
    records = sum(1 for path in written for line in path.read_text(encoding="utf-8").splitlines()
                  if line.startswith("- "))
    print(f"wrote {len(written)} register files ({records} records) to {args.out}")
    return 0


def store_status(args) -> int:
    from geo.store.postgis import redact_url
    with _database_store(args) as store:
        rows = store.conn.execute("SELECT kind, count(*) FROM records GROUP BY kind ORDER BY kind").fetchall()
        migrations = [r[0] for r in store.conn.execute("SELECT name FROM schema_migrations ORDER BY version")]
        changes = store.conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
        users = store.conn.execute("SELECT count(*) FROM users").fetchone()[0]
        print(f"store {redact_url(store.url)}")
        print("  records: " + (", ".join(f"{kind} {n:,}" for kind, n in rows) or "none (run `python -m geo store import`)"))
        print(f"  change log: {changes:,} entries; users: {users}; migrations: {', '.join(migrations)}")
    return 0


def local_cluster(folder: Path = LOCAL_DIR):
    """The project's local cluster (its port and password are kept in .pgdata/store-url)."""
    from urllib.parse import urlsplit
    from geo.store.cluster import LocalCluster
    saved = folder / "store-url"
    if saved.exists():
        parts = urlsplit(saved.read_text(encoding="utf-8").strip())
        return LocalCluster(folder, parts.port, parts.password)
    port = int(os.environ.get("INCIDENT_PG_PORT") or LOCAL_PORT)
    return LocalCluster(folder, port, secrets.token_urlsafe(18))


def store_local(args) -> int:
    from geo.store.postgis import PostGISStore
    cluster = local_cluster(Path(args.dir))
    saved = cluster.folder / "store-url"
    if args.action == "stop":
        cluster.stop()
        print(f"stopped the local store in {cluster.folder}", file=sys.stderr)
        return 0
    if args.action == "url":
        if not saved.exists():
            raise StoreError(f"no local store in {cluster.folder} yet: ./start.sh --team creates it")
        print(saved.read_text(encoding="utf-8").strip())
        return 0
    if not cluster.initialised:
        print(f"store: creating a PostgreSQL + PostGIS cluster in {cluster.folder} (port {cluster.port})", file=sys.stderr)
        cluster.init()
        fd = os.open(saved, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(cluster.url() + "\n")
    if not cluster.running():
        cluster.start()
    cluster.create_database()
    with PostGISStore(cluster.url()) as store:
        if store.record_count() == 0:
            from geo.places.gazetteer import read_gazetteer
            from geo.store.importing import register_rows, source_documents
            files, rows = register_rows(REGISTER_DIR, GAZETTEER_CSV)
            store.import_register(files, rows, source_documents(), read_gazetteer(GAZETTEER_CSV), _user(),
                                  reason="first start: import of the file register")
            print(f"store: imported {len(rows)} records from data/register", file=sys.stderr)
    print(cluster.url())
    return 0


# -- users ----------------------------------------------------------------------------------------
def _accounts(args):
    from geo.store.auth import Accounts
    store = _database_store(args)
    return store, Accounts(store.conn)


def _password(args, name: str) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise StoreError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise StoreError("no terminal to ask for the password: pass it on standard input with --password-stdin")
    first = getpass.getpass(f"Password for {name}: ")
    if getpass.getpass("Again: ") != first:
        raise StoreError("the two passwords differ; nothing was changed")
    return first


def users_add(args) -> int:
    from geo.store.auth import check_password, check_role
    check_role(args.role)
    password = check_password(_password(args, args.name))
    store, accounts = _accounts(args)
    with store:
        user = accounts.add_user(args.name, args.role, password)
    print(f"added {user.name} ({user.role})")
    return 0


def users_list(args) -> int:
    from geo.store.auth import ROLE_LABELS
    store, accounts = _accounts(args)
    with store:
        users = accounts.users()
    for user in users:
        print(f"{user.name:24} {ROLE_LABELS[user.role]:36} since {user.created_at:%Y-%m-%d}")
    print(f"{len(users)} user(s)")
    return 0


def users_remove(args) -> int:
    store, accounts = _accounts(args)
    with store:
        accounts.remove_user(args.name)
    print(f"removed {args.name} (signed out everywhere)")
    return 0


def users_set_role(args) -> int:
    store, accounts = _accounts(args)
    with store:
        user = accounts.set_role(args.name, args.role)
    print(f"{user.name} is now {user.role}")
    return 0


def users_set_password(args) -> int:
    from geo.store.auth import check_password
    password = check_password(_password(args, args.name))
    store, accounts = _accounts(args)
    with store:
        accounts.set_password(args.name, password)
    print(f"password of {args.name} changed (signed out everywhere)")
    return 0


def add_commands(commands) -> None:
    """Add `store` and `users` to the CLI's subparsers."""
    from geo.store.auth import ROLES

    def with_store(parser):
        parser.add_argument("--store", help="postgresql://user:password@host:port/db (default: INCIDENT_STORE)")
        return parser

    store = commands.add_parser("store", help="the team store (PostGIS): import, export, status, local server")
    actions = store.add_subparsers(dest="store_command", required=True)
    imp = with_store(actions.add_parser("import", help="load the file register into the store"))
    imp.add_argument("--replace", action="store_true", help="replace what the store holds")
    imp.add_argument("--register", default=str(REGISTER_DIR), help="register folder (default data/register)")
    imp.add_argument("--gazetteer", default=str(GAZETTEER_CSV), help="gazetteer CSV (default data/gazetteer.csv)")
    imp.set_defaults(run=store_import)
    exp = with_store(actions.add_parser("export", help="write the store as a YAML register"))
    exp.add_argument("--out", required=True, help="folder to write the register files to")
    exp.set_defaults(run=store_export)
    with_store(actions.add_parser("status", help="what the store holds")).set_defaults(run=store_status)
    local = actions.add_parser("local", help="the local PostgreSQL + PostGIS cluster in .pgdata/")
    local.add_argument("action", choices=("start", "stop", "url"))
    local.add_argument("--dir", default=str(LOCAL_DIR), help="cluster folder (default .pgdata/)")
    local.set_defaults(run=store_local)

    users = commands.add_parser("users", help="users of the team store and their roles")
    actions = users.add_subparsers(dest="users_command", required=True)
    add = with_store(actions.add_parser("add", help="add a user; the password is prompted"))
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(run=users_add)
    with_store(actions.add_parser("list", help="list users")).set_defaults(run=users_list)
    remove = with_store(actions.add_parser("remove", help="remove a user"))
    remove.add_argument("name")
    remove.set_defaults(run=users_remove)
    role = with_store(actions.add_parser("set-role", help="change a user's role"))
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(run=users_set_role)
    password = with_store(actions.add_parser("set-password", help="change a user's password"))
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(run=users_set_password)

