"""Stores: where the register lives. The file register (default) or PostGIS for a team.

`open_store()` opens the store named by `INCIDENT_STORE` (or the `--store` option): unset or a
folder path means the file register; `postgresql://...` a PostGIS database. See geo.store.base.
"""
from __future__ import annotations

import os

from geo.store.base import Store, StoreError


def store_url(url: str | None = None) -> str | None:
    """The configured store: the argument, else INCIDENT_STORE; None for the file register."""
    return url or os.environ.get("INCIDENT_STORE") or None


def is_database(url: str | None) -> bool:
    return bool(url) and url.startswith(("postgresql://", "postgres://"))


def open_store(url: str | None = None) -> Store:
    url = store_url(url)
    if is_database(url):
        from geo.store.postgis import PostGISStore
        return PostGISStore(url)
    if url and "://" in url:
        raise StoreError(f"unknown store {url.split('://')[0]}://...: use postgresql://user@host:port/db, "
                         "or leave INCIDENT_STORE unset for the file register")
    from geo.store.files import FileStore
    return FileStore(url)


__all__ = ["Store", "StoreError", "open_store", "store_url", "is_database"]
