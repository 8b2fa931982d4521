"""The record form: a new record (from a proposal, or from scratch) or the correction of an existing
one. Every schema field with its vocabulary and rule; the quote checked live against its document;
the place from the gazetteer or a researched point; nothing saved until every check passes."""
from __future__ import annotations

import streamlit as st

from geo.outputs.html_text import markdown_literal as md
from ui import identity
from ui.history import change_lines
from ui.record_form import fields
from ui.record_form.place import place_fields
from ui.record_form.save import attempt_save, keep_my_input, take_theirs
from ui.record_form.state import close, form, is_open, open_blank, open_existing, open_from_candidate
from geo.language import _

__all__ = ["show", "is_open", "open_blank", "open_existing", "open_from_candidate", "close"]

# A form that opens below the fold (Accept on a card low in the list) is brought into view once.
_SCROLL_JS = """
export default function({ data }) {
  if (window.__incidentMapFormShown === data.token) return;     // once per opened form, not on every rerun
  window.__incidentMapFormShown = data.token;
  const form = document.querySelector('.st-key-record_form');
  if (form) form.scrollIntoView({block: 'start', behavior: 'instant'});
}"""
_scroll_into_view = st.components.v2.component("incident_map_scroll_to_form", js=_SCROLL_JS, isolate_styles=False)


def _header(info: dict) -> None:
    if info["mode"] == "edit":
        st.markdown("## " + _("Correct record {id}").format(id=f"`{md(info['record_id'])}`"))
        st.caption(_("Your changes are saved with your name and reason in the change log. If someone saves this "
                   "record meanwhile, your save is refused and your input kept."))
    elif info.get("candidate"):
        st.markdown(_("## New record from the proposal"))
        st.caption(_("Every field is the geoparser's proposal: check each against the document before saving."))
    else:
        st.markdown(_("## New record"))


def _conflict(info: dict) -> None:
    conflict = info.get("conflict")
    if conflict:
        st.error(_("Not saved: {reason}. Your input is kept below.").format(reason=md(conflict['message'])))
    shown = conflict["since"] if conflict else info.get("their_changes")
    for user, at, changes in shown or []:
        st.markdown(_("**{user}** saved at {time}:").format(user=md(user), time=md(at)))
        for line in change_lines(changes):
            st.markdown(f"- {line}")
    if conflict:
        a, b = st.columns(2)
        a.button(_("Keep my input and save on top of their version"), key="rfb_keep_mine", on_click=keep_my_input)
        if info["mode"] == "edit":
            b.button(_("Discard my input and load their version"), key="rfb_take_theirs", on_click=take_theirs)


def show(data, selection: dict | None, doc_labels: dict[str, str]) -> None:
    with st.container(key="record_form"):
        _form(data, selection, doc_labels)
    _scroll_into_view(key="record_form_scroll", data={"token": form()["token"]})


def _form(data, selection: dict | None, doc_labels: dict[str, str]) -> None:
    info = form()
    _header(info)
    _conflict(info)
    if info.get("message"):
        (st.info if info["message"].startswith("Your input is kept") else st.error)(md(info["message"]))
    errors, warnings = info.get("errors", {}), fields.live_warnings()
    if not identity.current_user() or errors.get("user"):
        st.warning(_("Set your name in the sidebar: every save is recorded with it."))
    fields.main_fields(errors, warnings)
    fields.source_fields(errors, doc_labels, selection)
    fields.date_fields(errors)
    fields.readings_fields(errors, doc_labels)
    st.markdown(_("**Place**"))
    place_fields(data, errors)
    fields.site_field(errors, data)
    fields.court_fields(errors, data)
    fields.people_fields(errors, warnings, data)
    fields.links_and_notes(errors, warnings, data)
    st.text_input(_("Reason for this change (required)") if info["mode"] == "edit" else _("Reason for this change (optional)"),
                  key="rf_reason", help=fields.HELP["reason"])
    fields.show_errors(errors, "reason")
    leftover = {k: v for k, v in errors.items() if k not in fields.SHOWN_KEYS and not k.startswith(("sources.", "readings."))}
    for key, messages in leftover.items():
        for message in messages:
            st.error(f"{key}: {md(message)}")
    st.caption(_("Id: {id} (ids never change)").format(id=f"`{md(info['record_id'])}`") if info["record_id"]
               else _("Id: assigned when you save: from the document, type, place and date — never a name"))
    save, cancel = st.columns(2)
    save.button(_("Save record"), key="rfb_save", type="primary", on_click=attempt_save, width="stretch")
    cancel.button(_("Cancel (discard this form)"), key="rfb_cancel", on_click=close, width="stretch")
