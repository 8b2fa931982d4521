"""The record form's state: opening it (a draft into the widgets' keys) and reading it back.

Every field lives in session state under a key starting with `rf_` (ui.session keeps them across
pages), and `st.session_state["form"]` says what the form is for: a new record from a proposal, a
new record from scratch, or the correction of an existing record with the version it was opened at
(the store refuses the save if someone saved the record since).
"""
from __future__ import annotations

import secrets

import streamlit as st

from geo.evidence.editing import Draft, ReadingDraft, SourceDraft, draft_from_record
from geo.ingest.review import draft_from_candidate, place_options
from geo.places.choice import PlaceChoice

FORM = "form"
KEPT, POINT = "kept", "point"


def is_open() -> bool:
    return bool(st.session_state.get(FORM))


def form() -> dict:
    return st.session_state[FORM]


def close() -> None:
    state = st.session_state
    for key in [k for k in state if isinstance(k, str) and k.startswith("rf_")]:
        del state[key]
    state.pop(FORM, None)
    state.pop("placemap", None)


def _values(draft: Draft) -> dict:
    """The widgets' values for a draft (the place's widgets apart)."""
    values = {
        "rf_title": draft.title, "rf_type": draft.type or None, "rf_date_as_written": draft.date_as_written,
        "rf_date_precision": draft.date_precision or None, "rf_date_start": draft.date_start,
        "rf_date_end": draft.date_end, "rf_on_or_before": draft.date_qualifier == "on_or_before",
        "rf_place_as_written": draft.place_as_written, "rf_site": draft.site, "rf_court": draft.court,
        "rf_instance": draft.court_instance or None, "rf_court_outcome": list(draft.court_outcome),
        "rf_people": draft.people_affected, "rf_people_names": "\n".join(draft.people_names),
        "rf_public_precision": draft.public_precision, "rf_actors": list(draft.actors), "rf_outcome": draft.outcome,
        "rf_related": list(draft.related), "rf_case": draft.case, "rf_notes": draft.notes,
    }
    for i, source in enumerate(draft.sources):
        values.update({f"rf_src_{i}_doc": source.doc, f"rf_src_{i}_locator": source.locator,
                       f"rf_src_{i}_quote": source.quote})
    for j, reading in enumerate(draft.readings):
        values.update({f"rf_rd_{j}_doc": reading.doc, f"rf_rd_{j}_as_written": reading.as_written,
                       f"rf_rd_{j}_start": reading.start, f"rf_rd_{j}_end": reading.end})
    return values


def _fill(draft: Draft, choice: PlaceChoice, info: dict) -> None:
    close()
    state = st.session_state
    values = {**_values(draft), "rf_reason": "", "rf_precision": choice.precision or None, "rf_point_name": "",
              "rf_point_precision": "exact_site", "rf_point_note": "", "rf_place_q": ""}
    options = {}
    if choice.kept is not None:
        options[KEPT] = {**choice.kept, "gazetteer_id": KEPT, "label": "the record's place as it is"}
        values["rf_place_pick"] = KEPT
    for place in info.pop("options", []):
        options.setdefault(place["gazetteer_id"], place)
    if choice.place is not None:
        options.setdefault(choice.place["gazetteer_id"], choice.place)
        values["rf_place_pick"] = choice.place["gazetteer_id"]
    state.update(values)
    state[FORM] = {**info, "n_sources": max(1, len(draft.sources)), "n_readings": len(draft.readings),
                   "options": options, "point": None, "errors": {}, "conflict": None, "message": None,
                   "opened": draft, "opened_place": choice.kept, "token": secrets.token_hex(6)}


def open_from_candidate(candidate: dict, doc_id: str, courts: dict[str, str] | None = None) -> None:
    draft, choice = draft_from_candidate(candidate, doc_id, courts)
    _fill(draft, choice, {"mode": "new", "doc": doc_id, "candidate": candidate, "record_id": None,
                          "version": None, "options": place_options(candidate)})


def open_blank(doc_id: str) -> None:
    _fill(Draft(sources=[SourceDraft(doc_id)]), PlaceChoice(), {"mode": "new", "doc": doc_id, "candidate": None,
                                                                "record_id": None, "version": None})


def open_existing(stored) -> None:
    """Correct a stored record (geo.store.base.StoredRecord): its values and its version."""
    record = stored.record
    kept = record.place.model_dump(exclude_none=True, exclude={"as_written", "site"})
    _fill(draft_from_record(record), PlaceChoice(kept=kept, precision=record.place.precision),
          {"mode": "edit", "doc": record.sources[0].doc, "candidate": None, "record_id": record.id,
           "version": stored.version, "file": stored.file,
           "translations": {"title": dict(record.title_translations), "outcome": dict(record.outcome_translations)}})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def read_draft() -> Draft:
    state, info = st.session_state, form()
    g = lambda key, default=None: state.get(key, default)  # noqa: E731
    on_or_before = bool(g("rf_on_or_before"))
    return Draft(
        record_id=info.get("record_id"), title=g("rf_title", ""), type=g("rf_type") or "",
        date_as_written=g("rf_date_as_written", ""), date_start=None if on_or_before else g("rf_date_start"),
        date_end=g("rf_date_end"), date_precision=g("rf_date_precision") or "",
        date_qualifier="on_or_before" if on_or_before else None,
        readings=[ReadingDraft(g(f"rf_rd_{j}_doc") or "", g(f"rf_rd_{j}_as_written", ""), g(f"rf_rd_{j}_start"),
                               g(f"rf_rd_{j}_end")) for j in range(info["n_readings"])],
        place_as_written=g("rf_place_as_written", ""), site=g("rf_site"), court=g("rf_court"),
        court_instance=g("rf_instance") or "", court_outcome=list(g("rf_court_outcome") or []),
        people_affected=None if g("rf_people") is None else int(g("rf_people")),
        people_names=_lines(g("rf_people_names", "")), public_precision=g("rf_public_precision"),
        actors=list(g("rf_actors") or []), outcome=g("rf_outcome", ""), related=list(g("rf_related") or []),
        case=g("rf_case", ""), notes=g("rf_notes", ""), reason=g("rf_reason", ""),
        sources=[SourceDraft(g(f"rf_src_{i}_doc") or "", g(f"rf_src_{i}_locator", ""), g(f"rf_src_{i}_quote", ""))
                 for i in range(info["n_sources"])],
        title_translations=dict((info.get("translations") or {}).get("title") or {}),
        outcome_translations=dict((info.get("translations") or {}).get("outcome") or {}))


def read_choice() -> PlaceChoice:
    state, info = st.session_state, form()
    pick = state.get("rf_place_pick")
    kept = info["options"].get(KEPT)
    kept = {k: v for k, v in kept.items() if k not in ("gazetteer_id", "label")} if kept else None
    common = {"precision": state.get("rf_precision") or "", "kept": kept if pick == KEPT else None}
    if pick == POINT and info.get("point"):
        return PlaceChoice(point=info["point"], point_name=state.get("rf_point_name", ""),
                           point_precision=state.get("rf_point_precision") or "exact_site",
                           point_note=state.get("rf_point_note", ""), point_subject=info.get("point_subject"),
                           point_country=info.get("point_country"), **common)
    if pick == KEPT:
        return PlaceChoice(**common)
    return PlaceChoice(place=info["options"].get(pick), **common)


def merge_theirs(stored) -> list[str]:
    """After a refused save: take the stored record (someone else's save) as the base and keep
    what this form changed. Fields the form did not touch take their value; a field both changed
    keeps the form's value and is returned, for the editor to check."""
    info, state = form(), st.session_state
    opened, mine = info["opened"], read_draft()
    theirs = draft_from_record(stored.record)
    both = []
    merged = {}
    for name in Draft.__dataclass_fields__:
        if name in ("record_id", "reason"):
            continue
        if getattr(mine, name) == getattr(opened, name):
            merged[name] = getattr(theirs, name)
        else:
            merged[name] = getattr(mine, name)
            if getattr(theirs, name) != getattr(opened, name) and getattr(theirs, name) != getattr(mine, name):
                both.append(name)
    merged_draft = Draft(record_id=mine.record_id, reason=mine.reason, **merged)
    for key in [k for k in state if isinstance(k, str) and k.startswith(("rf_src_", "rf_rd_"))]:
        del state[key]
    state.update(_values(merged_draft))
    kept_theirs = stored.record.place.model_dump(exclude_none=True, exclude={"as_written", "site"})
    if state.get("rf_place_pick") == KEPT and info["options"][KEPT] and \
            {k: v for k, v in info["options"][KEPT].items() if k not in ("gazetteer_id", "label")} == info["opened_place"]:
        info["options"][KEPT] = {**kept_theirs, "gazetteer_id": KEPT, "label": "the record's place as it is"}
    info.update(version=stored.version, opened=theirs, opened_place=kept_theirs,
                n_sources=max(1, len(merged_draft.sources)), n_readings=len(merged_draft.readings))
    return both
