"""The list of proposals beside the document: each with its quote, type, date, places (with the
alternatives), people and status; Accept opens the record form, Reject asks for a short reason."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from geo.errors import GeoError
from geo.evidence.dates import date_label
from geo.evidence.vocabulary import ACTORS, INCIDENT_TYPES, LOCATION_PRECISIONS
from geo.ingest.review import ACCEPTED, IN_REGISTER, OPEN, REJECTED, STATUS_LABELS, progress
from geo.outputs.html_text import markdown_literal as md
from geo.store.base import ReviewDecision
from ui import data as shared, identity, record_form
from ui.review.document import show_offset
from geo.language import N_, Labels, _
from geo.language.places import place_name

QUOTE_CHARS = 420
SHOW = Labels({"page": N_("on this page"), "open": N_("to review (all pages)"), "all": N_("all")})
FOCUS = "review_focus"


def date_text(date: dict | None) -> str:
    if not date:
        return _("no date found")
    label = date_label(dt.date.fromisoformat(date["start"]), dt.date.fromisoformat(date["end"]),
                       date["precision"] if date["precision"] in ("day", "month", "year", "season") else "range")
    inferred = " · " + _("inferred: check it") if date.get("inferred") else ""
    return f"{label}{inferred} (“{date.get('as_written', '')}”)"


def _place_text(place: dict, subject_names: dict) -> str:
    where = subject_names.get(place.get("subject")) or place.get("country") or ""
    name = place_name(place.get("gazetteer_id") or place.get("country"), place["name"])
    text = (f"{name} ({LOCATION_PRECISIONS.get(place['precision'], place['precision'])}"
            f"{', ' + where if where and where != name else ''})")
    others = [place_name(a.get("gazetteer_id"), a["name"]) + (f" ({subject_names.get(a.get('subject'), a.get('subject') or a.get('country'))})")
              for a in place.get("alternatives") or []][:4]
    return (text + (" — " + _("or: {places}").format(places=", ".join(others)) if others else "")
            + (" · " + _("from the paragraph") if place.get("from_context") else ""))


def _open(doc_id: str, candidate: dict, courts: dict[str, str]) -> None:
    record_form.open_from_candidate(candidate, doc_id, courts)
    st.session_state[FOCUS] = candidate["id"]


def _show(doc_id: str, candidate: dict, text: str, pages) -> None:
    st.session_state[FOCUS] = candidate["id"]
    show_offset(doc_id, candidate["start"], text, pages)


def _reject(doc_id: str, candidate: dict) -> None:
    state = st.session_state
    reason = " ".join(str(state.get(f"reject_reason_{candidate['id']}", "")).split())
    user = identity.current_user()
    if not user or len(reason) < 3:
        state["review_message"] = ("error", _("To reject, set your name in the sidebar and give a short reason "
                                               "(e.g. “a statistic, not an incident”)."))
        return
    try:
        shared.store().record_review(ReviewDecision(doc_id, candidate["id"], "reject", user, reason))
    except GeoError as exc:
        state["review_message"] = ("error", _("Not recorded: {problem}").format(problem=exc))
        return
    state["review_message"] = ("success", _("Rejected: {reason}").format(reason=reason))


def _courts(data) -> dict[str, str]:
    courts = data.sites.get("courts")
    return dict(zip(courts["id"], courts["name"])) if courts is not None else {}


def _go_to_record(record_id: str, data) -> None:
    from ui import map_state
    map_state.select(record_id, data)
    st.session_state["go_to_map"] = True


def _card(doc_id: str, item, data, text: str, pages) -> None:
    c = item.candidate
    with st.container(border=True, key=f"candidate_{c['id']}"):
        st.markdown(f"**{md(INCIDENT_TYPES.get(c['type'], c['type_label']))}** · {md(date_text(c.get('date')))}  \n"
                    f"*{md(STATUS_LABELS[item.status])}* · {md(c['locator'])}")
        quote = c["quote"] if len(c["quote"]) <= QUOTE_CHARS else c["quote"][:QUOTE_CHARS] + " …"
        st.markdown("> " + md(quote))
        lines = [_("**Places:** {places}").format(places=md('; '.join(_place_text(p, data.subject_names) for p in c['places'])))
                 if c["places"] else _("**Places:** none named")]
        if c.get("people_affected") is not None or c.get("people_phrase"):
            count = c["people_affected"] if c.get("people_affected") is not None else _("number not stated")
            lines.append(_("**People:** {count}").format(count=md(count)) + (f" (“{md(c['people_phrase'])}”)" if c.get("people_phrase") else ""))
        if c.get("people_names"):
            lines.append(_("**Names (sensitive):** {names}").format(names=md(', '.join(c['people_names']))))
        if c.get("actors"):
            lines.append(_("**Actors:** {actors}").format(actors=md(', '.join(ACTORS.get(a, a) for a in c['actors']))))
        st.markdown("  \n".join(lines))
        if item.status == REJECTED and item.decision:
            st.caption(_("Rejected by {user}: {reason}").format(user=md(item.decision.user), reason=md(item.decision.reason)))
        if item.records:
            st.markdown(_("Made into:") if item.status == ACCEPTED else _("Already in the register as:"))
            for rid in item.records[:3]:
                st.button(f"{data.titles.get(rid, rid)} ({rid})", key=f"goto_{c['id']}_{rid}",
                          on_click=_go_to_record, args=(rid, data), help=_("Open the record on the map"))
        accept, reject, show = st.columns(3)
        accept.button(_("Accept…"), key=f"accept_{c['id']}", type="primary", disabled=item.status in (ACCEPTED, IN_REGISTER),
                      on_click=_open, args=(doc_id, c, _courts(data)), width="stretch",
                      help=_("Open the record form filled with this proposal") if item.status in (OPEN, REJECTED)
                      else _("This passage is in the register already"))
        with reject.popover(_("Reject…"), width="stretch", disabled=item.status in (ACCEPTED, IN_REGISTER)):
            st.text_input(_("Why (short)"), key=f"reject_reason_{c['id']}", placeholder=_("a statistic, not an incident"))
            st.button(_("Reject the proposal"), key=f"reject_{c['id']}", on_click=_reject, args=(doc_id, c))
        show.button(_("Show in text"), key=f"show_{c['id']}", width="stretch", on_click=_show, args=(doc_id, c, text, pages))


def candidate_list(doc_id: str, items, page_range: tuple[int, int], data, text: str, pages) -> None:
    state = st.session_state
    counts = progress(items)
    done = len(items) - counts[OPEN]
    st.progress(done / len(items) if items else 1.0,
                text=_("{done} of {total} proposals decided: {accepted} accepted, {rejected} rejected, {in_register} "
                       "already in the register, {open} to review").format(
                    done=done, total=len(items), accepted=counts[ACCEPTED], rejected=counts[REJECTED],
                    in_register=counts[IN_REGISTER], open=counts[OPEN]))
    message = state.pop("review_message", None)
    if message:
        (st.success if message[0] == "success" else st.error)(md(message[1]))
    show = st.radio(_("Show proposals"), list(SHOW), key="review_show", format_func=SHOW.get, horizontal=True)
    start, end = page_range
    shown = [i for i in items if (show == "all") or (show == "open" and i.status == OPEN)
             or (show == "page" and start <= i.candidate["start"] < end)]
    focus = state.get(FOCUS)
    focused = [i for i in items if i.id == focus]
    if focused and focused[0] not in shown:
        shown.insert(0, focused[0])
    shown.sort(key=lambda i: i.id != focus)
    if not shown:
        st.info(_("No proposal here.") + (" " + _("Every proposal of this document is decided.") if show == "open" else ""))
    for item in shown[:25]:
        _card(doc_id, item, data, text, pages)
    if len(shown) > 25:
        st.caption(_("The first 25 of {n}; turn the document's pages to see the others beside their text.").format(n=len(shown)))
