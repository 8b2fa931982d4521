"""A PostGIS store with N synthetic incidents kept between benchmark runs (the team benchmarks:
bench/team_app.py, bench/team_load.py, bench/team_fault.py).

    .venv/bin/python -m bench.team_store                 # 1,000,000 incidents; prints the store URL
    .venv/bin/python -m bench.team_store --n 5000 --stop # stop the cluster of that size

The cluster lives in the temp folder (incident-map-bench/team-<n>/), is made and filled once (a
million takes minutes), and is started again when a later run finds it stopped. It also holds the
committed register's sites and sources, and one user per role (password `bench-password`), so the
app can sign in and the load test can edit. Nothing here asserts; it only prepares.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import CACHE, dataset  # noqa: E402

PASSWORD = "bench-password"
USERS = {"bench-viewer": "viewer", "bench-researcher": "researcher", "bench-admin": "admin",
         **{f"bench-editor-{n}": "editor" for n in range(1, 9)}}


def _cluster(n: int):
    from geo.store.cluster import LocalCluster, free_port
    folder = CACHE / f"team-{n}"
    info = folder / "cluster.json"
    if info.exists():
        port = json.loads(info.read_text())["port"]
        return LocalCluster(folder, port), True
    return LocalCluster(folder, free_port()), False


def team_store(n: int = 1_000_000, seed: int = 1) -> str:
    """The URL of a running store with `n` synthetic incidents (made on first use)."""
    from geo.store.auth import Accounts, AuthError
    from geo.store.importing import dataset_rows
    from geo.store.postgis import PostGISStore
    from geo.store.postgis_write import import_dataset
    from geo.view.dataset import load_layer

    cluster, made = _cluster(n)
    if made:
        if not cluster.running():
            cluster.start()
        return cluster.url()
    cluster.init()
    cluster.start()
    cluster.create_database()
    frame = load_layer("incidents", dataset(n, seed))
    with PostGISStore(cluster.url()) as store:
        import_dataset(store, dataset_rows(frame, "incidents-synthetic.yaml"), "incidents-synthetic.yaml",
                       "bench", replace=True)
        accounts = Accounts(store.conn)
        for name, role in USERS.items():
            try:
                accounts.add_user(name, role, PASSWORD)
            except AuthError:
                pass
    (cluster.folder / "cluster.json").write_text(json.dumps({"port": cluster.port, "n": n}))
    return cluster.url()


def stop(n: int) -> None:
    cluster, made = _cluster(n)
    if made:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--stop", action="store_true")
    args = parser.parse_args()
    if args.stop:
        stop(args.n)
    else:
        print(team_store(args.n))


if __name__ == "__main__":
    main()
