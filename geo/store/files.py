"""The file store: the YAML register in git (data/register/*.yaml) and the layers built from it
(data/*.geojson, or a dataset in INCIDENT_DATA_DIR). The default; nothing to install.

A record's version is a digest of its document, so an edit made by hand (or in git) between
opening and saving a record is a conflict too. Saving rewrites only that record's lines
(geo.store.layout keeps every other byte), rebuilds the layers, and appends to the change log
(data/changes.jsonl); review decisions go to data/review-decisions.jsonl. Both are JSON lines,
append-only, committed with the register. One writer at a time (a lock file in the register folder).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import re
from contextlib import contextmanager
from pathlib import Path

from geo.build.layers import build, check_register
from geo.deployment import refuse_writes
from geo.errors import RegisterError
from geo.evidence.register import load_register
from geo.paths import DATA_DIR, SOURCES_DIR, layers_dir
from geo.places.boundaries import load_subjects
from geo.places.gazetteer import Gazetteer, GazetteerEntry, read_gazetteer, with_entries
from geo.store.base import (REVIEW_DECISIONS, ChangeEntry, Counts, FieldChange, Record, ReviewDecision, SaveResult,
                            StoredRecord, StoreError, VersionConflict)
from geo.store.documents import check_document, document_of, field_changes, kind_of
from geo.store.layout import RecordText, document_digest, house_layout, parse_register_file, render_register_file
from geo.view.scale import MARKER_LIMIT, Plan, Viewport, plan
from geo.writing import write_atomically


class FileStore:
    def __init__(self, root: str | Path | None = None, sources_dir: Path | None = None):
        self.root = Path(root) if root else DATA_DIR
        self.url = str(self.root)
        self.register_dir = self.root / "register"
        self.gazetteer_csv = self.root / "gazetteer.csv"
        self.changes_file = self.root / "changes.jsonl"
        self.reviews_file = self.root / "review-decisions.jsonl"
        # a register copied elsewhere with its documents (tests, a scratch copy) uses its own sources/
        own_sources = self.root / "sources"
        self.sources_dir = Path(sources_dir) if sources_dir else (
            own_sources if root and (own_sources / "sources.yaml").is_file() else SOURCES_DIR)
        self._incidents = None

    def close(self) -> None:
        self._incidents = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def data_dir(self) -> Path:
        return layers_dir() if self.root == DATA_DIR else self.root

    # -- reading -------------------------------------------------------------------------------
    def load_register(self):
        return load_register(self.register_dir)

    def _find(self, record_id: str):
        # only the files that mention the id are taken apart (a round-trip parse is the slow part)
        mention = re.compile(r"^\s*-?\s*id:\s*[\"']?" + re.escape(record_id) + r"[\"']?\s*(?:#.*)?$", re.M)
        for path in sorted(self.register_dir.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if not mention.search(text):
                continue
            parsed = parse_register_file(path.name, text)
            for index, entry in enumerate(parsed.records):
                if entry.doc.get("id") == record_id:
                    return path, parsed, index
        return None

    def record(self, record_id: str) -> StoredRecord:
        found = self._find(record_id)
        if found is None:
            raise StoreError(f"no record {record_id!r} in {self.register_dir}")
        path, parsed, index = found
        kind = "site" if path.name.startswith("sites") else "incident"
        doc = parsed.records[index].doc
        return StoredRecord(check_document(kind, doc), document_digest(doc), path.name)

    def sources(self):
        from geo.store.importing import source_documents
        return source_documents(self.sources_dir)

    def gazetteer(self):
        return read_gazetteer(self.gazetteer_csv)

    def layer(self, name: str):
        from geo.view.dataset import load_layer
        return load_layer(name, self.data_dir)

    def _loaded(self):
        if self._incidents is None:
            from geo.view.scale import coordinates
            incidents = self.layer("incidents")
            self._incidents = (incidents, coordinates(incidents))
        return self._incidents

    def counts(self, view) -> Counts:
        incidents, (lon, _) = self._loaded()
        mask = view.mask(incidents).to_numpy()
        drawn = int((mask & (lon == lon)).sum())
        return Counts(int(mask.sum()), drawn, int(mask.sum()) - drawn)

    def viewport(self, view, viewport: Viewport, limit: int = MARKER_LIMIT) -> Plan:
        incidents, coords = self._loaded()
        return plan(incidents, viewport, limit=limit, mask=view.mask(incidents).to_numpy(), coords=coords)

    def filter_change(self, view, viewport: Viewport, limit: int = MARKER_LIMIT) -> tuple[Counts, Plan]:
        return self.counts(view), self.viewport(view, viewport, limit)

    # -- writing ---------------------------------------------------------------------------------
    @contextmanager
    def _locked(self):
        with open(self.register_dir / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def save_record(self, record: Record, expected_version, user: str, reason: str,
                    file: str | None = None, places: tuple[GazetteerEntry, ...] = ()) -> SaveResult:
        refuse_writes(f"saving record {record.id!r}")
        kind = kind_of(record)
        with self._locked():
            places = self._new_places(places)
            found = self._find(record.id)
            if found is None and expected_version is not None:
                raise StoreError(f"record {record.id!r} is no longer in the register (removed since you opened it?); "
                                 "your input is kept: save it as a new record")
            if found is not None:
                path, parsed, index = found
                old = parsed.records[index]
                version = document_digest(old.doc)
                doc = document_of(record, old.doc)
                if expected_version != version:
                    self._log(user, record.id, expected_version, "conflict", field_changes(old.doc, doc), reason)
                    since = [e for e in self.history(record.id) if e.outcome == "saved"]
                    raise VersionConflict(record.id, expected_version, version, since[-1:],
                                          check_document(kind, old.doc))
                parsed.records[index] = RecordText(doc, old.layout, old.comments_before)
            else:
                name = file or f"{'sites' if kind == 'site' else 'incidents'}-{record.sources[0].doc}.yaml"
                path = self.register_dir / name
                parsed = (parse_register_file(name, path.read_text(encoding="utf-8")) if path.exists()
                          else parse_register_file(name, ""))
                doc, old = document_of(record), None
                parsed.records.append(RecordText(doc, house_layout(doc), "\n" if parsed.records else ""))
            changes = field_changes(old.doc if old else None, doc)
            if not changes:
                return SaveResult(record.id, expected_version, ())
            self._check_with(record, places)
            files = {path: render_register_file(parsed)}
            if places:
                files[self.gazetteer_csv] = with_entries(self.gazetteer_csv.read_text(encoding="utf-8"), places)
                changes += [FieldChange(f"gazetteer/{p.id}", None, _entry_dict(p)) for p in places]
            write_atomically(files)
            build(self.register_dir, self.gazetteer_csv, self.data_dir, self.sources_dir)
            self._incidents = None
            version = document_digest(doc)
            self._log(user, record.id, version, "saved", changes, reason)
            return SaveResult(record.id, version, tuple(changes))

    def _new_places(self, places) -> list[GazetteerEntry]:
        """The gazetteer rows to add with a record; a row already there as given is not added
        again, a different row under the same id is refused."""
        existing = {e.id: e for e in read_gazetteer(self.gazetteer_csv)}
        new = []
        for place in places:
            if place.id not in existing:
                new.append(place)
            elif existing[place.id] != place:
                raise StoreError(f"the gazetteer already has a different place with id {place.id!r}; "
                                 "choose that place, or give the new one another name")
        return new

    def _check_with(self, record: Record, places: list[GazetteerEntry] = ()) -> None:
        """The build's checks on the register as it would be with `record` saved (and `places` in
        the gazetteer)."""
        register = self.load_register()
        for records in (register.incidents, register.sites):
            records[:] = [r for r in records if r.id != record.id]
        (register.sites if kind_of(record) == "site" else register.incidents).append(record)
        register.origin.setdefault(record.id, "(the record being saved)")
        gazetteer = Gazetteer([*read_gazetteer(self.gazetteer_csv), *places], load_subjects())
        checked = check_register(register, gazetteer, self.sources_dir, self.gazetteer_csv.name)
        if checked.problems:
            raise RegisterError(checked.problems)

    def _log(self, user, record_id, version, outcome, changes, reason) -> None:
        entry = {"at": dt.datetime.now(dt.timezone.utc).isoformat(), "user": user, "record_id": record_id,
                 "version": version, "outcome": outcome,
                 "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in changes],
                 "reason": reason}
        _append(self.changes_file, entry)

    def history(self, record_id: str | None = None) -> list[ChangeEntry]:
        entries = []
        for row in _read_lines(self.changes_file):
            if record_id is None or row["record_id"] == record_id:
                entries.append(ChangeEntry(dt.datetime.fromisoformat(row["at"]), row["user"], row["record_id"],
                                           row["version"], row["outcome"],
                                           tuple(FieldChange(**c) for c in row["changes"]), row["reason"]))
        return entries

    def record_review(self, decision: ReviewDecision) -> None:
        refuse_writes(f"recording a review decision on {decision.candidate!r}")
        if decision.decision not in REVIEW_DECISIONS:
            raise StoreError(f"a review decision is one of {', '.join(REVIEW_DECISIONS)}, not {decision.decision!r}")
        _append(self.reviews_file, {"at": dt.datetime.now(dt.timezone.utc).isoformat(), "doc": decision.doc,
                                    "candidate": decision.candidate, "decision": decision.decision,
                                    "user": decision.user, "reason": decision.reason, "record_id": decision.record_id})

    def review_decisions(self, doc: str | None = None) -> list[ReviewDecision]:
        latest: dict[tuple[str, str], ReviewDecision] = {}
        for row in _read_lines(self.reviews_file):
            if doc is None or row["doc"] == doc:
                key = (row["doc"], row["candidate"])
                latest.pop(key, None)   # re-inserted: the order is that of the latest decisions
                latest[key] = ReviewDecision(row["doc"], row["candidate"], row["decision"], row["user"], row["reason"],
                                             row["record_id"], dt.datetime.fromisoformat(row["at"]))
        return list(latest.values())


def _entry_dict(entry: GazetteerEntry) -> dict:
    return {**entry.__dict__, "aliases": list(entry.aliases)}


def _append(path: Path, entry: dict) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()


def _read_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError:
                raise StoreError(f"{path}: line {number} is not valid JSON; restore it from git") from None
    return rows
