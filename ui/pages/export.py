"""Export page: the current view (the sidebar's filters) as a file, and briefings as documents."""
import streamlit as st

from geo.evidence.sources import DOC_LABELS
from geo.outputs.briefing_export import briefing_bytes
from geo.errors import GeoError
from geo.outputs.export import DEFAULT_TITLE, EXPORT_FORMATS, MEDIA_TYPES, export_bytes, file_name, make_view
from geo.outputs.html_text import markdown_literal as md
from geo.outputs.redaction import FULL, PUBLIC
from ui import data as shared, session
from ui.sidebar import filters
from geo.language import _, in_every_language

data = shared.bundle_or_stop()
if data.at_scale:   # the incidents stay in the team store (ui.data.SCALE_FROM): say so, never a silent empty result
    st.markdown("# Export")
    st.info("This store holds more incidents than the app loads at once, so this page is not available for it; "
            "the map reads them from the database. Export from the command line: `python -m geo store export`.")
    st.stop()
view = filters(data)
state = st.session_state


def offer_download(state_key: str) -> None:
    """A download button for a file prepared earlier in this session (name, bytes, media type)."""
    if state.get(state_key):
        name, content, mime = state[state_key]
        st.download_button(_("Download {file} ({size} kB)").format(file=name, size=f"{len(content) / 1e3:.0f}"), content, file_name=name, mime=mime,
                           key=f"{state_key}_download")


st.markdown(_("# Export"))
st.markdown(_("Download the current view (the filters and time window in the sidebar) for a report or a partner."))
st.caption(_("Showing: {view}").format(view=md(view.describe(data.subject_names, DOC_LABELS))))
modes = [PUBLIC] if shared.public_deployment() else [PUBLIC, FULL]
release = st.radio(_("Release"), modes, key="export_mode", horizontal=True, format_func={
    PUBLIC: _("Public — names withheld, sensitive places coarsened"),
    FULL: _("Full — for trusted partners only (contains names)")}.get)
# The default title in the session's language (also after a switch of language, unless it was edited).
if state.get("export_title") in (None, *in_every_language(DEFAULT_TITLE)):
    state["export_title"] = _(DEFAULT_TITLE)
title = st.text_input(_("Title on the map"), key="export_title")
if release == FULL:
    st.warning(_("A full release contains personal names: keep the downloaded file private (readable only by "
               "you) and share it only with trusted partners."))
fmt = st.selectbox(_("Format"), list(EXPORT_FORMATS), key="export_format", format_func=lambda f: _(EXPORT_FORMATS[f].label))
if EXPORT_FORMATS[fmt].kind == "data":
    st.caption(_("Every data format has the same columns (docs/export-schema.md). Quotes are long and multilingual: "
                 "keep them in GeoPackage, GeoJSON or CSV — a Shapefile cuts text at 254 characters and Latin-1."))
st.checkbox(_("Draw case routes"), key="export_routes", disabled=EXPORT_FORMATS[fmt].kind != "map",
            help=_("Each case's records joined in date order, with arrows (interactive and print maps)"))
if st.button(_("Prepare file"), key="export_prepare"):
    with st.spinner(_("Preparing the file…")):
        try:
            export_view = make_view(shared.built_bundle(), view, release, title, routes=bool(state.get("export_routes")))
            state["export_file"] = (file_name(export_view, fmt), export_bytes(export_view, fmt), MEDIA_TYPES[fmt])
        except GeoError as exc:   # ExportError, or a map asset missing: one line, no traceback
            state["export_file"] = None
            st.error(str(exc))
offer_download("export_file")

available = shared.briefings()[0]
if available:
    briefings_by_id = {b.id: b for b in available}
    st.markdown(_("## Briefing as a document"))
    st.markdown(_("One page per step with its map, for people who cannot run the app."))
    chosen_briefing = st.selectbox(_("Briefing"), list(briefings_by_id), key="deck_briefing",
                                   format_func=lambda i: briefings_by_id[i].title)
    deck_format = st.radio(_("Deck format"), ["html", "pdf"], key="deck_format", horizontal=True)
    if st.button(_("Prepare briefing"), key="deck_prepare"):
        with st.spinner(_("Drawing one map per step…")):
            try:
                content = briefing_bytes(shared.built_bundle(), briefings_by_id[chosen_briefing], deck_format, release)
                state["deck_file"] = (f"{chosen_briefing}-{release}.{deck_format}", content, MEDIA_TYPES[deck_format])
            except GeoError as exc:
                state["deck_file"] = None
                st.error(str(exc))
    offer_download("deck_file")
session.write_url(view.to_params())
