"""The review workspace's data and its source picker: which document, its proposals and where the
register already quotes it, and the upload form (the same path as `python -m geo add-source`)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import streamlit as st

from geo.errors import GeoError
from geo.evidence import sources
from geo.ingest.add_source import LANGUAGES, add_uploaded
from geo.ingest.extract import declared_title
from geo.ingest.propose import propose_document
from geo.ingest.review import register_spans, review_items
from geo.outputs.html_text import markdown_literal as md
from geo.view.dataset import data_version
from ui import data as shared, identity
from geo.language import N_, _

UPLOAD_TYPES = ["pdf", "html", "htm", "txt", "md"]


# Keyed by what the proposals depend on (the text by its hash, the date and language that read it),
# not by the folder: the same document in another copy of the register is not parsed again.
@st.cache_data(show_spinner=False, max_entries=8)
def _proposals(doc_id: str, text_sha: str, published: str, language: str, pages: tuple, _folder: str) -> list[dict]:
    return [c.as_dict() for c in propose_document(doc_id, Path(_folder)).candidates]


@st.cache_data(show_spinner=False, max_entries=16)
def _spans(doc_id: str, sources_dir: str, text_sha: str, register_version: tuple):
    register = shared.store().load_register()
    return register_spans(register.incidents, doc_id, sources.text(doc_id, Path(sources_dir)))


def register_version() -> tuple:
    store = shared.store()
    folder = getattr(store, "register_dir", None)
    return data_version(folder) if folder else (len(store.history()),)


def items(doc_id: str):
    """Every proposal of the document with its status (decisions are read afresh every time)."""
    folder = shared.sources_dir()
    doc = sources.document(doc_id, folder)
    with st.spinner(_("Reading the document and proposing records…")):
        candidates = _proposals(doc_id, doc.text_sha256, doc.published, doc.language, (doc.pages, doc.page_labels),
                                str(folder))
    spans = _spans(doc_id, str(folder), doc.text_sha256, register_version())
    return review_items(candidates, shared.store().review_decisions(doc_id), spans), spans


def current_spans(doc_id: str):
    folder = shared.sources_dir()
    return _spans(doc_id, str(folder), sources.document(doc_id, folder).text_sha256, register_version())


def pick_source() -> str | None:
    """The source being reviewed: a registered document, or one uploaded here."""
    catalogue = sources.catalogue(shared.sources_dir())
    labels = {d.id: f"{d.label} — {d.id}" for d in catalogue.values()}
    state = st.session_state
    if "review_doc_next" in state:            # a document just uploaded, or the record being corrected
        state["review_doc"] = state.pop("review_doc_next")
    if state.get("review_doc") not in catalogue:
        state.pop("review_doc", None)
    choose, upload = st.columns([4, 1], vertical_alignment="bottom")
    choose.selectbox(_("Source document"), list(catalogue), key="review_doc", index=None,
                     format_func=labels.get, placeholder=_("Choose a registered document…"),
                     help=_("Its proposals are listed beside its text; your decisions are kept, so a review "
                          "resumes where it stopped."))
    opened = state.get("upload_open", not catalogue)
    upload.button(_("Close the upload") if opened else _("Add a new document…"), key="upload_toggle", width="stretch",
                  on_click=lambda: state.update(upload_open=not opened))
    if opened:
        with st.container(border=True):
            st.markdown(_("**Add a new document** — the same checks and catalogue entry as `python -m geo add-source`"))
            upload_form()
    return state.get("review_doc")


# add-source's messages name its command-line options; here they are the form's fields
_OPTION_LABELS = {"--id": N_("Id"), "--title": N_("Full title"), "--published": N_("Published"),
                  "--lang": N_("Language"), "choose another Id": N_("choose another id")}


def _in_form_terms(message: str) -> str:
    for option, label in _OPTION_LABELS.items():
        message = message.replace(option, _(label))
    return message


def _suggested_id(name: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", Path(name).stem.lower()).strip("-")
    return stem[:40].strip("-") or "new-document"


def upload_form() -> None:
    """Upload + the catalogue's metadata; registered all or nothing (geo.ingest.add_source)."""
    state = st.session_state
    left, right = st.columns(2)
    with left:
        file = st.file_uploader(_("Document"), type=UPLOAD_TYPES, key="upload_file",
                                help=_("A PDF with a text layer (not a scan), an HTML page saved from a browser, or "
                                     "UTF-8 text. The original and its text are kept with their sha256 hashes."))
        if file is not None and state.get("upload_for") != file.file_id:   # a new file: suggest id and title
            state.update(upload_for=file.file_id, upload_id=_suggested_id(file.name),
                         upload_title=declared_title(file.getvalue(), file.name))
        st.text_input(_("Id (lowercase, e.g. hrw-2024-logging)"), key="upload_id",
                      help=_("Cited by every record from this document; it cannot change later."))
        st.text_input(_("Full title"), key="upload_title")
        st.text_input(_("Published (YYYY-MM-DD, or YYYY-MM / YYYY as precise as the document)"), key="upload_published")
        st.selectbox(_("Language"), [None, *sorted(LANGUAGES)], key="upload_lang",
                     format_func=lambda v: _("detect from the text") if v is None else v)
    with right:
        st.caption(_("Chain of custody (optional)"))
        for key, label in (("upload_short", N_("Short title (for legends)")), ("upload_author", N_("Author")),
                           ("upload_publisher", N_("Publisher")),
                           ("upload_obtained", N_("Where it was obtained (URL, person, date)")),
                           ("upload_licence", N_("Licence or copyright notice"))):
            st.text_input(_(label), key=key)
    if st.button(_("Register the document"), key="upload_go", type="primary", disabled=file is None):
        user = identity.current_user()
        try:
            doc = add_uploaded(
                file.getvalue(), file.name, state.get("upload_id", "").strip(), state.get("upload_title", ""),
                state.get("upload_published", "").strip(), state.get("upload_lang"),
                short_title=state.get("upload_short", "").strip(), author=state.get("upload_author", "").strip(),
                publisher=state.get("upload_publisher", "").strip(),
                obtained_from=state.get("upload_obtained", "").strip()
                or f"file {Path(file.name).name} uploaded in the app on {dt.date.today().isoformat()}"
                   + (f" by {user}" if user else ""),
                licence=state.get("upload_licence", "").strip(), sources_dir=shared.sources_dir())
        except GeoError as exc:
            st.error(md(f"{Path(file.name).name}: {_in_form_terms(str(exc))}"))
            return
        state.update(review_doc_next=doc.id, upload_open=False)
        st.rerun()
