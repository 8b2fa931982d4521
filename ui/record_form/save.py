"""Saving the form through the store: everything checked first, then one save (register file,
gazetteer row, rebuilt layers, change log) or nothing; the review decision of an accepted proposal
after it. A refused save (a problem, someone else's newer version) keeps every field as typed."""
from __future__ import annotations

import streamlit as st

from geo.errors import GeoError, RegisterError
from geo.evidence import sources
from geo.evidence.editing import Rules, build_record, field_of
from geo.evidence.record_ids import date_part, document_prefix, mint_id
from geo.ingest.review import may_create, register_spans
from geo.places.choice import resolve_choice
from geo.store.base import ReviewDecision, VersionConflict
from ui import data as shared, identity
from ui.record_form.state import close, form, merge_theirs, read_choice, read_draft

SAVED = "saved"          # session key: the last save, for the banner on the map page
GO_TO_MAP = "go_to_map"  # set by a save: the page switches to the map on its next run


def _rules(register, mode: str) -> Rules:
    sites = {s.id: s.kind for s in register.sites}
    return Rules(sources_dir=shared.sources_dir(), record_ids=frozenset([*(i.id for i in register.incidents), *sites]),
                 courts=frozenset(i for i, kind in sites.items() if kind == "court"), sites=frozenset(sites),
                 reason_required=mode == "edit")


def _new_id(register, draft, doc_id: str, place: dict | None) -> str:
    catalogue = sources.catalogue(shared.sources_dir())
    citing = [i.id for i in register.incidents if i.sources and i.sources[0].doc == doc_id]
    prefix = document_prefix(doc_id, catalogue[doc_id].published if doc_id in catalogue else "", citing)
    names = [n for r in [*register.incidents, *register.sites] for n in r.people_names] + draft.people_names
    start = draft.date_start.isoformat() if draft.date_start else None
    end = draft.date_end.isoformat() if draft.date_end else None
    place_name = place["name"] if place and place["precision"] != "country" else None
    taken = {i.id for i in register.incidents} | {s.id for s in register.sites}
    return mint_id(prefix, draft.type, place_name, date_part(start, end, draft.date_precision), taken, names)


def attempt_save() -> None:
    """The Save button's callback: on success the page goes to the map with the record selected."""
    info, state = form(), st.session_state
    info.update(errors={}, message=None)
    user = identity.current_user()
    if not user:
        info["errors"] = {"user": [("sign in with an editor's account first: saves are recorded under your name"
                                    if identity.team() else
                                    "set your name in the sidebar first: it goes into the change log with the save")]}
        return
    store = shared.store()
    draft, choice = read_draft(), read_choice()
    try:
        register = store.load_register()
        resolved = resolve_choice(choice, store.gazetteer())
        record_id = info["record_id"] or _new_id(register, draft, info["doc"], resolved.place)
        built = build_record(draft, record_id, resolved.place, resolved.errors, _rules(register, info["mode"]))
        if not built.ok:
            info["errors"] = built.errors
            info["message"] = f"{sum(map(len, built.errors.values()))} problem(s) below; nothing was saved."
            return
        candidate = info.get("candidate")
        if candidate:
            spans = register_spans(register.incidents, info["doc"], sources.text(info["doc"], shared.sources_dir()))
            refused = may_create(candidate, store.review_decisions(info["doc"]), spans)
            if refused:
                info["message"] = f"Not saved: {refused}."
                return
        reason = " ".join(draft.reason.split()) or (f"accepted from proposal {candidate['id']}" if candidate
                                                     else "new record")
        result = store.save_record(built.record, info["version"], user, reason, file=info.get("file"),
                                   places=tuple(resolved.new_entries))
        if candidate:
            store.record_review(ReviewDecision(info["doc"], candidate["id"], "accept", user, reason, record_id))
    except VersionConflict as conflict:
        info["conflict"] = {"message": str(conflict), "current": conflict.current,
                            "since": [(e.user, e.at.isoformat(timespec="minutes"),
                                       [(c.field, c.before, c.after) for c in e.changes]) for e in conflict.since]}
        return
    except RegisterError as exc:
        info["errors"] = {}
        for problem in exc.problems:
            info["errors"].setdefault(field_of(problem.field), []).append(problem.message)
        info["message"] = f"{len(exc.problems)} problem(s) below; nothing was saved."
        return
    except GeoError as exc:
        info["message"] = f"Not saved: {exc}"
        return
    state[SAVED] = {"record_id": record_id, "title": built.record.title, "changes": len(result.changes),
                    "doc": info["doc"], "mode": info["mode"]}
    state["selected"] = record_id
    _centre_on(store, record_id)
    close()
    state[GO_TO_MAP] = True


def _centre_on(store, record_id: str) -> None:
    """Ask the map to bring the saved record into view (ui.map_state), from the rebuilt layer."""
    from geo.view.selection import record_target
    from ui import map_state
    try:
        row = store.layer("incidents").loc[record_id]
    except (GeoError, KeyError):
        return
    map_state.request(record_target(row, shared.bundle_or_stop().subjects))


def keep_my_input() -> None:
    """After a conflict: their record becomes the base; the fields this form changed stay as typed."""
    info = form()
    try:
        stored = shared.store().record(info["record_id"])
    except GeoError as exc:
        info["message"] = f"Their version cannot be read: {exc}"
        return
    both = merge_theirs(stored)
    info["their_changes"] = info["conflict"]["since"]
    info["conflict"] = None
    info["message"] = ("Your input is kept and now based on their version (their changes are shown above): "
                       + (f"you both changed {', '.join(both)} — yours is kept, check it; " if both else "")
                       + "save again when it is right.")


def take_theirs() -> None:
    from ui.record_form.state import open_existing
    open_existing(shared.store().record(form()["record_id"]))
