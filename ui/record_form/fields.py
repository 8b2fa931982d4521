"""The record form's fields, each with the rule it follows (geo.evidence.editing.HELP) and, after a
save was tried, the problems found in it right below it."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from geo.evidence.editing import HELP, check_quote, name_warnings
from geo.evidence.vocabulary import (ACTORS, COURT_INSTANCES, COURT_OUTCOMES, DATE_PRECISIONS, INCIDENT_TYPES,
                                    LOCATION_PRECISIONS, precision_rank)
from geo.outputs.html_text import markdown_literal as md
from ui import data as shared
from ui.record_form.state import form, read_draft
from geo.language import _

EARLIEST = dt.date(1900, 1, 1)


def show_errors(errors: dict, key: str) -> None:
    for message in errors.get(key, []):
        st.error(message)


def _latest() -> dt.date:
    return dt.date.today()


def main_fields(errors: dict, warnings: dict) -> None:
    st.text_input(_("Title"), key="rf_title", help=HELP["title"])
    show_errors(errors, "title")
    for message in warnings.get("title", []):
        st.warning(_("Title: {problem}").format(problem=message))
    st.selectbox(_("Type"), list(INCIDENT_TYPES), key="rf_type", format_func=INCIDENT_TYPES.get, help=HELP["type"],
                 placeholder=_("choose the type"))
    show_errors(errors, "type")


def date_fields(errors: dict) -> None:
    st.markdown(_("**Date**"))
    st.text_input(_("Date as written in the source"), key="rf_date_as_written", help=HELP["date_as_written"])
    show_errors(errors, "date_as_written")
    a, b, c = st.columns(3)
    a.selectbox(_("Date precision"), list(DATE_PRECISIONS), key="rf_date_precision", format_func=DATE_PRECISIONS.get,
                help=HELP["date_precision"], placeholder=_("choose"))
    on_or_before = st.session_state.get("rf_on_or_before")
    b.date_input(_("Start"), key="rf_date_start", min_value=EARLIEST, max_value=_latest(), help=HELP["date_start"],
                 disabled=bool(on_or_before), format="YYYY-MM-DD")
    c.date_input(_("End"), key="rf_date_end", value=None, min_value=EARLIEST, max_value=_latest(), help=HELP["date_end"],
                 format="YYYY-MM-DD")
    st.checkbox(_("On or before (the source gives only the latest date)"), key="rf_on_or_before",
                help=HELP["date_qualifier"])
    for key in ("date_precision", "date_start", "date_end", "date_qualifier"):
        show_errors(errors, key)


def readings_fields(errors: dict, doc_labels: dict) -> None:
    info = form()
    with st.expander(_("Other readings of the date ({n})").format(n=info['n_readings']), expanded=bool(info["n_readings"])):
        st.caption(HELP["readings"])
        cited = [st.session_state.get(f"rf_src_{i}_doc") for i in range(info["n_sources"])]
        for j in range(info["n_readings"]):
            st.markdown(_("Reading {n}").format(n=j + 1))
            st.selectbox(_("Document"), [d for d in dict.fromkeys(cited) if d], key=f"rf_rd_{j}_doc",
                         format_func=lambda d: doc_labels.get(d, d))
            st.text_input(_("As written there"), key=f"rf_rd_{j}_as_written")
            a, b = st.columns(2)
            a.date_input(_("Start (empty: on or before)"), key=f"rf_rd_{j}_start", value=None, min_value=EARLIEST,
                         max_value=_latest(), format="YYYY-MM-DD")
            b.date_input(_("End"), key=f"rf_rd_{j}_end", value=None, min_value=EARLIEST, max_value=_latest(), format="YYYY-MM-DD")
            show_errors(errors, f"readings.{j}")
        st.button(_("Add a reading from another source"), key="rfb_add_reading",
                  on_click=lambda: info.update(n_readings=info["n_readings"] + 1))


def court_fields(errors: dict, data) -> None:
    if st.session_state.get("rf_type") != "court_decision":
        return
    st.markdown(_("**Court decision**"))
    courts = data.sites.get("courts")
    names = dict(zip(courts["id"], courts["name"])) if courts is not None else {}
    st.selectbox(_("Court"), [None, *sorted(names, key=names.get)], key="rf_court", help=HELP["court"],
                 format_func=lambda c: _("not named in the source") if c is None else names.get(c, c))
    st.selectbox(_("Instance"), list(COURT_INSTANCES), key="rf_instance", format_func=COURT_INSTANCES.get,
                 help=HELP["instance"], placeholder=_("choose"))
    st.multiselect(_("What the court decided"), list(COURT_OUTCOMES), key="rf_court_outcome",
                   format_func=COURT_OUTCOMES.get, help=HELP["court_outcome"])
    for key in ("court", "court_instance", "court_outcome"):
        show_errors(errors, key)


def site_field(errors: dict, data) -> None:
    if st.session_state.get("rf_type") == "court_decision":
        return
    names = {i: n for frame in data.sites.values() for i, n in zip(frame["id"], frame["name"])}
    st.selectbox(_("Site (optional)"), [None, *sorted(names, key=names.get)], key="rf_site", help=HELP["site"],
                 format_func=lambda s: _("no named site") if s is None else f"{names.get(s, s)} ({s})")
    show_errors(errors, "site")


def people_fields(errors: dict, warnings: dict, data) -> None:
    st.markdown(_("**People and actors**"))
    st.number_input(_("People affected (lowest figure)"), key="rf_people", value=None, min_value=0, step=1,
                    help=HELP["court_people"] if st.session_state.get("rf_type") == "court_decision"
                    else HELP["people_affected"])
    show_errors(errors, "people_affected")
    st.text_area(_("People's names (sensitive)"), key="rf_people_names", height=80, help=HELP["people_names"])
    precision = st.session_state.get("rf_precision")
    coarser = [p for p in ("region", "country") if not precision or precision_rank(p) >= precision_rank(precision)]
    if st.session_state.get("rf_public_precision") not in [None, *coarser]:
        st.session_state["rf_public_precision"] = None
    st.selectbox(_("Coarsen the place in public releases"), [None, *coarser], key="rf_public_precision",
                 format_func=lambda p: _("no") if p is None else _("to {precision}").format(precision=LOCATION_PRECISIONS[p]),
                 help=HELP["public_precision"])
    show_errors(errors, "public_precision")
    st.multiselect(_("Actors"), list(ACTORS), key="rf_actors", format_func=ACTORS.get, help=HELP["actors"])
    st.text_area(_("Outcome"), key="rf_outcome", height=80, help=HELP["outcome"])
    for message in warnings.get("outcome", []):
        st.warning(_("Outcome: {problem}").format(problem=message))


def links_and_notes(errors: dict, warnings: dict, data) -> None:
    record_id = form().get("record_id")
    others = [i for i in data.titles if i != record_id]
    st.multiselect(_("Related records"), others, key="rf_related", format_func=lambda i: f"{data.titles.get(i, i)} ({i})",
                   help=HELP["related"])
    show_errors(errors, "related")
    st.text_input(_("Case id"), key="rf_case", help=HELP["case"])
    show_errors(errors, "case")
    st.text_area(_("Curator's notes"), key="rf_notes", height=90, help=HELP["notes"])
    for message in warnings.get("notes", []):
        st.warning(_("Notes: {problem}").format(problem=message))


def source_fields(errors: dict, doc_labels: dict, selection: dict | None) -> None:
    """Each source: document, locator, quote — the quote checked against the document as you type."""
    info = form()
    st.markdown(_("**Sources** (verbatim quotes)"))
    for i in range(info["n_sources"]):
        doc = st.session_state.get(f"rf_src_{i}_doc")
        with st.container(border=True):
            st.selectbox(_("Document of source {n}").format(n=i + 1), list(doc_labels), key=f"rf_src_{i}_doc",
                         format_func=lambda d: doc_labels.get(d, d))
            if selection and selection.get("doc") == doc:
                st.button(_("Use the selected text as the quote of source {n}").format(n=i + 1), key=f"rfb_use_selection_{i}",
                          type="primary", on_click=_use_selection, args=(i, selection))
            st.text_area(_("Quote"), key=f"rf_src_{i}_quote", height=110, help=HELP["quote"])
            checked = check_quote(st.session_state.get(f"rf_src_{i}_quote", ""), doc or "", shared.sources_dir())
            if checked.found:                     # checked as it is typed; after a save, why it was refused
                st.success("✓ " + md(checked.message))
            for message in errors.get(f"sources.{i}.quote", []) or ([] if checked.found else [checked.message]):
                st.error("✗ " + md(message))
            st.text_input(_("Locator"), key=f"rf_src_{i}_locator", help=HELP["locator"])
            show_errors(errors, f"sources.{i}.locator")
            if i:
                st.button(_("Remove source {n}").format(n=i + 1), key=f"rfb_remove_source_{i}", on_click=_remove_source, args=(i,))
    show_errors(errors, "sources")
    st.button(_("Add another source"), key="rfb_add_source", on_click=_add_source)


def _use_selection(i: int, selection: dict) -> None:
    st.session_state[f"rf_src_{i}_quote"] = selection["text"]
    st.session_state[f"rf_src_{i}_locator"] = selection["locator"]


def _add_source() -> None:
    info = form()
    i = info["n_sources"]
    st.session_state.update({f"rf_src_{i}_doc": info["doc"], f"rf_src_{i}_locator": "", f"rf_src_{i}_quote": ""})
    info["n_sources"] += 1


def _remove_source(i: int) -> None:
    info, state = form(), st.session_state
    for k in range(i, info["n_sources"] - 1):
        for part in ("doc", "locator", "quote"):
            state[f"rf_src_{k}_{part}"] = state.get(f"rf_src_{k + 1}_{part}")
    last = info["n_sources"] - 1
    for part in ("doc", "locator", "quote"):
        state.pop(f"rf_src_{last}_{part}", None)
    info["n_sources"] = last


def live_warnings() -> dict:
    return name_warnings(read_draft())


# Error keys drawn next to their fields above (anything else is listed at the end of the form).
SHOWN_KEYS = {"title", "type", "date_as_written", "date_precision", "date_start", "date_end", "date_qualifier",
              "place", "site", "court", "court_instance", "court_outcome", "people_affected", "public_precision",
              "related", "case", "reason", "sources", "user"}
