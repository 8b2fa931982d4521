"""A record's history (the details panel) and the latest changes (About the data): who, when,
which fields before -> after, and why — from the store's append-only change log. Every value is
shown as text (escaped), whatever it contains."""
from __future__ import annotations

import json

import streamlit as st

from geo.errors import GeoError
from geo.outputs.html_text import markdown_literal as md
from ui import data as shared
from geo.language import N_, Labels, _, ngettext

MAX_VALUE = 160
OUTCOMES = Labels({"saved": N_("saved"), "conflict": N_("refused (someone had saved it meanwhile)"), "imported": N_("imported")})


def _value(value) -> str:
    if value is None:
        return _("(none)")
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "“" + md(text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…") + "”"


def change_lines(changes) -> list[str]:
    """Markdown lines "field: before → after" for (field, before, after) triples or FieldChanges."""
    lines = []
    for change in changes:
        fld, before, after = (change.field, change.before, change.after) if hasattr(change, "field") else change
        lines.append(f"`{md(fld)}`: {_value(before)} → {_value(after)}")
    return lines


def _entries(record_id: str | None = None):
    try:
        return shared.store().history(record_id)
    except GeoError as exc:
        st.caption(_("The change log cannot be read: {problem}").format(problem=md(str(exc))))
        return []


def record_history(record_id: str) -> None:
    """The details panel's history of one record, newest first."""
    entries = [e for e in _entries(record_id)]
    with st.expander(ngettext("History ({n} change)", "History ({n} changes)", len(entries)).format(n=len(entries)),
                     expanded=False):
        if not entries:
            st.caption(_("No change recorded since the change log was started: the record is as it was "
                       "curated in the register."))
        for entry in reversed(entries):
            st.markdown(f"**{entry.at:%Y-%m-%d %H:%M} UTC · {md(entry.user)}** · {OUTCOMES.get(entry.outcome, entry.outcome)}"
                        + (f" — {md(entry.reason)}" if entry.reason else ""))
            for line in change_lines(entry.changes)[:40]:
                st.markdown(f"- {line}")


def latest_changes(limit: int = 15) -> None:
    """The About page's list of the latest saves, newest first."""
    entries = [e for e in _entries() if e.outcome == "saved"][-limit:]
    st.markdown(_("## Latest changes"))
    if not entries:
        st.caption(_("No record has been saved in the app yet."))
        return
    rows = [{_("When (UTC)"): f"{e.at:%Y-%m-%d %H:%M}", _("Who"): e.user, _("Record"): e.record_id,
             "Fields changed": ", ".join(c.field for c in e.changes[:8]) + (" …" if len(e.changes) > 8 else ""),
             "Reason": e.reason} for e in reversed(entries)]
    st.dataframe(rows, hide_index=True, width="stretch")
