"""Where the project's files live. One place, so tests and the CLI agree."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REGISTER_DIR = DATA_DIR / "register"
GAZETTEER_CSV = DATA_DIR / "gazetteer.csv"
BOUNDARIES_DIR = DATA_DIR / "boundaries"
SOURCES_DIR = DATA_DIR / "sources"     # the source documents: texts + sources.yaml


def layers_dir() -> Path:
    """The built layers the app and exports read: INCIDENT_DATA_DIR points at another dataset; a
    file store in another folder (INCIDENT_STORE=/path, see geo.store) builds its layers there."""
    explicit = os.environ.get("INCIDENT_DATA_DIR")
    if explicit:
        return Path(explicit)
    store = os.environ.get("INCIDENT_STORE") or ""
    return Path(store) if store and "://" not in store else DATA_DIR
SUBJECTS_GEOJSON = BOUNDARIES_DIR / "russia_subjects.geojson"
COUNTRIES_GEOJSON = BOUNDARIES_DIR / "countries.geojson"
LAND_GEOJSON = BOUNDARIES_DIR / "land.geojson"      # all land in the print maps' reach, for "other land"
# Raw inputs shipped with their licences: GeoNames places (CC BY 4.0), Natural Earth outlines.
GEODATA_DIR = DATA_DIR / "geodata"
PLACES_CSV = GEODATA_DIR / "ru_places.csv"
