"""Review & edit: a source document with the geoparser's proposals marked, the list of proposals
beside it, and the record form (a proposal accepted, a new record, or a correction from the map).
Not part of a public deployment (app.py does not register it, and the stores refuse to write)."""
import streamlit as st

from geo.evidence import sources
from geo.evidence.vocabulary import INCIDENT_TYPES
from geo.ingest.propose import locator_at
from geo.ingest.review import STATUS_LABELS
from geo.outputs.document_view import Mark
from geo.outputs.html_text import markdown_literal as md
from ui import data as shared, identity, record_form, session
from ui.review import candidates, document, workspace
from geo.language import _

MAX_SELECTION = 4_000

data = shared.bundle_or_stop()
state = st.session_state
if state.pop("go_to_map", False):     # a record was saved (or opened): show it on the map
    st.switch_page("ui/pages/map.py")
identity.sidebar()
if shared.public_deployment():
    st.error(_("This is a public deployment: it cannot change the register."))
    st.stop()
if not shared.may_edit():             # app.py registers the page for editors only
    st.error("Your role does not include editing: ask an administrator to make you an editor.")
    st.stop()

st.markdown(_("# Review & edit"))
st.caption(_("Turn a document's proposals into sourced records, or correct a record. Nothing is written until "
           "every check passes; every save is recorded with your name."))
if "review_doc" not in state and st.query_params.get("doc"):
    state["review_doc_next"] = st.query_params["doc"]
doc_id = workspace.pick_source()
if not doc_id:
    st.info(_("Choose a source document above, or add a new one, to see its proposals."))
    session.write_url({})
    st.stop()

folder = shared.sources_dir()
doc, text = sources.document(doc_id, folder), sources.text(doc_id, folder)
items, spans = workspace.items(doc_id)
focus = state.get(candidates.FOCUS)
marks = [Mark(i.candidate["start"], i.candidate["end"], i.status, i.id,
              f"{INCIDENT_TYPES.get(i.candidate['type'], i.candidate['type_label'])} · {STATUS_LABELS[i.status]}",
              alt=n % 2 == 1) for n, i in enumerate(items)]
marks += [Mark(i.candidate["start"], i.candidate["end"], "focus", i.id, _("selected proposal")) for i in items if i.id == focus]
if record_form.is_open():
    for n in range(record_form.form()["n_sources"]):
        if state.get(f"rf_src_{n}_doc") == doc_id and state.get(f"rf_src_{n}_quote"):
            span = sources.find_quote(doc_id, state[f"rf_src_{n}_quote"], folder)
            if span:
                marks.append(Mark(*span, "quote", "", _("the quote of source {n}").format(n=n + 1)))

# The document stays in view while the form or the list beside it is scrolled.
st.html("<style>[data-testid=stLayoutWrapper]:has(> .st-key-review_document), .st-key-review_document "
        "{ position: sticky; top: 3.75rem; z-index: 2; }</style>")
left, right = st.columns([3, 2], gap="medium")
with left, st.container(key="review_document"):
    st.markdown(f"**{md(doc.title)}** · {md(doc.id)} · " + _("published {date}").format(date=md(sources.published_label(doc_id, folder))))
    result, page_range = document.viewer(doc_id, text, doc.pages, marks, focus or record_form.is_open())
    if result.get("clicked"):
        state[candidates.FOCUS] = result["clicked"]
    selection = None
    chosen = result.get("selection") or {}
    if chosen and 0 <= chosen.get("start", -1) < chosen.get("end", -1) <= len(text):
        raw = text[chosen["start"]:chosen["end"]]
        start = chosen["start"] + len(raw) - len(raw.lstrip())
        quote = " ".join(raw.split())
        if quote and len(quote) <= MAX_SELECTION:
            selection = {"doc": doc_id, "text": quote, "start": start,
                         "locator": locator_at(text, start, doc.language, doc.pages, doc.page_labels)}
            st.caption(_("Selected ({locator}): “{quote}”").format(locator=md(selection['locator']),
                                                                  quote=md(quote[:300]) + (' …' if len(quote) > 300 else ''))
                       + ("" if record_form.is_open() else " — " + _("accept a proposal, or start a new record, to use it as a quote.")))
with right:
    if record_form.is_open():
        record_form.show(data, selection, shared.doc_labels())
    else:
        candidates.candidate_list(doc_id, items, page_range, data, text, doc.pages)
        st.button(_("New record from this document (not from a proposal)"), key="review_new_blank",
                  on_click=record_form.open_blank, args=(doc_id,))
session.write_url({"doc": doc_id})
