"""A local PostgreSQL + PostGIS cluster in a folder, on a loopback port (Debian's postgresql-15 and
postgresql-15-postgis-3). Used by `./start.sh --team` (folder .pgdata/) and by the tests (a
throwaway cluster in a temporary folder).

PostgreSQL refuses to run as root; started as root, the server runs as the `postgres` user and the
cluster folder is owned by it. The cluster only listens on 127.0.0.1. With a password (the team
cluster) connections need it (scram-sha-256); without one (tests) local connections are trusted.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from geo.store.base import StoreError

SERVER_USER = "postgres"          # who runs the server when we are root
SUPERUSER = "incident"            # the cluster's superuser, owner of the database
DATABASE = "incidents"
INSTALL_HINT = "install PostgreSQL with PostGIS: apt-get install -y postgresql-15 postgresql-15-postgis-3"


def bin_dir() -> Path:
    """Where initdb and pg_ctl are: INCIDENT_PG_BIN, else the newest /usr/lib/postgresql/*/bin."""
    configured = os.environ.get("INCIDENT_PG_BIN")
    candidates = [Path(configured)] if configured else sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise StoreError(f"PostgreSQL is not installed (no initdb found): {INSTALL_HINT}")


def postgis_available(folder: Path | None = None) -> bool:
    """Is the PostGIS extension installed for this PostgreSQL?"""
    try:
        folder = folder or bin_dir()
    except StoreError:
        return False
    version = folder.parent.name
    return any(Path("/usr/share/postgresql", version, "extension").glob("postgis.control"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class LocalCluster:
    folder: Path              # holds the data directory (pgdata/) and the server log
    port: int
    password: str | None = None

    @property
    def data_dir(self) -> Path:
        return self.folder / "pgdata"

    @property
    def log_file(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = DATABASE) -> str:
        secret = f":{self.password}" if self.password else ""
        return f"postgresql://{SUPERUSER}{secret}@127.0.0.1:{self.port}/{database}"

    # -- running commands as the server user ---------------------------------------------------
    def _as_server_user(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        if os.geteuid() == 0:
            args = ["runuser", "-u", SERVER_USER, "--", *args]
        return subprocess.run(args, capture_output=True, text=True, **kwargs)

    def _own(self, path: Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(path, SERVER_USER, SERVER_USER)

    @property
    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def init(self, tuned_for_tests: bool = False) -> None:
        binaries = bin_dir()
        if not postgis_available(binaries):
            raise StoreError(f"PostGIS is not installed for PostgreSQL {binaries.parent.name}: {INSTALL_HINT}")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._own(self.folder)
        self.folder.chmod(0o755)   # the invoking user reads the log; the data dir itself is 0700
        args = [str(binaries / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER, "-E", "UTF8",
                "--locale=C.UTF-8", "--auth-local=trust"]
        pwfile = None
        if self.password:
            fd, pwfile = tempfile.mkstemp(prefix="incident-pw-")
            os.write(fd, self.password.encode())
            os.close(fd)
            if os.geteuid() == 0:
                shutil.chown(pwfile, SERVER_USER)
            args += ["--auth-host=scram-sha-256", f"--pwfile={pwfile}"]
        else:
            args += ["--auth-host=trust"]
        try:
            done = self._as_server_user(args)
        finally:
            if pwfile:
                os.unlink(pwfile)
        if done.returncode:
            raise StoreError(f"initdb failed in {self.data_dir}: {done.stderr.strip() or done.stdout.strip()}")
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.data_dir}'",
            "jit": "off",                          # compiling a query costs more than the map's queries take
            "shared_buffers": "'256MB'",
            "work_mem": "'64MB'",
            "max_parallel_workers_per_gather": "2",
            "random_page_cost": "1.1",
            "log_min_messages": "warning",
        }
        if tuned_for_tests:   # a throwaway cluster: durability is not needed
            settings.update({"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                             "shared_buffers": "'128MB'"})
        conf = "".join(f"{key} = {value}\n" for key, value in settings.items())
        done = self._as_server_user(["sh", "-c", f"cat >> '{self.data_dir}/postgresql.conf'"], input=conf)
        if done.returncode:
            raise StoreError(f"could not configure {self.data_dir}: {done.stderr.strip()}")

    def start(self) -> None:
        if port_in_use(self.port):
            raise StoreError(f"port {self.port} on 127.0.0.1 is already in use; choose another "
                             "(INCIDENT_PG_PORT=...) or point INCIDENT_STORE at the server that runs there")
        if self.log_file.exists():
            self._own(self.log_file)
        done = self._as_server_user([str(bin_dir() / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file),
                                     "-o", f"-p {self.port}", "-w", "-t", "60", "start"])
        if done.returncode:
            tail = self.log_file.read_text(errors="replace")[-800:] if self.log_file.exists() else ""
            raise StoreError(f"PostgreSQL did not start ({done.stderr.strip() or done.stdout.strip()}); "
                             f"log {self.log_file}:\n{tail}")

    def running(self) -> bool:
        done = self._as_server_user([str(bin_dir() / "pg_ctl"), "-D", str(self.data_dir), "status"])
        return done.returncode == 0

    def stop(self, mode: str = "fast") -> None:
        if self.initialised and self.running():
            self._as_server_user([str(bin_dir() / "pg_ctl"), "-D", str(self.data_dir), "-m", mode, "-w", "stop"])

    def create_database(self, name: str = DATABASE) -> None:
        import psycopg
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
