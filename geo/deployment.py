"""How this deployment runs: public (read-only, redacted) or not. One place, read by the app,
the stores and the document registry.

A public deployment (`./start.sh --public`, INCIDENT_MAP_MODE=public) shows and exports public
data only and **writes nothing**: no record is saved, no review decision recorded, no document
registered. The app does not offer the Review & edit page there, and the write functions refuse
as well, so no other path (a stale session, a script) can write either.
"""
from __future__ import annotations

import os

from geo.errors import GeoError

PUBLIC_MODE = "public"


class ReadOnlyDeployment(GeoError):
    """A write was asked of a public deployment; nothing was written."""


def public_deployment() -> bool:
    """INCIDENT_MAP_MODE=public: names never leave the server, and nothing is written."""
    return os.environ.get("INCIDENT_MAP_MODE", "").strip().lower() == PUBLIC_MODE


def refuse_writes(action: str) -> None:
    """Raise ReadOnlyDeployment when this is a public deployment."""
    if public_deployment():
        raise ReadOnlyDeployment(f"{action}: this is a public deployment (INCIDENT_MAP_MODE=public), which "
                                 "cannot change the register; nothing was written. Edit in the team's "
                                 "own (non-public) deployment.")
