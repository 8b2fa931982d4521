"""The store seam: what the app, the exports and the review workspace read and write through.

Two stores implement it: `geo.store.files.FileStore` (the YAML register in git and the built layers
in data/; the default, nothing to install) and `geo.store.postgis.PostGISStore` (a shared PostgreSQL
+ PostGIS database for a team; `INCIDENT_STORE=postgresql://...`). `geo.store.open_store` picks one.

Reading
  load_register()            every record and site, validated with geo.evidence.schema
  record(id)                 one record with its version (for an edit form)
  sources()                  the source documents with their hashes
  gazetteer()                the gazetteer rows (geo.places.gazetteer.GazetteerEntry)
  layer(name)                a built layer as the GeoDataFrame geo.view.dataset.load_layer gives
  counts(filter)             how many incidents a geo.view.filters.IncidentFilter keeps
  viewport(filter, viewport) what geo.view.scale plans for the screen: markers or counted cells
                             (a pan or zoom)
  filter_change(filter, viewport)  both at once (a filter change; PostGIS: one pass)

Writing (every write names the signed-in user and a reason; nothing is half-written)
  save_record(record, expected_version, user, reason)
      Optimistic locking: `expected_version` is the version the editor loaded (None for a new
      record; a version is opaque: PostGIS counts 1, 2, 3 ..., the file store uses a digest of the
      record's document, so a hand edit in between counts as a change too). If someone saved the record since, nothing is written, the attempt is logged, and
      VersionConflict says who changed what. Returns the new version and the field changes.
      `places`: gazetteer rows (GazetteerEntry) the record needs and the gazetteer lacks (a GeoNames
      place not curated yet, a researched point), written with the record or not at all.
      A public deployment (geo.deployment) refuses every write.
  history(record_id=None)    the append-only change log, oldest first
  record_review(decision) / review_decisions(doc)
                             accept/reject decisions on proposed records (candidates) per source
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol, Union

from geo.errors import GeoError
from geo.evidence.schema import Incident, Site

Record = Union[Incident, Site]


class StoreError(GeoError):
    """The store cannot do what was asked; the message says why and what to do."""


class ConnectionLost(StoreError):
    """The database server went away during a statement (it stopped, restarted or ended the
    session). The next use of the store connects again."""


@dataclass(frozen=True)
class FieldChange:
    """One field's change, by path into the record ("date/start", "sources/1/quote")."""
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class ChangeEntry:
    """One row of the change log. `outcome` is "saved", "conflict" (nothing written) or "imported"."""
    at: dt.datetime
    user: str
    record_id: str | None
    version: int | str | None     # the version this save made (for a conflict: the version it was based on)
    outcome: str
    changes: tuple[FieldChange, ...]
    reason: str


class VersionConflict(StoreError):
    """Someone saved the record after the editor loaded it. Carries the changes since then and
    the record as it is now, so the form can show both and keep the editor's input."""

    def __init__(self, record_id: str, expected, current, since: list[ChangeEntry],
                 current_record: Record | None):
        self.record_id, self.expected, self.current = record_id, expected, current
        self.since, self.current_record = since, current_record
        if expected is None:
            message = f"record {record_id!r} already exists (version {current}); open it and edit it instead"
        else:
            who = ", ".join(sorted({e.user for e in since})) or "someone"
            fields = ", ".join(sorted({c.field for e in since for c in e.changes})) or "nothing visible"
            message = (f"record {record_id!r} was changed by {who} after you opened it (your version "
                       f"{expected}, now {current}; changed: {fields}); your edit was not saved — "
                       "review their changes and save again")
        super().__init__(message)


@dataclass(frozen=True)
class SaveResult:
    record_id: str
    version: int | str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class StoredRecord:
    record: Record
    version: int | str
    file: str                     # the register file it is written to on export


@dataclass(frozen=True)
class SourceDocument:
    id: str
    title: str
    filename: str | None = None
    sha256_original: str | None = None   # of the document as received (PDF, HTML ...)
    sha256_text: str | None = None       # of the text the quotes are checked against
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewDecision:
    """A reviewer's decision on one proposed record (a geoparser candidate) of a source."""
    doc: str                      # source document id
    candidate: str                # the candidate's stable key within the document
    decision: str                 # "accept" or "reject"
    user: str
    reason: str = ""
    record_id: str | None = None  # the record an accepted candidate became
    at: dt.datetime | None = None


REVIEW_DECISIONS = ("accept", "reject")


@dataclass(frozen=True)
class Counts:
    total: int        # incidents the filter keeps
    drawn: int        # of them with a point on the map
    not_drawn: int    # country level only (listed, not drawn)


class Store(Protocol):
    url: str

    def load_register(self): ...                     # -> geo.evidence.register.Register
    def record(self, record_id: str) -> StoredRecord: ...
    def sources(self) -> list[SourceDocument]: ...
    def gazetteer(self) -> list: ...                  # -> list[GazetteerEntry]
    def layer(self, name: str): ...                   # -> geopandas.GeoDataFrame
    def counts(self, view) -> Counts: ...             # view: IncidentFilter
    def viewport(self, view, viewport, limit: int = ...): ...   # -> geo.view.scale.Plan
    def filter_change(self, view, viewport, limit: int = ...): ...   # -> (Counts, Plan)

    def save_record(self, record: Record, expected_version, user: str, reason: str,
                    file: str | None = None, places: tuple = ()) -> SaveResult: ...
    def history(self, record_id: str | None = None) -> list[ChangeEntry]: ...
    def record_review(self, decision: ReviewDecision) -> None: ...
    def review_decisions(self, doc: str | None = None) -> list[ReviewDecision]: ...
    def close(self) -> None: ...
