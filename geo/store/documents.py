"""Record documents: a record as the register writes it (plain JSON), and what changed between two.

A validated record (pydantic) fills in what the curator left out (an `end` that follows from the
precision, empty lists); writing those back would change the register for nothing. `document_of`
keeps a document as close to the previous one as the record allows: a value the previous document
did not state is left out when the record validates the same without it.
"""
from __future__ import annotations

from geo.evidence.schema import Incident, Site
from geo.store.base import FieldChange, Record, StoreError

MISSING = object()


def model_for(kind: str):
    return Site if kind == "site" else Incident


def kind_of(record: Record) -> str:
    return "site" if isinstance(record, Site) else "incident"


def document_of(record: Record, previous: dict | None = None) -> dict:
    """The register document for `record`, stating no more than `previous` did where that is enough."""
    doc = record.model_dump(mode="json", exclude_unset=True)
    previous = previous or {}
    model = type(record)
    for path in sorted(_unstated_paths(doc, previous), key=len, reverse=True):
        trial = _without(doc, path)
        try:
            if model.model_validate(trial) == record:
                doc = trial
        except ValueError:
            continue
    return doc


def _unstated_paths(doc, previous, prefix=()):
    """Paths (tuples of keys) of dict entries in doc that previous does not have."""
    if not isinstance(doc, dict):
        return
    for key, value in doc.items():
        here = prefix + (key,)
        before = previous.get(key, MISSING) if isinstance(previous, dict) else MISSING
        if before is MISSING:
            yield here
        elif isinstance(value, dict):
            yield from _unstated_paths(value, before, here)


def _without(doc: dict, path: tuple) -> dict:
    head, *rest = path
    copy = dict(doc)
    if rest:
        copy[head] = _without(copy[head], tuple(rest))
    else:
        copy.pop(head)
    return copy


def field_changes(before: dict | None, after: dict | None) -> list[FieldChange]:
    """Per-field differences, by path ("date/start", "sources/1/quote"); lists of plain values
    (actors, related) change as one field, lists of mappings (sources) item by item."""
    changes: list[FieldChange] = []
    _diff(before if before is not None else {}, after if after is not None else {}, "", changes)
    return changes


def _diff(before, after, path: str, out: list[FieldChange]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in list(before) + [k for k in after if k not in before]:
            _diff(before.get(key, None), after.get(key, None), f"{path}/{key}" if path else key, out)
        return
    if (isinstance(before, list) and isinstance(after, list)
            and any(isinstance(v, dict) for v in before + after)):
        for i in range(max(len(before), len(after))):
            _diff(before[i] if i < len(before) else None, after[i] if i < len(after) else None, f"{path}/{i}", out)
        return
    if before != after:
        out.append(FieldChange(path, before, after))


def check_document(kind: str, doc: dict) -> Record:
    """Validate a stored document; a store holding an invalid one says which record and field."""
    from pydantic import ValidationError
    try:
        return model_for(kind).model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(record)"
        raise StoreError(f"record {doc.get('id')!r}: {where}: {first['msg']}") from None
